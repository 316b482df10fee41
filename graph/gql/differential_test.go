package gql_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

var (
	diffSeed  = flag.Uint64("diff.seed", 1, "seed of the differential test's graph and filters")
	diffCases = flag.Int("diff.cases", 100, "number of random filters the differential test tries")
)

// TestDifferential generates a graph of a few thousand entities and many
// random requests (filters with nested quantifiers, logic and folded string
// operators; orders; pages of any size from either end), asks each of the
// embedded store and every other backend, and requires identical answers. A failure prints the GraphQL
// request that reproduces it; -diff.seed picks another graph and filters.
func TestDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(*diffSeed, 0))
	ds := randomDataset(rng, 300)
	reference := memstore.New()
	storetest.MustReplace(t, reference, ds)
	referenceURL := newAPI(t, reference)
	for name, newStore := range backends {
		if name == "memstore" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			store := newStore(t)
			storetest.MustReplace(t, store, ds)
			url := newAPI(t, store)
			gen := filterGen{rng: rand.New(rand.NewPCG(*diffSeed, 1)), ds: ds}
			failures, timeouts := 0, 0
			for i := range *diffCases {
				query, vars := gen.request()
				_, want := post(t, referenceURL, query, vars)
				_, got := post(t, url, query, vars)
				if len(want.Errors) > 0 {
					t.Fatalf("case %d: the reference store refused the request: %v\n%s", i, want.Errors, reproduce(query, vars))
				}
				if timedOut(got) {
					// Too slow is not a different answer; too often is a failure.
					t.Logf("case %d: %s timed out:\n%s", i, name, reproduce(query, vars))
					if timeouts++; timeouts > *diffCases/10 {
						t.Fatalf("%d of %d cases timed out", timeouts, i+1)
					}
					continue
				}
				if diff := cmp.Diff(canonicalJSON(t, want.Data), canonicalJSON(t, got.Data)); diff != "" || len(got.Errors) > 0 {
					t.Errorf("case %d: %s differs from memstore (-memstore +%s):\n%s%v\nreproduce with:\n%s", i, name, name, diff, got.Errors, reproduce(query, vars))
					if failures++; failures == 5 {
						t.Fatal("stopping after 5 differences")
					}
				}
			}
		})
	}
}

func timedOut(r response) bool {
	for _, e := range r.Errors {
		if e["extensions"].(map[string]any)["code"] != "TIMEOUT" {
			return false
		}
	}
	return len(r.Errors) > 0
}

func reproduce(query string, vars map[string]any) string {
	b, _ := json.MarshalIndent(vars, "", "  ")
	return query + "\nvariables: " + string(b)
}

// filterGen makes random requests over one dataset, drawing ids and name
// fragments from it so that filters match something.
type filterGen struct {
	rng *rand.Rand
	ds  *graph.Dataset
}

// rootFields are the connection root field of each type.
var rootFields = map[graph.EntityType]string{
	graph.TypePerson: "peopleConnection", graph.TypeOrganisation: "organisationsConnection", graph.TypeRole: "rolesConnection",
	graph.TypeEvent: "eventsConnection", graph.TypeTalk: "talksConnection", graph.TypePractice: "practicesConnection",
	graph.TypeService: "servicesConnection", graph.TypeTopic: "topicsConnection",
}

func (g *filterGen) request() (string, map[string]any) {
	types := slices.Sorted(func(yield func(graph.EntityType) bool) {
		for t := range rootFields {
			if !yield(t) {
				return
			}
		}
	})
	typ := types[g.rng.IntN(len(types))]
	vars := map[string]any{"where": g.where(typ, 3), "size": 1 + g.rng.IntN(30)}
	if g.rng.IntN(3) > 0 {
		fields := orderFieldNames[typ]
		vars["orderBy"] = map[string]any{"field": fields[g.rng.IntN(len(fields))], "direction": []string{"ASC", "DESC"}[g.rng.IntN(2)]}
	}
	size := []string{"first", "last"}[g.rng.IntN(2)]
	query := fmt.Sprintf(`query($where: %[1]sWhere, $orderBy: %[1]sOrder, $size: Int) {
  page: %[2]s(where: $where, orderBy: $orderBy, %[3]s: $size) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }
  }
  all: %[4]s(where: $where, orderBy: $orderBy) { id }
}`, typ, rootFields[typ], size, strings.TrimSuffix(rootFields[typ], "Connection"))
	return query, vars
}

// orderFieldNames are the values of each type's order-field enum.
var orderFieldNames = map[graph.EntityType][]string{
	graph.TypePerson: {"NAME", "ID"}, graph.TypeOrganisation: {"NAME", "ID", "KIND"}, graph.TypeRole: {"TITLE", "ID"},
	graph.TypeEvent: {"NAME", "ID", "KIND", "DATE"}, graph.TypeTalk: {"ORDER", "TITLE", "ID", "KIND"},
	graph.TypePractice: {"NAME", "ID", "KIND"}, graph.TypeService: {"NAME", "ID"}, graph.TypeTopic: {"NAME", "ID"},
}

// where makes a random filter on typ, nesting up to depth levels.
func (g *filterGen) where(typ graph.EntityType, depth int) map[string]any {
	w := map[string]any{}
	for range 1 + g.rng.IntN(2) {
		switch n := g.rng.IntN(10); {
		case n < 2:
			w["id"] = g.idFilter(typ)
		case n < 4:
			field := "name"
			if typ == graph.TypeRole || typ == graph.TypeTalk {
				field = "title"
			} else if g.rng.IntN(2) == 0 {
				field = "names"
			}
			w[field] = g.stringFilter(typ)
		case n < 5 && typ.Kinds() != nil:
			kinds := typ.Kinds()
			if g.rng.IntN(2) == 0 {
				w["kind"] = map[string]any{"eq": kinds[g.rng.IntN(len(kinds))]}
			} else {
				w["kind"] = map[string]any{"in": []any{kinds[g.rng.IntN(len(kinds))], kinds[g.rng.IntN(len(kinds))]}}
			}
		case n < 6 && depth > 0:
			op := []string{"AND", "OR"}[g.rng.IntN(2)]
			var list []any
			for range g.rng.IntN(3) {
				list = append(list, g.where(typ, depth-1))
			}
			w[op] = list
		case n < 7 && depth > 0:
			w["NOT"] = g.where(typ, depth-1)
		case depth > 0:
			field, target := g.relationship(typ)
			quant := []string{"some", "all", "none", "single"}[g.rng.IntN(4)]
			inner := map[string]any{}
			if g.rng.IntN(4) > 0 {
				inner = g.where(target, depth-1)
			}
			w[field] = map[string]any{quant: inner}
		}
	}
	return w
}

func (g *filterGen) entitiesOf(typ graph.EntityType) []graph.Entity {
	var out []graph.Entity
	for _, e := range g.ds.Entities {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func (g *filterGen) idFilter(typ graph.EntityType) map[string]any {
	es := g.entitiesOf(typ)
	if g.rng.IntN(2) == 0 {
		return map[string]any{"eq": es[g.rng.IntN(len(es))].ID}
	}
	var ids []any
	for range 1 + g.rng.IntN(4) {
		ids = append(ids, es[g.rng.IntN(len(es))].ID)
	}
	return map[string]any{"in": ids}
}

// stringFilter takes part of a real name and changes its case and accents,
// which the stores must fold away.
func (g *filterGen) stringFilter(typ graph.EntityType) map[string]any {
	es := g.entitiesOf(typ)
	name := []rune(es[g.rng.IntN(len(es))].Name)
	from := g.rng.IntN(len(name))
	to := from + 1 + g.rng.IntN(len(name)-from)
	part := string(name[from:to])
	switch g.rng.IntN(3) {
	case 0:
		part = strings.ToUpper(part)
	case 1:
		part = strings.NewReplacer("a", "à", "e", "é", "o", "ò").Replace(part)
	}
	op := []string{"eq", "contains", "startsWith", "endsWith", "in"}[g.rng.IntN(5)]
	if op == "eq" {
		return map[string]any{op: string(name)}
	}
	if op == "in" {
		return map[string]any{op: []any{string(name), part}}
	}
	return map[string]any{op: part}
}

// relationship picks a relationship filter field of typ, from the schema.
func (g *filterGen) relationship(typ graph.EntityType) (string, graph.EntityType) {
	fields := relationshipFields[typ]
	f := fields[g.rng.IntN(len(fields))]
	return f.name, f.target
}

type relField struct {
	name   string
	target graph.EntityType
}

// relationshipFields lists the relationship filters of each Where input.
var relationshipFields = map[graph.EntityType][]relField{
	graph.TypePerson:       {{"roles", graph.TypeRole}, {"organisations", graph.TypeOrganisation}, {"spokeIn", graph.TypeTalk}, {"moderated", graph.TypeTalk}},
	graph.TypeOrganisation: {{"parent", graph.TypeOrganisation}, {"units", graph.TypeOrganisation}, {"roles", graph.TypeRole}, {"people", graph.TypePerson}, {"talks", graph.TypeTalk}, {"presentedPractices", graph.TypePractice}, {"organised", graph.TypeEvent}, {"hosted", graph.TypeEvent}, {"provides", graph.TypeService}, {"implements", graph.TypePractice}},
	graph.TypeRole:         {{"holders", graph.TypePerson}, {"organisation", graph.TypeOrganisation}},
	graph.TypeEvent:        {{"organisers", graph.TypeOrganisation}, {"venue", graph.TypeOrganisation}, {"talks", graph.TypeTalk}},
	graph.TypeTalk:         {{"event", graph.TypeEvent}, {"parent", graph.TypeTalk}, {"parts", graph.TypeTalk}, {"speakers", graph.TypePerson}, {"moderators", graph.TypePerson}, {"practices", graph.TypePractice}, {"services", graph.TypeService}, {"topics", graph.TypeTopic}},
	graph.TypePractice:     {{"presentedIn", graph.TypeTalk}, {"presentedBy", graph.TypeOrganisation}, {"implementedBy", graph.TypeOrganisation}, {"services", graph.TypeService}, {"topics", graph.TypeTopic}},
	graph.TypeService:      {{"providers", graph.TypeOrganisation}, {"usedBy", graph.TypePractice}, {"presentedIn", graph.TypeTalk}, {"topics", graph.TypeTopic}},
	graph.TypeTopic:        {{"broader", graph.TypeTopic}, {"narrower", graph.TypeTopic}, {"practices", graph.TypePractice}, {"talks", graph.TypeTalk}, {"services", graph.TypeService}},
}

// randomDataset makes a valid graph of about 10*n entities, with names that
// collide after folding ("Ginè", "GINE") to exercise ties and folding.
func randomDataset(rng *rand.Rand, n int) *graph.Dataset {
	words := []string{"Àlella", "Gine", "Ginè", "GINE", "Mataró", "Sant Cugat", "Vallès", "Espai", "Connecta", "Oficina", "dades", "Dades", "interoperabilità", "d’Atenció", "l'Ufficio", "Ça", "Œuvre", "straße", "zeta"}
	name := func() string {
		parts := make([]string, 1+rng.IntN(3))
		for i := range parts {
			parts[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(parts, " ")
	}
	ev := []graph.Evidence{{Source: "src", Quote: "q"}}
	ds := &graph.Dataset{Entities: []graph.Entity{{ID: "src", Type: graph.TypeSource, Name: "random", Text: "q"}}}
	byType := map[graph.EntityType][]string{}
	add := func(typ graph.EntityType, i int) {
		id := fmt.Sprintf("%s-%d", strings.ToLower(string(typ)), i)
		e := graph.Entity{ID: id, Type: typ, Name: name(), Evidence: ev}
		if kinds := typ.Kinds(); kinds != nil {
			e.Kind = kinds[rng.IntN(len(kinds))]
		}
		if typ == graph.TypeTalk {
			e.Order = 1 + rng.IntN(5)
		}
		if typ == graph.TypeEvent && rng.IntN(4) > 0 {
			// Some undated, some without a year, many on the same day.
			e.Date = graph.PartialDate{Year: []int{0, 2023, 2024}[rng.IntN(3)], Month: 1 + rng.IntN(2), Day: 1 + rng.IntN(3)}
		}
		if rng.IntN(3) == 0 {
			e.Aliases = []string{name()}
		}
		ds.Entities = append(ds.Entities, e)
		byType[typ] = append(byType[typ], id)
	}
	counts := map[graph.EntityType]int{
		graph.TypePerson: 3 * n, graph.TypeOrganisation: 2 * n, graph.TypeRole: 3 * n, graph.TypeEvent: n / 5,
		graph.TypeTalk: 2 * n, graph.TypePractice: n, graph.TypeService: n / 5, graph.TypeTopic: n / 10,
	}
	for _, typ := range graph.EntityTypes() {
		for i := range counts[typ] {
			add(typ, i)
		}
	}
	seen := map[[3]string]bool{}
	hasParent := map[string]bool{}
	for range 12 * n {
		rel := graph.RelTypes()[rng.IntN(len(graph.RelTypes()))]
		ends := rel.Endpoints()[rng.IntN(len(rel.Endpoints()))]
		from, to := byType[ends[0]], byType[ends[1]]
		if len(from) == 0 || len(to) == 0 {
			continue
		}
		// As in real data, PART_OF makes trees: a unit or a talk has one
		// parent, units point to earlier organisations and parts to
		// earlier talks, so there are no cycles.
		i, j := rng.IntN(len(from)), rng.IntN(len(to))
		if rel == graph.RelPartOf {
			if hasParent[from[i]] || (ends[0] == ends[1] && i == 0) {
				continue
			}
			if ends[0] == ends[1] {
				j = rng.IntN(i)
			}
			hasParent[from[i]] = true
		}
		key := [3]string{from[i], string(rel), to[j]}
		if seen[key] || from[i] == to[j] {
			continue
		}
		seen[key] = true
		r := graph.Relation{Type: rel, From: from[i], To: to[j], Evidence: ev}
		if rel == graph.RelOrganised {
			r.As = graph.OrganiserRoles()[rng.IntN(2)]
		}
		ds.Relations = append(ds.Relations, r)
	}
	return ds
}
