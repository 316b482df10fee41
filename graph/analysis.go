package graph

import (
	"cmp"
	"slices"
)

// Bounds of the analysis queries. They keep the work of one request near
// the size of its answer: path searches and neighbourhoods grow with the
// degree of the graph to the power of their length.
const (
	MaxPathLength         = 8
	MaxPaths              = 100
	MaxNeighbourhoodDepth = 3
	MaxNeighbourhoodSize  = 1000
)

// GroupQuery asks how the entities of one type that meet a condition spread
// over what they relate to: the data of a bar or pie chart.
type GroupQuery struct {
	Type  EntityType
	Where Cond // nil: every entity of Type
	// By is followed from each entity to the entities it groups under;
	// nil groups the entities by their own kind.
	By Path
	// ByKind groups by the kinds of the entities By reaches rather than
	// by the entities themselves.
	ByKind bool
}

// Group is one bar of a chart: the entities counted under one key.
type Group struct {
	Key    string  // the id of the entity reached, or a kind
	Entity *Entity // the entity reached; nil when grouping by kind
	Count  int
}

// Validate checks what a caller could get wrong: the type, the condition,
// and that grouping by own kind asks a type that has kinds.
func (q GroupQuery) Validate() error {
	if !q.Type.Valid() {
		return Errorf(EINVALID, "unknown entity type %q", q.Type)
	}
	if q.By == nil && q.Type.Kinds() == nil {
		return Errorf(EINVALID, "%s has no kind to group by", q.Type)
	}
	return Validate(q.Where)
}

// SortGroups puts groups in the order GroupCount returns them: the largest
// first, ties by key.
func SortGroups(groups []Group) {
	slices.SortFunc(groups, func(a, b Group) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// PathQuery asks for the shortest connections between two entities.
type PathQuery struct {
	From, To  string    // entity ids
	MaxLength int       // most relations on a path, 1 to MaxPathLength
	Via       []RelType // the relation types a path may use; empty: any
	Limit     int       // most paths returned, 1 to MaxPaths
}

// Validate checks the bounds and the relation types.
func (q PathQuery) Validate() error {
	if err := Between("maxLength", q.MaxLength, 1, MaxPathLength); err != nil {
		return err
	}
	if err := Between("limit", q.Limit, 1, MaxPaths); err != nil {
		return err
	}
	for _, r := range q.Via {
		if !slices.Contains(RelTypes(), r) {
			return Errorf(EINVALID, "unknown relation type %q", r)
		}
	}
	return nil
}

// Route is one connection between two entities, relations followed either
// way: Relations[i] joins Entities[i] and Entities[i+1], in whichever
// direction it points. Its length is len(Relations).
type Route struct {
	Entities  []*Entity
	Relations []*Relation
}

// NeighbourhoodQuery asks for the subgraph around an entity.
type NeighbourhoodQuery struct {
	ID    string
	Depth int // most relations from ID, either way, 1 to MaxNeighbourhoodDepth
	// Types limits the entities kept, and those the search passes
	// through, to these types; empty: any. The centre is always kept.
	Types []EntityType
	Limit int // most entities kept, the centre included, 1 to MaxNeighbourhoodSize
}

// Validate checks the bounds and the types.
func (q NeighbourhoodQuery) Validate() error {
	if err := Between("depth", q.Depth, 1, MaxNeighbourhoodDepth); err != nil {
		return err
	}
	if err := Between("limit", q.Limit, 1, MaxNeighbourhoodSize); err != nil {
		return err
	}
	for _, t := range q.Types {
		if !t.Valid() {
			return Errorf(EINVALID, "unknown entity type %q", t)
		}
	}
	return nil
}

// Subgraph is a set of entities and every relation among them.
type Subgraph struct {
	Entities  []*Entity
	Relations []*Relation
	// Truncated says that more entities were within reach than kept.
	Truncated bool
}

// SortRelations puts relations in the order a Subgraph lists them: by
// From, then To, then Type.
func SortRelations(rels []*Relation) {
	slices.SortFunc(rels, func(a, b *Relation) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Type, b.Type))
	})
}

// Between returns EINVALID, naming the value, unless lo <= got <= hi.
func Between(name string, got, lo, hi int) error {
	if got < lo || got > hi {
		return Errorf(EINVALID, "%s must be between %d and %d, got %d", name, lo, hi, got)
	}
	return nil
}
