package memstore

import (
	"cmp"
	"context"
	"iter"
	"slices"

	"github.com/civicgraph/civicgraph/graph"
)

// Count implements graph.Store.
func (s *Store) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	page, err := s.Find(ctx, graph.Query{Type: typ, Where: where, First: 1, WithTotal: true})
	return page.Total, err
}

// GroupCount implements graph.Store.
func (s *Store) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	snap := s.current.Load()
	groups := map[string]*graph.Group{}
	holds, by := snap.compile(q.Where, true), snap.route(q.By)
	for _, n := range snap.byType[q.Type] {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !holds(n) {
			continue
		}
		for key, e := range snap.groupsOf(n, q, by) {
			g := groups[key]
			if g == nil {
				g = &graph.Group{Key: key, Entity: e}
				groups[key] = g
			}
			g.Count++
		}
	}
	out := make([]graph.Group, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	graph.SortGroups(out)
	return out, nil
}

// groupsOf yields the distinct groups n counts in: each key with the
// entity grouped by (nil for kinds), by the route of q.By. An empty kind is
// no group.
func (snap *snapshot) groupsOf(n *node, q graph.GroupQuery, by route) iter.Seq2[string, *graph.Entity] {
	return func(yield func(string, *graph.Entity) bool) {
		if q.By == nil {
			if n.Kind != "" {
				yield(n.Kind, nil)
			}
			return
		}
		var kinds []string // yielded so far: a handful at most
		for m := range snap.walk(n, by) {
			switch {
			case !q.ByKind:
				if !yield(m.ID, m.Entity) {
					return
				}
			case m.Kind != "" && !slices.Contains(kinds, m.Kind):
				kinds = append(kinds, m.Kind)
				if !yield(m.Kind, nil) {
					return
				}
			}
		}
	}
}

// Paths implements graph.Store. Two searches outward, from each end, tell
// which entities lie on a shortest route: those whose distances from both
// ends add up to its length. A walk from the start through them, taking
// the hops in order, then finds the routes in order, and stops at the
// limit however many routes there are.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	snap := s.current.Load()
	ends := [2]*node{snap.node(q.From), snap.node(q.To)}
	for i, id := range []string{q.From, q.To} {
		if ends[i] == nil {
			return nil, graph.Errorf(graph.ENOTFOUND, "no entity has id %q", id)
		}
	}
	via := func(r *graph.Relation, _ *node) bool { return len(q.Via) == 0 || slices.Contains(q.Via, r.Type) }
	fromStart := snap.distances(ends[0], q.MaxLength, via, ends[1])
	length, ok := fromStart[ends[1]]
	if !ok {
		return []graph.Route{}, ctx.Err()
	}
	toEnd := snap.distances(ends[1], length, via, nil)

	var routes []graph.Route
	route := graph.Route{Entities: []*graph.Entity{ends[0].Entity}}
	var walk func(at *node) bool // false: the limit is reached
	walk = func(at *node) bool {
		d := len(route.Relations)
		if d == length {
			routes = append(routes, graph.Route{
				Entities:  slices.Clone(route.Entities),
				Relations: slices.Clone(route.Relations),
			})
			return len(routes) < q.Limit
		}
		type hop struct {
			rel  *graph.Relation
			next *node
		}
		var hops []hop
		for e := range snap.touching(at) {
			if via(e.rel, e.to) && is(fromStart, e.to, d+1) && is(toEnd, e.to, length-d-1) {
				hops = append(hops, hop{e.rel, e.to})
			}
		}
		slices.SortFunc(hops, func(a, b hop) int {
			return cmp.Or(cmp.Compare(a.next.ID, b.next.ID), cmp.Compare(a.rel.Type, b.rel.Type), cmp.Compare(a.rel.From, b.rel.From))
		})
		for _, h := range hops {
			route.Entities = append(route.Entities, h.next.Entity)
			route.Relations = append(route.Relations, h.rel)
			more := walk(h.next)
			route.Entities = route.Entities[:d+1]
			route.Relations = route.Relations[:d]
			if !more {
				return false
			}
		}
		return true
	}
	walk(ends[0])
	return routes, ctx.Err()
}

// distances returns how many relations, followed either way, separate each
// entity from start, up to depth, following only what ok allows. It stops
// after the level that reaches until, if not nil.
func (snap *snapshot) distances(start *node, depth int, ok func(*graph.Relation, *node) bool, until *node) map[*node]int {
	dist := map[*node]int{start: 0}
	snap.levels(start, depth, ok, func(d int, level []*node) bool {
		for _, n := range level {
			dist[n] = d
		}
		return until == nil || !slices.Contains(level, until)
	})
	return dist
}

// is reports whether n is at distance d in dist.
func is(dist map[*node]int, n *node, d int) bool {
	got, ok := dist[n]
	return ok && got == d
}

// Neighbourhood implements graph.Store.
func (s *Store) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return graph.Subgraph{}, err
	}
	snap := s.current.Load()
	centre := snap.node(q.ID)
	if centre == nil {
		return graph.Subgraph{}, graph.Errorf(graph.ENOTFOUND, "no entity has id %q", q.ID)
	}
	allowed := func(_ *graph.Relation, n *node) bool { return len(q.Types) == 0 || slices.Contains(q.Types, n.Type) }
	sub := graph.Subgraph{Entities: []*graph.Entity{centre.Entity}}
	kept := map[*node]bool{centre: true}
	// The nearest first, each level in default order, up to the limit.
	snap.levels(centre, q.Depth, allowed, func(_ int, level []*node) bool {
		sortNodes(level)
		room := q.Limit - len(sub.Entities)
		if len(level) > room {
			level, sub.Truncated = level[:room], true
		}
		for _, n := range level {
			sub.Entities = append(sub.Entities, n.Entity)
			kept[n] = true
		}
		return !sub.Truncated
	})
	sub.Relations = []*graph.Relation{}
	for _, e := range sub.Entities {
		for _, l := range snap.linksOf(snap.node(e.ID)) {
			if l.dir != dirOut {
				continue // each relation once, from its From
			}
			for _, e := range snap.edgesOf(&l) {
				if a := snap.arc(e); kept[a.to] {
					sub.Relations = append(sub.Relations, a.rel)
				}
			}
		}
	}
	graph.SortRelations(sub.Relations)
	return sub, ctx.Err()
}

// levels searches breadth first from start, following relations either
// way, up to depth relations away, through the relations and entities ok
// allows. It calls visit with each level's entities not seen before, in no
// particular order, and stops when visit returns false.
func (snap *snapshot) levels(start *node, depth int, ok func(*graph.Relation, *node) bool, visit func(d int, level []*node) bool) {
	seen := map[*node]bool{start: true}
	frontier := []*node{start}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var level []*node
		for _, n := range frontier {
			for e := range snap.touching(n) {
				if !seen[e.to] && ok(e.rel, e.to) {
					seen[e.to] = true
					level = append(level, e.to)
				}
			}
		}
		if len(level) > 0 && !visit(d, level) {
			return
		}
		frontier = level
	}
}
