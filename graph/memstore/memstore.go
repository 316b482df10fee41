// Package memstore is the embedded store: the whole graph in memory, with
// nothing to install or run. It is the default store and the reference the
// Neo4j store is checked against.
package memstore

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/civicgraph/civicgraph/graph"
)

var _ graph.Store = (*Store)(nil)

// Store is an in-memory graph. Reads see an immutable snapshot and never
// wait; Replace builds a new snapshot and swaps it in whole.
//
// Entities it returns are shared: callers must not modify them.
type Store struct {
	current atomic.Pointer[snapshot]
}

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.current.Store(newSnapshot(&graph.Dataset{}))
	return s
}

// node is an entity with the derived values reads compare on.
type node struct {
	*graph.Entity
	pos   graph.Position
	name  string   // folded name
	names []string // folded name and aliases
}

type snapshot struct {
	nodes  map[string]*node
	byType map[graph.EntityType][]*node // in default order
	out    map[string][]*graph.Relation // by From
	in     map[string][]*graph.Relation // by To
}

func newSnapshot(ds *graph.Dataset) *snapshot {
	s := &snapshot{
		nodes:  make(map[string]*node, len(ds.Entities)),
		byType: make(map[graph.EntityType][]*node),
		out:    make(map[string][]*graph.Relation),
		in:     make(map[string][]*graph.Relation),
	}
	for i := range ds.Entities {
		e := &ds.Entities[i]
		n := &node{Entity: e, pos: graph.PositionOf(e), name: graph.Fold(e.Name)}
		for _, name := range e.Names() {
			n.names = append(n.names, graph.Fold(name))
		}
		s.nodes[e.ID] = n
		s.byType[e.Type] = append(s.byType[e.Type], n)
	}
	for _, list := range s.byType {
		sortNodes(list)
	}
	for i := range ds.Relations {
		r := &ds.Relations[i]
		s.out[r.From] = append(s.out[r.From], r)
		s.in[r.To] = append(s.in[r.To], r)
	}
	return s
}

func sortNodes(list []*node) {
	slices.SortFunc(list, func(a, b *node) int {
		if a.pos.Less(b.pos) {
			return -1
		}
		if b.pos.Less(a.pos) {
			return 1
		}
		return 0
	})
}

// Entities implements graph.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	snap := s.current.Load()
	out := make([]*graph.Entity, len(ids))
	for i, id := range ids {
		if n, ok := snap.nodes[id]; ok {
			out[i] = n.Entity
		}
	}
	return out, ctx.Err()
}

// Find implements graph.Store.
func (s *Store) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	if err := graph.Validate(q.Where); err != nil {
		return graph.Page{}, err
	}
	snap := s.current.Load()
	var page graph.Page
	for _, n := range snap.byType[q.Type] {
		if err := ctx.Err(); err != nil {
			return graph.Page{}, err
		}
		if !snap.holds(n, q.Where) {
			continue
		}
		if q.WithTotal {
			page.Total++
		}
		if q.After != nil && !q.After.Less(n.pos) {
			continue
		}
		if q.First > 0 && len(page.Entities) == q.First {
			page.HasNext = true
			if !q.WithTotal {
				break
			}
			continue
		}
		page.Entities = append(page.Entities, n.Entity)
	}
	return page, nil
}

// Neighbours implements graph.Store.
func (s *Store) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	if err := graph.Validate(where); err != nil {
		return nil, err
	}
	snap := s.current.Load()
	out := make([][]graph.Neighbour, len(ids))
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var found []*node
		for _, n := range snap.reach(id, path) {
			if snap.holds(n, where) {
				found = append(found, n)
			}
		}
		sortNodes(found)
		out[i] = make([]graph.Neighbour, len(found))
		for j, n := range found {
			out[i][j] = graph.Neighbour{Entity: n.Entity}
			if path.Single() {
				out[i][j].Relation = snap.relation(id, n.ID, path[0])
			}
		}
	}
	return out, nil
}

// Replace implements graph.Store. The dataset is copied, so the caller may
// reuse it.
func (s *Store) Replace(ctx context.Context, ds *graph.Dataset) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cp := &graph.Dataset{
		Entities:  slices.Clone(ds.Entities),
		Relations: slices.Clone(ds.Relations),
	}
	s.current.Store(newSnapshot(cp))
	return nil
}

// follow returns the distinct entities one relation of step's type and
// direction away from id, of step's target type.
func (s *snapshot) follow(id string, step graph.Step) []*node {
	rels, other := s.out[id], func(r *graph.Relation) string { return r.To }
	if step.Dir == graph.In {
		rels, other = s.in[id], func(r *graph.Relation) string { return r.From }
	}
	var found []*node
	for _, r := range rels {
		if r.Type != step.Rel {
			continue
		}
		if n := s.nodes[other(r)]; n != nil && (step.Target == "" || n.Type == step.Target) {
			found = append(found, n)
		}
	}
	return found
}

// reach returns the distinct entities reached from id along path.
func (s *snapshot) reach(id string, path graph.Path) []*node {
	start, ok := s.nodes[id]
	if !ok {
		return nil
	}
	frontier := []*node{start}
	for _, step := range path {
		seen := map[string]bool{}
		var next []*node
		add := func(n *node) bool {
			if seen[n.ID] {
				return false
			}
			seen[n.ID] = true
			next = append(next, n)
			return true
		}
		if step.Repeat {
			// Zero or more hops: every node on the way is kept, the
			// start included when it is of the step's type.
			queue := []*node{}
			for _, n := range frontier {
				if step.Target == "" || n.Type == step.Target {
					if add(n) {
						queue = append(queue, n)
					}
				}
			}
			for len(queue) > 0 {
				n := queue[0]
				queue = queue[1:]
				for _, m := range s.follow(n.ID, step) {
					if add(m) {
						queue = append(queue, m)
					}
				}
			}
		} else {
			for _, n := range frontier {
				for _, m := range s.follow(n.ID, step) {
					add(m)
				}
			}
		}
		frontier = next
	}
	return frontier
}

// relation returns the relation a single step followed from id to other.
func (s *snapshot) relation(id, other string, step graph.Step) *graph.Relation {
	if step.Dir == graph.Out {
		for _, r := range s.out[id] {
			if r.Type == step.Rel && r.To == other {
				return r
			}
		}
		return nil
	}
	for _, r := range s.in[id] {
		if r.Type == step.Rel && r.From == other {
			return r
		}
	}
	return nil
}

// holds reports whether n meets c.
func (s *snapshot) holds(n *node, c graph.Cond) bool {
	switch c := c.(type) {
	case nil:
		return true
	case graph.And:
		for _, sub := range c {
			if !s.holds(n, sub) {
				return false
			}
		}
		return true
	case graph.Or:
		for _, sub := range c {
			if s.holds(n, sub) {
				return true
			}
		}
		return false
	case graph.Not:
		return !s.holds(n, c.Cond)
	case graph.Match:
		return matches(n, c)
	case graph.Related:
		count := 0
		for _, m := range s.reach(n.ID, c.Path) {
			met := s.holds(m, c.Where)
			switch {
			case c.Quant == graph.All && !met:
				return false
			case c.Quant == graph.Some && met:
				return true
			case met:
				count++
			}
		}
		switch c.Quant {
		case graph.All:
			return true
		case graph.None:
			return count == 0
		case graph.Single:
			return count == 1
		}
		return false
	}
	return false
}

func matches(n *node, m graph.Match) bool {
	var candidates []string
	switch m.Field {
	case graph.FieldID:
		candidates = []string{n.ID}
	case graph.FieldKind:
		candidates = []string{n.Kind}
	case graph.FieldName:
		candidates = []string{n.name}
	case graph.FieldNames:
		candidates = n.names
	}
	folded := m.Field == graph.FieldName || m.Field == graph.FieldNames
	values := m.Values
	if folded {
		values = make([]string, len(m.Values))
		for i, v := range m.Values {
			values[i] = graph.Fold(v)
		}
	}
	for _, c := range candidates {
		for _, v := range values {
			if compare(c, m.Op, v) {
				return true
			}
		}
	}
	return false
}

func compare(field string, op graph.Op, value string) bool {
	switch op {
	case graph.OpEq, graph.OpIn:
		return field == value
	case graph.OpContains:
		return strings.Contains(field, value)
	case graph.OpStartsWith:
		return strings.HasPrefix(field, value)
	case graph.OpEndsWith:
		return strings.HasSuffix(field, value)
	}
	return false
}
