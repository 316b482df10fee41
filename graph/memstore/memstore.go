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
	nodes   map[string]*node
	byType  map[graph.EntityType][]*node // in default order
	ordered map[ordering][]ranked        // ascending
	out     map[string][]*graph.Relation // by From
	in      map[string][]*graph.Relation // by To
}

// ordering names one of the orders a type's entities can be listed in.
type ordering struct {
	typ   graph.EntityType
	field graph.OrderField
}

// ranked is a node with its position in an ordering.
type ranked struct {
	*node
	pos graph.Position
}

func newSnapshot(ds *graph.Dataset) *snapshot {
	s := &snapshot{
		nodes:   make(map[string]*node, len(ds.Entities)),
		byType:  make(map[graph.EntityType][]*node),
		ordered: make(map[ordering][]ranked),
		out:     make(map[string][]*graph.Relation),
		in:      make(map[string][]*graph.Relation),
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
	for typ, list := range s.byType {
		sortNodes(list)
		for _, field := range typ.OrderFields() {
			order := make([]ranked, len(list))
			for i, n := range list {
				order[i] = ranked{n, graph.PositionIn(n.Entity, field)}
			}
			slices.SortFunc(order, func(a, b ranked) int { return comparePositions(a.pos, b.pos) })
			s.ordered[ordering{typ, field}] = order
		}
	}
	for i := range ds.Relations {
		r := &ds.Relations[i]
		s.out[r.From] = append(s.out[r.From], r)
		s.in[r.To] = append(s.in[r.To], r)
	}
	return s
}

func sortNodes(list []*node) {
	slices.SortFunc(list, func(a, b *node) int { return comparePositions(a.pos, b.pos) })
}

func comparePositions(a, b graph.Position) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
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

// Find implements graph.Store: it reads the type's entities in the
// order asked, from the end it pages from, and stops once the page is full
// unless the total is wanted.
func (s *Store) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	if err := q.Validate(); err != nil {
		return graph.Page{}, err
	}
	snap := s.current.Load()
	list := snap.ordered[ordering{q.Type, q.Order.On(q.Type)}]
	scan := slices.Values(list)
	if q.ScanDesc() {
		scan = func(yield func(ranked) bool) {
			for _, r := range slices.Backward(list) {
				if !yield(r) {
					return
				}
			}
		}
	}
	var page graph.Page
	var failed error
	matches := func(yield func(ranked) bool) {
		for r := range scan {
			if failed = ctx.Err(); failed != nil {
				return
			}
			if snap.holds(r.node, q.Where) && !yield(r) {
				return
			}
		}
	}
	if q.WithTotal {
		all := slices.Collect(matches)
		page.Total = len(all)
		matches = slices.Values(all)
	}
	found, more := graph.Window(q, matches, func(r ranked) graph.Position { return r.pos })
	if failed != nil {
		return graph.Page{}, failed
	}
	for _, r := range found {
		page.Entities = append(page.Entities, r.Entity)
	}
	page.SetMore(q, more)
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
