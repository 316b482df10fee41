package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// entitiesCypher looks every id up at once, into one row (see oneRow);
// the index i keeps the answer aligned with the ids, duplicates included.
var entitiesCypher = "UNWIND range(0, size($ids) - 1) AS i MATCH (n:" + entityLabel + " {id: $ids[i]}) RETURN collect([i, " + projection("n", 0, "") + "]) AS answers"

// Entities implements graph.Store, in one statement.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	if len(ids) == 0 {
		return []*graph.Entity{}, ctx.Err()
	}
	out, err := read(ctx, s, entitiesCypher, map[string]any{"ids": ids}, func(res neo4j.ResultWithContext) ([]*graph.Entity, error) {
		_, answers, err := oneRow(ctx, res, "answers")
		if err != nil {
			return nil, err
		}
		out := make([]*graph.Entity, len(ids))
		for _, answer := range answers {
			values, i, err := indexed(answer, 2, len(ids))
			if err != nil {
				return nil, err
			}
			if out[i], err = projectedEntity(values[1], 0, ""); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	return out, s.fail(ctx, "entities", err)
}

// Find implements graph.Store with keyset pagination: the statement seeks
// past the cursors on the index of the order's position and reads one
// entity more than asked, to tell whether more lie beyond the page. The
// total, if asked, is counted in the same statement (see withTotal), so
// both see the same graph in one round trip.
func (s *Store) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	find, count, params, err := findCypher(q)
	if err != nil {
		return graph.Page{}, err
	}
	if q.WithTotal {
		find = withTotal(find, count)
	}
	page, err := read(ctx, s, find, params, func(res neo4j.ResultWithContext) (graph.Page, error) {
		page := graph.Page{Reached: emptyReach(q.Below)}
		record, rows, err := oneRow(ctx, res, "page")
		if err != nil {
			return page, err
		}
		if q.WithTotal {
			total, _, err := neo4j.GetRecordValue[int64](record, "total")
			if err != nil {
				return page, err
			}
			page.Total = int(total)
		}
		for _, row := range rows {
			if limit := q.Limit(); limit > 0 && len(page.Entities) == limit {
				page.SetMore(q, true)
				break
			}
			pair, err := tuple(row, "page entry", 2) // the entity and the answers below it
			if err != nil {
				return page, err
			}
			below, err := list(pair[1], "answers below")
			if err != nil {
				return page, err
			}
			e, err := projectedEntity(pair[0], q.Props, q.Type)
			if err != nil {
				return page, err
			}
			page.Entities = append(page.Entities, e)
			if err := readReach(e, q.Below, below, q.Props, page.Reached); err != nil {
				return page, err
			}
		}
		if q.Backward() {
			slices.Reverse(page.Entities)
		}
		return page, nil
	})
	return page, s.fail(ctx, "find", err)
}

// Neighbours implements graph.Store in one statement for all ids: each id's
// neighbours are made distinct, ordered and collected in a subquery. For a
// Single path each neighbour comes with its relationship.
func (s *Store) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	cypher, params, err := neighboursCypher(ids, path, where)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return [][]graph.Neighbour{}, ctx.Err()
	}
	out, err := read(ctx, s, cypher, params, func(res neo4j.ResultWithContext) ([][]graph.Neighbour, error) {
		_, answers, err := oneRow(ctx, res, "answers")
		if err != nil {
			return nil, err
		}
		out := make([][]graph.Neighbour, len(ids))
		for _, answer := range answers {
			values, i, err := indexed(answer, 3, len(ids))
			if err != nil {
				return nil, err
			}
			found, err := list(values[1], "neighbours")
			if err != nil {
				return nil, err
			}
			var rels []any
			if path.Single() {
				if rels, err = tuple(values[2], "relationships", len(found)); err != nil {
					return nil, err
				}
			}
			if out[i], err = neighbourList(ids[i], path, found, rels, true, 0); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	return out, s.fail(ctx, "neighbours", err)
}

// NeighbourCounts implements graph.Store in one statement for all ids,
// counting in the database what Neighbours would read.
func (s *Store) NeighbourCounts(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([]int, error) {
	cypher, params, err := neighbourCountsCypher(ids, path, where)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return []int{}, ctx.Err()
	}
	out, err := read(ctx, s, cypher, params, func(res neo4j.ResultWithContext) ([]int, error) {
		_, answers, err := oneRow(ctx, res, "answers")
		if err != nil {
			return nil, err
		}
		out := make([]int, len(ids))
		for _, answer := range answers {
			values, i, err := indexed(answer, 2, len(ids))
			if err != nil {
				return nil, err
			}
			n, ok := values[1].(int64)
			if !ok {
				return nil, fmt.Errorf("count is a %T, not an integer", values[1])
			}
			out[i] = int(n)
		}
		return out, nil
	})
	return out, s.fail(ctx, "neighbour counts", err)
}

// neighbourList maps the nodes found from id, projected to props (see
// projection); and with relations, for a Single path, the relationships
// followed.
func neighbourList(id string, path graph.Path, found, rels []any, relations bool, props graph.Props) ([]graph.Neighbour, error) {
	out := make([]graph.Neighbour, len(found))
	for j, v := range found {
		var err error
		if out[j].Entity, err = projectedEntity(v, props, endType(path)); err != nil {
			return nil, err
		}
		if !relations || !path.Single() {
			continue
		}
		rel, ok := rels[j].(neo4j.Relationship)
		if !ok {
			return nil, fmt.Errorf("relation is a %T, not a relationship", rels[j])
		}
		from, to := id, out[j].Entity.ID
		if path[0].Dir == graph.In {
			from, to = to, from
		}
		if out[j].Relation, err = relationOf(rel, path[0].Rel, from, to); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// oneRow returns the one row of a statement that collects its answers,
// and the list of them it holds under key. Statements that may find many
// answers collect them into one row: the driver reads every row against
// a timer on a goroutine of its own (Neo4j 5 sends a receive-timeout
// hint), which cost 279 rows 2.5 ms of CPU against 0.7 ms for the same
// values in one list.
func oneRow(ctx context.Context, res neo4j.ResultWithContext, key string) (*neo4j.Record, []any, error) {
	record, err := res.Single(ctx)
	if err != nil {
		return nil, nil, err
	}
	answers, _, err := neo4j.GetRecordValue[[]any](record, key)
	return record, answers, err
}

// list reads a value a statement answers as a list; what names it in the
// error.
func list(v any, what string) ([]any, error) {
	values, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is a %T, not a list", what, v)
	}
	return values, nil
}

// tuple reads a value a statement answers as a list of width values.
func tuple(v any, what string, width int) ([]any, error) {
	values, err := list(v, what)
	if err == nil && len(values) != width {
		err = fmt.Errorf("%s is %#v, not a list of %d", what, v, width)
	}
	return values, err
}

// indexed reads an answer of a statement that looks ids up by their index
// i: a list of width values, the first i, checked against the number of
// ids.
func indexed(answer any, width, n int) ([]any, int, error) {
	values, err := tuple(answer, "answer", width)
	if err != nil {
		return nil, 0, err
	}
	i, ok := values[0].(int64)
	if !ok || i < 0 || i >= int64(n) {
		return nil, 0, fmt.Errorf("index %#v out of range [0, %d)", values[0], n)
	}
	return values, int(i), nil
}

// props reads typed stored properties, keeping the first error: from a
// node's or relationship's map of them, or else from values, a projection's
// list, whose names are keys.
type props struct {
	stored map[string]any
	keys   []string
	values []any
	err    error
}

func (p *props) value(key string) any {
	if p.stored != nil {
		return p.stored[key]
	}
	for i, k := range p.keys {
		if k == key {
			return p.values[i]
		}
	}
	return nil
}

// get returns the stored property key as a T.
func get[T any](p *props, key string) T {
	stored := p.value(key)
	v, ok := stored.(T)
	if !ok && p.err == nil {
		var want T
		p.err = fmt.Errorf("property %s holds a %T, not a %T", key, stored, want)
	}
	return v
}

func (p *props) str(key string) string { return get[string](p, key) }

func (p *props) int(key string) int { return int(get[int64](p, key)) }

// strs returns a list of strings, nil when empty: the domain's values have
// nil where nothing was given.
func (p *props) strs(key string) []string {
	var out []string
	for _, v := range get[[]any](p, key) {
		s, ok := v.(string)
		if !ok && p.err == nil {
			p.err = fmt.Errorf("property %s holds a %T, not a string", key, v)
		}
		out = append(out, s)
	}
	return out
}

func (p *props) evidence() []graph.Evidence {
	sources, quotes := p.strs("evidenceSources"), p.strs("evidenceQuotes")
	if len(sources) != len(quotes) {
		if p.err == nil {
			p.err = fmt.Errorf("%d evidence sources for %d quotes", len(sources), len(quotes))
		}
		return nil
	}
	var out []graph.Evidence
	for i := range sources {
		out = append(out, graph.Evidence{Source: sources[i], Quote: quotes[i]})
	}
	return out
}

// date reads a stored partial date. A bad one is not wrapped with %w: it
// is our failure, not the caller's invalid request.
func (p *props) date(key string) graph.PartialDate {
	d, err := graph.ParsePartialDate(p.str(key))
	if err != nil && p.err == nil {
		p.err = fmt.Errorf("stored %s", graph.ErrorMessage(err))
	}
	return d
}

// storedProps lists each property of graph.Props with the stored
// properties that hold it, and how it is read from them: a projection
// asks for those names, and projectedEntity and entityOf read them.
var storedProps = []struct {
	prop  graph.Props
	names []string
	read  func(p *props, e *graph.Entity)
}{
	{graph.PropName, []string{"name"}, func(p *props, e *graph.Entity) { e.Name = p.str("name") }},
	{graph.PropAliases, []string{"aliases"}, func(p *props, e *graph.Entity) { e.Aliases = p.strs("aliases") }},
	{graph.PropKind, []string{"kind"}, func(p *props, e *graph.Entity) { e.Kind = p.str("kind") }},
	{graph.PropDescription, []string{"description"}, func(p *props, e *graph.Entity) { e.Description = p.str("description") }},
	{graph.PropDate, []string{"date"}, func(p *props, e *graph.Entity) { e.Date = p.date("date") }},
	{graph.PropOrder, []string{"order"}, func(p *props, e *graph.Entity) { e.Order = p.int("order") }},
	{graph.PropLanguage, []string{"language"}, func(p *props, e *graph.Entity) { e.Language = p.str("language") }},
	{graph.PropURL, []string{"url"}, func(p *props, e *graph.Entity) { e.URL = p.str("url") }},
	{graph.PropText, []string{"text"}, func(p *props, e *graph.Entity) { e.Text = p.str("text") }},
	{graph.PropEvidence, []string{"evidenceSources", "evidenceQuotes"}, func(p *props, e *graph.Entity) { e.Evidence = p.evidence() }},
}

// projection returns a list projection of the node bound to v: its id,
// its labels unless its type is known, and the stored properties that hold
// props, in the order of storedProps. A list costs the driver less to
// decode than a map, and the database less to send. Reading a property, or
// the labels, costs the database a hit per node; a node returned whole has
// them all read and sent, the derived ones (see entityProps) included.
func projection(v string, props graph.Props, known graph.EntityType) string {
	var b strings.Builder
	b.WriteString("[" + v + ".id")
	if known == "" {
		b.WriteString(", labels(" + v + ")")
	}
	for _, sp := range storedProps {
		if props.Has(sp.prop) {
			for _, name := range sp.names {
				b.WriteString(", " + v + "." + name)
			}
		}
	}
	b.WriteString("]")
	return b.String()
}

// idKey names a projection's first value.
var idKey = []string{"id"}

// projectedEntity reads a node projected by projection with props and
// known.
func projectedEntity(v any, want graph.Props, known graph.EntityType) (*graph.Entity, error) {
	values, ok := v.([]any)
	if !ok || len(values) == 0 {
		return nil, fmt.Errorf("entity is %#v, not a list that starts with an id", v)
	}
	p := props{keys: idKey, values: values[:1]}
	e := &graph.Entity{ID: p.str("id"), Type: known}
	rest := values[1:]
	if known == "" {
		if len(rest) == 0 {
			return nil, fmt.Errorf("entity %q: no labels", e.ID)
		}
		labels, ok := rest[0].([]any)
		if !ok {
			return nil, fmt.Errorf("entity %q: labels are a %T, not a list", e.ID, rest[0])
		}
		e.Type, rest = typeAmong(labels), rest[1:]
	}
	for _, sp := range storedProps {
		if !want.Has(sp.prop) {
			continue
		}
		if len(rest) < len(sp.names) {
			return nil, fmt.Errorf("entity %q: %d values projected, fewer than its properties", e.ID, len(values))
		}
		p.keys, p.values, rest = sp.names, rest[:len(sp.names)], rest[len(sp.names):]
		sp.read(&p, e)
	}
	return checked(e, p.err)
}

// typeAmong returns the entity type among the labels a statement returned
// for a node, "" if there is none.
func typeAmong(labels []any) graph.EntityType {
	var t graph.EntityType
	for _, l := range labels {
		if name, _ := l.(string); graph.EntityType(name).Valid() {
			t = graph.EntityType(name)
		}
	}
	return t
}

// endType is the type of the entities path reaches, "" if it does not say.
func endType(path graph.Path) graph.EntityType {
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1].Target
}

// entityOf reads a node returned whole.
func entityOf(node neo4j.Node) (*graph.Entity, error) {
	e := &graph.Entity{}
	for _, label := range node.Labels {
		if t := graph.EntityType(label); t.Valid() {
			e.Type = t
		}
	}
	p := props{stored: node.Props}
	e.ID = p.str("id")
	for _, sp := range storedProps {
		sp.read(&p, e)
	}
	return checked(e, p.err)
}

// checked returns e unless reading it failed or found no entity type.
func checked(e *graph.Entity, err error) (*graph.Entity, error) {
	if err != nil {
		return nil, fmt.Errorf("entity %q: %w", e.ID, err)
	}
	if e.Type == "" {
		return nil, fmt.Errorf("entity %q: no entity type among its labels", e.ID)
	}
	return e, nil
}

func relationOf(rel neo4j.Relationship, typ graph.RelType, from, to string) (*graph.Relation, error) {
	p := props{stored: rel.Props}
	r := &graph.Relation{Type: typ, From: from, To: to, As: p.str("as"), Evidence: p.evidence()}
	if p.err != nil {
		return nil, fmt.Errorf("relation %s %s %s: %w", from, typ, to, p.err)
	}
	return r, nil
}
