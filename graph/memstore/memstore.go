// Package memstore is the embedded store: the whole graph in memory, with
// nothing to install or run. It is the default store and the reference the
// Neo4j store is checked against.
package memstore

import (
	"context"
	"iter"
	"slices"
	"sort"
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

// node is an entity with the derived values reads compare on, and its
// relations.
type node struct {
	*graph.Entity
	sortKey string // of the default order; the id breaks ties
	// Bounds in the snapshot's slices of the node's folded names (the
	// name, then the aliases) and of its links, which group the relations
	// from and to the entity by direction, type and the type at the other
	// end, so that a step reads only the relations it follows. Bounds
	// rather than slices, and no copy of the id in a position, leave few
	// pointers in each node for the collector to mark.
	firstName, endName int32
	firstLink, endLink int32
}

// pos is n's position in its type's default order.
func (n *node) pos() graph.Position { return graph.Position{SortKey: n.sortKey, ID: n.ID} }

// namesOf returns n's folded names.
func (snap *snapshot) namesOf(n *node) []string { return snap.names[n.firstName:n.endName] }

// linksOf returns n's links.
func (snap *snapshot) linksOf(n *node) []link { return snap.links[n.firstLink:n.endLink] }

// link is the relations of one type that go one way from a node to nodes
// of one type: its edges in the snapshot's, in the default order of the
// nodes they reach. Its types are codes, not strings, and its edges a
// span, not a slice: holding no pointers, the links (millions at scale L)
// are memory the collector need not scan on each of its cycles, and a
// step compares numbers.
type link struct {
	linkKey
	first, end int32
}

// linkKey is what a link's relations share, in the codes of its snapshot
// (see snapshot.key).
type linkKey struct {
	rel, to uint16 // relation type; type at the other end, or anyType in a step's key
	dir     uint8
}

const (
	dirOut, dirIn = 1, 2
	anyType       = 0         // a step's target when it names none
	noCode        = 1<<16 - 1 // what a step's key holds for a type the graph lacks: no link has it
)

// follows reports whether a step with key k follows l's relations.
func (l *link) follows(k linkKey) bool {
	return l.rel == k.rel && l.dir == k.dir && (k.to == anyType || l.to == k.to)
}

// edge is a relation and the node at its other end, by their indexes in
// the snapshot's relations and nodes. Holding no pointers, the edges (two
// per relation) are memory the collector need not scan on each of its
// cycles, which mark the whole graph: at scale L that marking was a third
// of a nested read's CPU.
type edge struct{ rel, to int32 }

// arc is an edge resolved: the relation and the node it reaches.
type arc struct {
	rel *graph.Relation
	to  *node
}

// step returns the relations one plain step, of key k, follows from n, in
// the default order of the nodes they reach; ok is false when the step
// follows relations of more than one of n's links (it names no target
// type), whose nodes a walk must merge.
func (snap *snapshot) step(n *node, k linkKey) (edges []edge, ok bool) {
	found := 0
	links := snap.linksOf(n)
	for i := range links {
		if l := &links[i]; l.follows(k) {
			edges = snap.edgesOf(l)
			found++
		}
	}
	return edges, found <= 1
}

// degree is the number of nodes one plain step, of key k, takes n to: the
// number of its relations the step follows, since a valid dataset never
// joins two entities twice by relations of one type.
func (snap *snapshot) degree(n *node, k linkKey) int {
	count := 0
	links := snap.linksOf(n)
	for i := range links {
		if l := &links[i]; l.follows(k) {
			count += int(l.end - l.first)
		}
	}
	return count
}

// edgesOf returns l's edges.
func (snap *snapshot) edgesOf(l *link) []edge { return snap.edges[l.first:l.end] }

// touching yields the relations from and to n.
func (snap *snapshot) touching(n *node) iter.Seq[arc] {
	return func(yield func(arc) bool) {
		links := snap.linksOf(n)
		for i := range links {
			for _, e := range snap.edgesOf(&links[i]) {
				if !yield(snap.arc(e)) {
					return
				}
			}
		}
	}
}

type snapshot struct {
	index     map[string]int32 // of each node in nodes, by id
	nodes     []node
	relations []graph.Relation
	names     []string                     // every node's folded names, node after node
	links     []link                       // every node's, node after node
	edges     []edge                       // every link's, link after link
	byType    map[graph.EntityType][]*node // in default order
	ordered   map[ordering][]ranked        // ascending
	// The codes of the relation and entity types the graph has, from 1.
	relCodes  map[graph.RelType]uint16
	typeCodes map[graph.EntityType]uint16
}

// key returns the link key of the relations step follows, in snap's codes.
func (snap *snapshot) key(step graph.Step) linkKey {
	k := linkKey{rel: noCode, to: anyType}
	if c, ok := snap.relCodes[step.Rel]; ok {
		k.rel = c
	}
	switch step.Dir {
	case graph.Out:
		k.dir = dirOut
	case graph.In:
		k.dir = dirIn
	}
	if step.Target != "" {
		k.to = noCode
		if c, ok := snap.typeCodes[step.Target]; ok {
			k.to = c
		}
	}
	return k
}

// route is a path with the link keys of its steps, worked out once for
// the many walks along it.
type route struct {
	path graph.Path
	keys []linkKey
}

// route returns path's route in snap.
func (snap *snapshot) route(path graph.Path) route {
	r := route{path, make([]linkKey, len(path))}
	for i, step := range path {
		r.keys[i] = snap.key(step)
	}
	return r
}

// node returns the node of the entity with id, or nil if there is none.
func (snap *snapshot) node(id string) *node {
	i, ok := snap.index[id]
	if !ok {
		return nil
	}
	return &snap.nodes[i]
}

// arc resolves e.
func (snap *snapshot) arc(e edge) arc {
	return arc{&snap.relations[e.rel], &snap.nodes[e.to]}
}

// ordering names one of the orders a type's entities can be listed in.
type ordering struct {
	typ   graph.EntityType
	field graph.OrderField
}

// ranked is a node, by its index in the snapshot's nodes, with its sort
// key in an ordering: one pointer for the collector to follow where a
// pointer to the node and a graph.Position were three.
type ranked struct {
	key  string
	node int32
}

// position returns r's position in its ordering.
func (snap *snapshot) position(r ranked) graph.Position {
	return graph.Position{SortKey: r.key, ID: snap.nodes[r.node].ID}
}

func newSnapshot(ds *graph.Dataset) *snapshot {
	s := &snapshot{
		index:     make(map[string]int32, len(ds.Entities)),
		relations: ds.Relations,
		byType:    make(map[graph.EntityType][]*node),
		ordered:   make(map[ordering][]ranked),
		relCodes:  make(map[graph.RelType]uint16),
		typeCodes: make(map[graph.EntityType]uint16),
	}
	// The nodes, and their folded names, in one slice each: the collector
	// marks every allocation on each cycle (see compact).
	names := 0
	for i := range ds.Entities {
		names += 1 + len(ds.Entities[i].Aliases)
	}
	nodes := make([]node, len(ds.Entities))
	s.names = make([]string, 0, names)
	var keys packer
	for i := range ds.Entities {
		e, n := &ds.Entities[i], &nodes[i]
		first := len(s.names)
		for _, name := range e.Names() {
			s.names = append(s.names, keys.pack(graph.Fold(name)))
		}
		*n = node{Entity: e, sortKey: keys.pack(graph.PositionOf(e).SortKey, s.names[first]),
			firstName: int32(first), endName: int32(len(s.names))}
		s.index[e.ID] = int32(i)
		s.byType[e.Type] = append(s.byType[e.Type], n)
	}
	s.nodes = nodes
	for typ, list := range s.byType {
		sortNodes(list)
		for _, field := range typ.OrderFields() {
			order := make([]ranked, len(list))
			for i, n := range list {
				key := n.sortKey // the default order's, worked out above
				if field != typ.DefaultOrder() {
					key = keys.pack(graph.SortValue(n.Entity, field), n.sortKey, s.namesOf(n)[0])
				}
				order[i] = ranked{key, s.index[n.ID]}
			}
			slices.SortFunc(order, func(a, b ranked) int { return s.position(a).Compare(s.position(b)) })
			s.ordered[ordering{typ, field}] = order
		}
	}
	// Each node's links as they grow, relation by relation, before
	// gatherLinks lays them out.
	growing := make([][]growingLink, len(nodes))
	for i := range ds.Relations {
		// A relation to an entity the dataset lacks leads nowhere.
		r := &ds.Relations[i]
		from, fromOK := s.index[r.From]
		to, toOK := s.index[r.To]
		if fromOK && toOK {
			rel := code(s.relCodes, r.Type)
			connect(&growing[from], linkKey{rel, code(s.typeCodes, nodes[to].Type), dirOut}, edge{int32(i), to})
			connect(&growing[to], linkKey{rel, code(s.typeCodes, nodes[from].Type), dirIn}, edge{int32(i), from})
		}
	}
	for _, links := range growing {
		for _, l := range links {
			slices.SortFunc(l.edges, func(a, b edge) int { return nodes[a.to].pos().Compare(nodes[b.to].pos()) })
		}
	}
	s.gatherLinks(growing)
	return s
}

// code returns the code of name in codes, giving it the next one if it has
// none yet.
func code[T comparable](codes map[T]uint16, name T) uint16 {
	c, ok := codes[name]
	if !ok {
		c = uint16(len(codes) + 1)
		codes[name] = c
	}
	return c
}

// growingLink is a link while its snapshot is built.
type growingLink struct {
	key   linkKey
	edges []edge
}

// connect adds e, a relation of key k, to a node's links.
func connect(links *[]growingLink, k linkKey, e edge) {
	for i := range *links {
		if l := &(*links)[i]; l.key == k {
			l.edges = append(l.edges, e)
			return
		}
	}
	*links = append(*links, growingLink{k, []edge{e}})
}

// gatherLinks lays every node's links out in one slice, and their edges
// in another: grown relation by relation, they were an allocation per node
// and one per link, millions at scale L, each of which the collector marks
// on every cycle.
func (snap *snapshot) gatherLinks(growing [][]growingLink) {
	links, edges := 0, 0
	for _, ls := range growing {
		links += len(ls)
		for _, l := range ls {
			edges += len(l.edges)
		}
	}
	snap.links = make([]link, 0, links)
	snap.edges = make([]edge, 0, edges)
	for i, ls := range growing {
		n := &snap.nodes[i]
		n.firstLink = int32(len(snap.links))
		for _, l := range ls {
			start := int32(len(snap.edges))
			snap.edges = append(snap.edges, l.edges...)
			snap.links = append(snap.links, link{l.key, start, int32(len(snap.edges))})
		}
		n.endLink = int32(len(snap.links))
	}
}

// packer copies the strings a snapshot derives (folded names, sort keys)
// into large shared blocks: made one by one, they were millions of small
// allocations, each of which the collector marks on every cycle.
type packer struct {
	block strings.Builder
}

// packBlock is the size of the blocks a packer fills.
const packBlock = 1 << 20

// pack returns the first of same that equals s, or else a copy of s in
// the current block.
func (p *packer) pack(s string, same ...string) string {
	for _, t := range same {
		if t == s {
			return t
		}
	}
	if s == "" {
		return ""
	}
	if p.block.Cap()-p.block.Len() < len(s) {
		// The strings already handed out keep the old block alive.
		p.block = strings.Builder{}
		p.block.Grow(max(packBlock, len(s)))
	}
	start := p.block.Len()
	p.block.WriteString(s)
	return p.block.String()[start:]
}

func sortNodes(list []*node) {
	slices.SortFunc(list, func(a, b *node) int { return a.pos().Compare(b.pos()) })
}

// Entities implements graph.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	return s.current.Load().Entities(ctx, ids)
}

// Expand implements graph.Store, every read on one snapshot of the graph.
// Its entities are whole: they are shared, not copied, whatever props asks.
// It reads the branches from node to node: the nodes a level reaches are
// where the next one starts, not ids to look up again.
func (s *Store) Expand(ctx context.Context, ids []string, branches []graph.Branch, _ graph.Props) (graph.Expansion, error) {
	if err := graph.ValidateBranches(branches); err != nil {
		return graph.Expansion{}, err
	}
	snap := s.current.Load()
	from := make([]*node, len(ids))
	entities := make([]*graph.Entity, len(ids))
	for i, id := range ids {
		if n := snap.node(id); n != nil {
			from[i], entities[i] = n, n.Entity
		}
	}
	reached, err := snap.reach(ctx, from, branches)
	if err != nil {
		return graph.Expansion{}, err
	}
	return graph.Expansion{Entities: entities, Reached: reached}, nil
}

// reach reads branches from the nodes from (nil ones and repeats of a node
// ignored), as Neighbours and NeighbourCounts read them from each node.
func (snap *snapshot) reach(ctx context.Context, from []*node, branches []graph.Branch) ([]graph.Reach, error) {
	out := make([]graph.Reach, len(branches))
	for i, b := range branches {
		holds, r := snap.compile(b.Where, false), snap.route(b.Path)
		if b.Count {
			out[i].Counts = make(map[string]int, len(from))
		} else {
			out[i].Neighbours = make(map[string][]graph.Neighbour, len(from))
		}
		var next []*node
		for _, n := range from {
			if n == nil || n.Type != b.From {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if b.Count {
				if _, done := out[i].Counts[n.ID]; !done {
					out[i].Counts[n.ID] = snap.count(n, r, holds, b.Where == nil)
				}
				continue
			}
			if _, done := out[i].Neighbours[n.ID]; done {
				continue
			}
			found := snap.reached(n, r, holds)
			out[i].Neighbours[n.ID] = neighbours(found, b.Relations && b.Path.Single())
			for _, a := range found {
				next = append(next, a.to)
			}
		}
		if b.Count {
			continue
		}
		below, err := snap.reach(ctx, next, b.Below)
		if err != nil {
			return nil, err
		}
		out[i].Below = below
	}
	return out, nil
}

// Entities is Store.Entities on this snapshot.
func (snap *snapshot) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	out := make([]*graph.Entity, len(ids))
	for i, id := range ids {
		if n := snap.node(id); n != nil {
			out[i] = n.Entity
		}
	}
	return out, ctx.Err()
}

// Find implements graph.Store: it reads the type's entities in the
// order asked, from the cursor or the end it pages from, and stops once the
// page is full; then what q.Below reads from them, on the same snapshot.
func (s *Store) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	if err := q.Validate(); err != nil {
		return graph.Page{}, err
	}
	snap := s.current.Load()
	all := snap.ordered[ordering{q.Type, q.Order.On(q.Type)}]
	scan := graph.Scan(snap.between(all, q), q.ScanDesc())
	var page graph.Page
	var failed error
	holds := snap.compile(q.Where, true)
	matches := func(yield func(ranked) bool) {
		for r := range scan {
			if failed = ctx.Err(); failed != nil {
				return
			}
			if holds(&snap.nodes[r.node]) && !yield(r) {
				return
			}
		}
	}
	if q.WithTotal {
		for _, r := range all {
			if holds(&snap.nodes[r.node]) {
				page.Total++
			}
		}
	}
	found, more := graph.Window(q, matches, snap.position)
	if failed != nil {
		return graph.Page{}, failed
	}
	nodes := make([]*node, len(found))
	for i, r := range found {
		nodes[i] = &snap.nodes[r.node]
		page.Entities = append(page.Entities, nodes[i].Entity)
	}
	page.SetMore(q, more)
	var err error
	page.Reached, err = snap.reach(ctx, nodes, q.Below)
	return page, err
}

// between returns the part of list, in ascending order of position, that
// lies between q's cursors, found by binary search: a page deep in a long
// list tests only the entities from its cursor on.
func (snap *snapshot) between(list []ranked, q graph.Query) []ranked {
	low, high := q.Bounds()
	lo, hi := 0, len(list)
	if low != nil {
		lo = sort.Search(len(list), func(i int) bool { return low.Less(snap.position(list[i])) })
	}
	if high != nil {
		hi = sort.Search(len(list), func(i int) bool { return !snap.position(list[i]).Less(*high) })
	}
	return list[lo:max(lo, hi)]
}

// Neighbours implements graph.Store.
func (s *Store) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	return s.current.Load().Neighbours(ctx, ids, path, where)
}

// Neighbours is Store.Neighbours on this snapshot.
func (snap *snapshot) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	if err := graph.Validate(where); err != nil {
		return nil, err
	}
	holds, r := snap.compile(where, false), snap.route(path)
	out := make([][]graph.Neighbour, len(ids))
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[i] = neighbours(snap.reached(snap.node(id), r, holds), path.Single())
	}
	return out, nil
}

// neighbours returns the nodes found as neighbours, with the relations
// that reached them if relations.
func neighbours(found []arc, relations bool) []graph.Neighbour {
	out := make([]graph.Neighbour, len(found))
	for i, a := range found {
		out[i] = graph.Neighbour{Entity: a.to.Entity}
		if relations {
			out[i].Relation = a.rel
		}
	}
	return out
}

// reached returns the relations path follows from start (nil: none) to
// nodes that hold, in the default order of the nodes. A plain step reads
// them as they are stored, already in that order and each node once (a
// valid dataset never joins two entities twice by relations of a type).
func (snap *snapshot) reached(start *node, r route, holds test) []arc {
	if start == nil {
		return nil
	}
	if r.path.Single() {
		if edges, ok := snap.step(start, r.keys[0]); ok {
			found := make([]arc, 0, len(edges))
			for _, e := range edges {
				if a := snap.arc(e); holds(a.to) {
					found = append(found, a)
				}
			}
			return found
		}
	}
	var found []arc
	for n, rel := range snap.walk(start, r) {
		if holds(n) {
			found = append(found, arc{rel, n})
		}
	}
	slices.SortFunc(found, func(a, b arc) int { return a.to.pos().Compare(b.to.pos()) })
	return found
}

// NeighbourCounts implements graph.Store.
func (s *Store) NeighbourCounts(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([]int, error) {
	return s.current.Load().NeighbourCounts(ctx, ids, path, where)
}

// NeighbourCounts is Store.NeighbourCounts on this snapshot.
func (snap *snapshot) NeighbourCounts(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([]int, error) {
	if err := graph.Validate(where); err != nil {
		return nil, err
	}
	holds, r := snap.compile(where, false), snap.route(path)
	out := make([]int, len(ids))
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if start := snap.node(id); start != nil {
			out[i] = snap.count(start, r, holds, where == nil)
		}
	}
	return out, nil
}

// count returns the number of nodes r reaches from start that hold, which
// all says they all do.
func (snap *snapshot) count(start *node, r route, holds test, all bool) int {
	if all && r.path.Single() {
		return snap.degree(start, r.keys[0])
	}
	n := 0
	for reached := range snap.walk(start, r) {
		if holds(reached) {
			n++
		}
	}
	return n
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
	compact(cp)
	s.current.Store(newSnapshot(cp))
	return nil
}

// walk yields the distinct nodes reached from start along path, each with
// the relation that first reached it (nil for a node a Repeat step reaches
// with no hop). It goes depth first and reads no further than the caller
// consumes, so a condition that one node decides costs one branch.
func (snap *snapshot) walk(start *node, r route) iter.Seq2[*node, *graph.Relation] {
	return func(yield func(*node, *graph.Relation) bool) {
		if len(r.path) == 0 {
			yield(start, nil)
			return
		}
		w := walker{snap: snap, route: r, seen: make([]map[*node]bool, len(r.path)), yield: yield}
		w.from(0, start)
	}
}

// walker is one walk along a path. Its methods return false once the
// caller wants no more.
type walker struct {
	snap *snapshot
	route
	seen  []map[*node]bool // by step: the nodes it has reached
	yield func(*node, *graph.Relation) bool
}

// from takes step i from n.
func (w *walker) from(i int, n *node) bool {
	if w.path[i].Repeat {
		// Zero or more hops, every node on the way of the step's type:
		// n is the first, when it is of that type.
		return !fits(n, w.path[i]) || w.reach(i, n, nil)
	}
	return w.hop(i, n)
}

// hop follows step i's relations one hop from n.
func (w *walker) hop(i int, n *node) bool {
	links := w.snap.linksOf(n)
	for j := range links {
		l := &links[j]
		if !l.follows(w.keys[i]) {
			continue
		}
		for _, e := range w.snap.edgesOf(l) {
			if a := w.snap.arc(e); !w.reach(i, a.to, a.rel) {
				return false
			}
		}
	}
	return true
}

// reach goes on from n, which step i reached along rel: to the next step,
// or to the caller after the last; and one more hop if step i repeats.
func (w *walker) reach(i int, n *node, rel *graph.Relation) bool {
	if w.seen[i][n] {
		return true
	}
	if w.seen[i] == nil {
		w.seen[i] = map[*node]bool{}
	}
	w.seen[i][n] = true
	var more bool
	if i == len(w.path)-1 {
		more = w.yield(n, rel)
	} else {
		more = w.from(i+1, n)
	}
	return more && (!w.path[i].Repeat || w.hop(i, n))
}

// fits reports whether n is of step's target type.
func fits(n *node, step graph.Step) bool { return step.Target == "" || n.Type == step.Target }

// test tells whether a node meets a condition.
type test func(*node) bool

// compile returns the test of c, with its values folded once for all the
// nodes it tests.
//
// A test for many nodes (a scan of every node of a type) answers a some or
// none relationship filter that ids decide — the related nodes have one of
// some ids, or themselves meet such a filter — from the set of nodes that
// reach those ids: a walk back along the path from them, made once, reads
// the few nodes around them rather than the reach of every node tested.
func (s *snapshot) compile(c graph.Cond, many bool) test {
	switch c := c.(type) {
	case graph.And:
		tests := s.compileAll(c, many)
		return func(n *node) bool {
			for _, t := range tests {
				if !t(n) {
					return false
				}
			}
			return true
		}
	case graph.Or:
		tests := s.compileAll(c, many)
		return func(n *node) bool {
			for _, t := range tests {
				if t(n) {
					return true
				}
			}
			return false
		}
	case graph.Not:
		t := s.compile(c.Cond, many)
		return func(n *node) bool { return !t(n) }
	case graph.Match:
		if c.Field == graph.FieldName || c.Field == graph.FieldNames {
			folded := make([]string, len(c.Values))
			for i, v := range c.Values {
				folded[i] = graph.Fold(v)
			}
			c.Values = folded
		}
		return func(n *node) bool { return s.matches(n, c) }
	case graph.Related:
		if many && (c.Quant == graph.Some || c.Quant == graph.None) {
			if ends, ok := s.ends(c.Where); ok {
				found := s.back(ends, c.Path)
				reaching := make(map[*node]bool, len(found))
				for _, n := range found {
					reaching[n] = true
				}
				return func(n *node) bool { return reaching[n] == (c.Quant == graph.Some) }
			}
		}
		return s.compileRelated(c, many)
	case nil:
		return func(*node) bool { return true }
	}
	return func(*node) bool { return false }
}

func (s *snapshot) compileAll(conds []graph.Cond, many bool) []test {
	tests := make([]test, len(conds))
	for i, c := range conds {
		tests[i] = s.compile(c, many)
	}
	return tests
}

// compileRelated tests r by walking from each node tested: each node
// reached is tested as the walk reaches it, and the walk ends as soon as
// the answer is known.
func (s *snapshot) compileRelated(r graph.Related, many bool) test {
	where, along := s.compile(r.Where, many), s.route(r.Path)
	return func(n *node) bool {
		met := 0
		for m := range s.walk(n, along) {
			ok := where(m)
			switch {
			case r.Quant == graph.All && !ok:
				return false
			case (r.Quant == graph.Some || r.Quant == graph.None) && ok:
				return r.Quant == graph.Some
			case r.Quant == graph.Single && ok:
				if met++; met > 1 {
					return false
				}
			}
		}
		switch r.Quant {
		case graph.All, graph.None:
			return true
		case graph.Single:
			return met == 1
		}
		return false
	}
}

// ends returns the nodes that meet c when ids decide it (see
// graph.DecidedByIDs).
func (s *snapshot) ends(c graph.Cond) ([]*node, bool) {
	ids, paths, ok := graph.DecidedByIDs(c)
	if !ok {
		return nil, false
	}
	var found []*node
	for _, id := range ids.Values {
		if n := s.node(id); n != nil {
			found = append(found, n)
		}
	}
	for _, p := range paths {
		found = s.back(found, p)
	}
	return found, true
}

// back returns the distinct nodes from which path reaches one of ends. It
// takes the steps backwards, last first: from the nodes a step reached,
// along its relations the other way, to the nodes it may leave from, which
// are of the type the step before reaches (any type for the first step).
func (s *snapshot) back(ends []*node, path graph.Path) []*node {
	last := path[len(path)-1]
	level := slices.DeleteFunc(slices.Clone(ends), func(n *node) bool { return !fits(n, last) })
	for i := len(path) - 1; i >= 0; i-- {
		var from graph.Step // the type of the nodes step i leaves from
		if i > 0 {
			from.Target = path[i-1].Target
		}
		step := path[i]
		step.Dir = step.Dir.Reverse()
		if !step.Repeat {
			step.Target = from.Target
		}
		// Sized for one hop from every node of the level: a topic's
		// practices at L are thousands, grown into step by step.
		k := s.key(step)
		hop := 0
		for _, n := range level {
			hop += s.degree(n, k)
		}
		next := make([]*node, 0, hop)
		w := walker{snap: s, route: route{graph.Path{step}, []linkKey{k}}, seen: []map[*node]bool{make(map[*node]bool, hop)}, yield: func(n *node, _ *graph.Relation) bool {
			// A Repeat step stays among nodes of its own type, which
			// may not be the one step i leaves from.
			if fits(n, from) {
				next = append(next, n)
			}
			return true
		}}
		for _, n := range level {
			w.from(0, n)
		}
		level = next
	}
	return level
}

// matches reports whether n meets m, whose values are folded already when
// its field is.
func (snap *snapshot) matches(n *node, m graph.Match) bool {
	var candidates []string
	switch m.Field {
	case graph.FieldID:
		candidates = []string{n.ID}
	case graph.FieldKind:
		candidates = []string{n.Kind}
	case graph.FieldName:
		candidates = snap.namesOf(n)[:1]
	case graph.FieldNames:
		candidates = snap.namesOf(n)
	}
	for _, c := range candidates {
		for _, v := range m.Values {
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
