// Package gen makes synthetic graphs shaped like the curated one, at the
// scales the benchmark runs: municipalities with their units, the people
// who hold roles there, events with agendas of talks and round tables,
// practices and services with their topics, and evidence on every fact.
//
// The same scale and seed always give the same dataset, so runs on
// different days and machines compare like with like.
package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/civicgraph/civicgraph/data"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
)

// Scale names a size of graph.
type Scale string

const (
	S Scale = "S" // the curated seed dataset itself
	M Scale = "M" // about 100,000 entities: every municipality of Catalonia
	L Scale = "L" // about 1,000,000 entities: as many municipalities as Spain has
)

// ParseScale accepts S, M or L.
func ParseScale(s string) (Scale, error) {
	switch sc := Scale(strings.ToUpper(s)); sc {
	case S, M, L:
		return sc, nil
	}
	return "", fmt.Errorf("unknown scale %q (want S, M or L)", s)
}

// Shape says how many of each thing a synthetic graph has. Counts per
// municipality are averages; each municipality draws its own.
type Shape struct {
	Municipalities int
	Consortia      int // besides the AOC-like consortium every shape has
	Units          int // per municipality
	People         int // per municipality
	Practices      int // per municipality
	Services       int // local services per municipality
	Events         int // hosted per municipality
}

// ShapeOf returns the shape of a synthetic scale; S has none, being the
// curated dataset.
func ShapeOf(sc Scale) (Shape, bool) {
	base := Shape{Units: 4, People: 32, Practices: 6, Services: 2, Events: 3}
	switch sc {
	case M:
		base.Municipalities, base.Consortia = 947, 41 // Catalonia: 947 municipalities, 41 county councils
	case L:
		base.Municipalities, base.Consortia = 8131, 50 // Spain: 8,131 municipalities, 50 provinces
	default:
		return Shape{}, false
	}
	return base, true
}

// Generate returns the dataset of a scale. S is the embedded seed dataset;
// M and L are synthetic, drawn from seed. It panics on an unknown scale.
func Generate(sc Scale, seed int64) *graph.Dataset {
	if sc == S {
		ds, err := dataset.Load(data.Seed, "data")
		if err != nil {
			panic(fmt.Sprintf("gen: the embedded seed dataset does not load: %v", err))
		}
		return ds
	}
	shape, ok := ShapeOf(sc)
	if !ok {
		panic(fmt.Sprintf("gen: unknown scale %q", sc))
	}
	return GenerateShape(shape, seed)
}

// SourceID is the id of the one synthetic source every quote comes from.
const SourceID = "synthetic-corpus"

// Topic ids the benchmark's questions ask about.
const (
	TopicInteroperability = "interoperability"
	TopicDigitalIdentity  = "digital-identity"
)

// GenerateShape draws a dataset of the given shape.
func GenerateShape(shape Shape, seed int64) *graph.Dataset {
	g := &generator{
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x636976696367)), // "civicg": a fixed second word
		shape: shape,
		ds:    &graph.Dataset{},
		names: map[string]string{},
	}
	g.run()
	return g.ds
}

type generator struct {
	rng   *rand.Rand
	shape Shape
	ds    *graph.Dataset
	seq   int // numbers people and events, so their ids are unique

	topics         []string // ids
	globalServices []string
	consortia      []string
	// people[i] are the ids of the people holding a role in municipality
	// i or its units; practices[i] the practices it implements.
	people    [][]string
	practices [][]string
	places    []string
	munIDs    []string
	names     map[string]string // practice and service names, for talk titles
}

func (g *generator) run() {
	g.ds.Entities = append(g.ds.Entities, graph.Entity{
		ID: SourceID, Type: graph.TypeSource, Language: "ca", Text: corpus(),
		Name: "Synthetic corpus of public-attention meetings",
	})
	g.makeTopics()
	g.makeConsortia()
	g.places = placeNames(g.rng, g.shape.Municipalities)
	g.people = make([][]string, g.shape.Municipalities)
	g.practices = make([][]string, g.shape.Municipalities)
	for i, place := range g.places {
		g.makeMunicipality(i, place)
	}
	for i := range g.places {
		for range g.around(g.shape.Events) {
			g.makeEvent(i)
		}
	}
}

// around returns a count near avg: avg/2 to 3avg/2.
func (g *generator) around(avg int) int {
	if avg <= 1 {
		return avg
	}
	return avg/2 + g.rng.IntN(avg+1)
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// distinct picks n different elements of list (fewer if list is shorter).
func (g *generator) distinct(list []string, n int) []string {
	n = min(n, len(list))
	out := make([]string, 0, n)
	for len(out) < n {
		c := g.pick(list)
		dup := false
		for _, o := range out {
			dup = dup || o == c
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

func (g *generator) entity(e graph.Entity) string {
	e.Evidence = g.evidence(e.Type)
	if e.Type == graph.TypePractice || e.Type == graph.TypeService {
		g.names[e.ID] = e.Name
	}
	g.ds.Entities = append(g.ds.Entities, e)
	return e.ID
}

func (g *generator) relate(from string, typ graph.RelType, to string, as string) {
	g.ds.Relations = append(g.ds.Relations, graph.Relation{Type: typ, From: from, To: to, As: as, Evidence: g.evidence(typ)})
}

// evidence cites one or two of the corpus sentences about things of kind.
func (g *generator) evidence(kind any) []graph.Evidence {
	quotes := sentences[fmt.Sprint(kind)]
	out := []graph.Evidence{{Source: SourceID, Quote: quotes[g.rng.IntN(len(quotes))]}}
	if g.rng.IntN(5) == 0 {
		out = append(out, graph.Evidence{Source: SourceID, Quote: quotes[g.rng.IntN(len(quotes))]})
	}
	return out
}

func (g *generator) makeTopics() {
	for _, t := range topicList {
		g.topics = append(g.topics, g.entity(graph.Entity{ID: t.id, Type: graph.TypeTopic, Name: t.name, Aliases: t.aliases}))
	}
	for _, t := range topicList {
		if t.broader != "" {
			g.relate(t.id, graph.RelBroader, t.broader, "")
		}
	}
}

// topic draws a topic; interoperability is rare, so that only some
// municipalities answer the headline question at every scale.
func (g *generator) topic() string {
	for {
		t := g.pick(g.topics)
		if t != TopicInteroperability || g.rng.IntN(3) != 0 {
			return t
		}
	}
}

func (g *generator) topicsOf(id string, n int) {
	seen := map[string]bool{}
	for range n {
		t := g.topic()
		if !seen[t] {
			seen[t] = true
			g.relate(id, graph.RelAbout, t, "")
		}
	}
}

func (g *generator) makeConsortia() {
	aoc := g.entity(graph.Entity{ID: "consortium-aoc", Type: graph.TypeOrganisation, Kind: "CONSORTIUM",
		Name: "Consorci Administració Oberta de Catalunya", Aliases: []string{"AOC", "Consorzio AOC"}})
	g.consortia = append(g.consortia, aoc)
	for i, name := range serviceNames {
		id := g.entity(graph.Entity{ID: fmt.Sprintf("service-%s", slug(name)), Type: graph.TypeService, Name: name})
		g.globalServices = append(g.globalServices, id)
		g.relate(aoc, graph.RelProvides, id, "")
		g.topicsOf(id, 1+i%2)
	}
	for i := range g.shape.Consortia {
		name := fmt.Sprintf("Consell Comarcal %d", i+1)
		if i < len(countyNames) {
			name = "Consell Comarcal " + countyNames[i]
		}
		g.consortia = append(g.consortia, g.entity(graph.Entity{ID: "consortium-" + slug(name),
			Type: graph.TypeOrganisation, Kind: "CONSORTIUM", Name: name}))
	}
}

func (g *generator) makeMunicipality(i int, place string) {
	of := " de " + place
	if strings.ContainsRune("AEIOUÀÈÉÍÒÓÚaeiou", []rune(place)[0]) {
		of = " d'" + place
	}
	mun := g.entity(graph.Entity{ID: "mun-" + slug(place), Type: graph.TypeOrganisation, Kind: "MUNICIPALITY",
		Name: "Ajuntament" + of, Aliases: []string{place, "Comune di " + place}})
	g.munIDs = append(g.munIDs, mun)
	orgs := []string{mun}
	for k, u := range g.distinct(unitNames, max(1, g.around(g.shape.Units))) {
		kind := "UNIT"
		if strings.HasPrefix(u, "Oficina") || strings.HasPrefix(u, "Espai") {
			kind = "SERVICE_POINT"
		}
		id := g.entity(graph.Entity{ID: fmt.Sprintf("%s-u%d", mun, k+1), Type: graph.TypeOrganisation, Kind: kind, Name: u + of})
		g.relate(id, graph.RelPartOf, mun, "")
		orgs = append(orgs, id)
	}
	for range max(2, g.around(g.shape.People)) {
		g.seq++
		name := g.personName()
		person := g.entity(graph.Entity{ID: fmt.Sprintf("person-%s-%d", slug(name), g.seq), Type: graph.TypePerson, Name: name})
		g.people[i] = append(g.people[i], person)
		for r := range 1 + g.rng.IntN(4)/3 { // one role, sometimes two
			org := orgs[min(len(orgs)-1, g.rng.IntN(len(orgs)+1))] // units more often than the municipality
			role := g.entity(graph.Entity{ID: fmt.Sprintf("%s-r%d", person, r+1), Type: graph.TypeRole,
				Name: g.pick(roleTitles)})
			g.relate(person, graph.RelHolds, role, "")
			g.relate(role, graph.RelIn, org, "")
		}
	}
	for k := range max(1, g.around(g.shape.Practices)) {
		theme := g.pick(practiceThemes)
		id := g.entity(graph.Entity{ID: fmt.Sprintf("%s-practice-%d", mun, k+1), Type: graph.TypePractice,
			Kind: g.pick(graph.TypePractice.Kinds()), Name: theme + " a " + place,
			Description: "Pràctica de " + place + ": " + strings.ToLower(theme)})
		g.practices[i] = append(g.practices[i], id)
		g.relate(mun, graph.RelImplements, id, "")
		g.topicsOf(id, 1+g.rng.IntN(3))
		for _, s := range g.distinct(g.globalServices, g.rng.IntN(3)) {
			g.relate(id, graph.RelUses, s, "")
		}
	}
	for k := range g.around(g.shape.Services) {
		id := g.entity(graph.Entity{ID: fmt.Sprintf("%s-service-%d", mun, k+1), Type: graph.TypeService,
			Name: g.pick(localServices) + of})
		g.relate(mun, graph.RelProvides, id, "")
		g.topicsOf(id, 1+g.rng.IntN(2))
	}
}

func (g *generator) personName() string {
	return g.pick(firstNames) + " " + g.pick(surnames) + " " + g.pick(surnames)
}

// speaker is someone from the host municipality half the time, else from
// anywhere, with the practices they can present.
func (g *generator) speaker(host int) (string, []string) {
	m := host
	if g.rng.IntN(2) == 0 {
		m = g.rng.IntN(len(g.people))
	}
	return g.pick(g.people[m]), g.practices[m]
}

func (g *generator) makeEvent(host int) {
	g.seq++
	place := g.places[host]
	kind := g.pick(graph.TypeEvent.Kinds())
	date := graph.PartialDate{Year: 2018 + g.rng.IntN(9), Month: 1 + g.rng.IntN(12), Day: 1 + g.rng.IntN(28)}
	if g.rng.IntN(5) == 0 {
		date.Year = 0 // sources often give no year
	}
	event := g.entity(graph.Entity{ID: fmt.Sprintf("event-%d", g.seq), Type: graph.TypeEvent, Kind: kind, Date: date,
		Name: g.pick(eventNames) + " a " + place})
	g.relate(event, graph.RelHeldAt, g.munIDs[host], "")
	if g.rng.IntN(3) == 0 {
		g.relate(g.munIDs[host], graph.RelOrganised, event, "ORGANISER")
	} else {
		g.relate(g.pick(g.consortia), graph.RelOrganised, event, "ORGANISER")
		g.relate(g.munIDs[host], graph.RelOrganised, event, "COLLABORATOR")
	}
	talks := max(2, g.around(5))
	roundTable := g.rng.IntN(5) < 3
	for k := range talks {
		id := fmt.Sprintf("%s-t%d", event, k+1)
		if roundTable && k == talks-1 {
			g.entity(graph.Entity{ID: id, Type: graph.TypeTalk, Kind: "ROUND_TABLE", Order: k + 1,
				Name: "Taula rodona: experiències d'èxit a " + place})
			g.relate(id, graph.RelPartOf, event, "")
			moderator, _ := g.speaker(host)
			g.relate(moderator, graph.RelModerated, id, "")
			for c := range 2 + g.rng.IntN(3) {
				g.talk(fmt.Sprintf("%s-c%d", id, c+1), id, "CONTRIBUTION", c+1, host, 1)
			}
			continue
		}
		kind := "PRESENTATION"
		if g.rng.IntN(4) == 0 {
			kind = "DEBATE"
		}
		g.talk(id, event, kind, k+1, host, 1+g.rng.IntN(2))
	}
}

// talk makes a talk part of parent, with its speakers, what it presents and
// what it is about.
func (g *generator) talk(id, parent, kind string, order, host, speakers int) {
	var practices []string
	var names []string
	for range speakers {
		p, ps := g.speaker(host)
		if !contains(names, p) {
			names = append(names, p)
			practices = append(practices, ps...)
		}
	}
	presented, title := "", ""
	if len(practices) > 0 && g.rng.IntN(10) < 7 {
		presented = g.pick(practices)
		title = "Presentació del cas " + g.names[presented]
	} else {
		presented = g.pick(g.globalServices)
		title = "Presentació del servei " + g.names[presented]
	}
	if kind == "DEBATE" {
		title = "Debat: " + strings.TrimPrefix(title, "Presentació ")
	}
	g.entity(graph.Entity{ID: id, Type: graph.TypeTalk, Kind: kind, Order: order, Name: title})
	g.relate(id, graph.RelPartOf, parent, "")
	for _, p := range names {
		g.relate(p, graph.RelSpokeIn, id, "")
	}
	g.relate(id, graph.RelPresents, presented, "")
	g.topicsOf(id, 1+g.rng.IntN(2))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// slug turns a name into id characters: folded, with runs of anything but
// letters and digits made one hyphen.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range graph.Fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return b.String()
}
