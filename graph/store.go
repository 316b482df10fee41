package graph

import (
	"context"
	"strings"
)

// Store holds the graph. Reads are shaped for batching: each method takes
// many ids at once, so a GraphQL request costs one call per level of its
// selection whatever the size of its result.
//
// Every list a Store returns is in default order (see
// EntityType.DefaultOrder), ties broken by ID, unless a Query asks for
// another order.
type Store interface {
	// Entities returns the entities with the given ids, aligned with ids,
	// with nil where no entity has that id.
	Entities(ctx context.Context, ids []string) ([]*Entity, error)

	// Find returns a page of the entities of type q.Type that meet q.Where,
	// in q.Order: those between q.After and q.Before, the first q.First or
	// the last q.Last of them (neither: all), and from them what q.Below
	// reads. It returns EINVALID if q is not valid (see Query.Validate).
	Find(ctx context.Context, q Query) (Page, error)

	// Neighbours returns, aligned with ids, the distinct entities reached
	// from each id along path that meet where (nil: all of them), in default
	// order. Where path is Single, each neighbour carries its relation.
	Neighbours(ctx context.Context, ids []string, path Path, where Cond) ([][]Neighbour, error)

	// NeighbourCounts returns, aligned with ids, the number of entities
	// Neighbours would return for each, without reading them.
	NeighbourCounts(ctx context.Context, ids []string, path Path, where Cond) ([]int, error)

	// Expand reads a tree of neighbours at once: the entities with the
	// given ids, as Entities does, and from them each branch, and from
	// what a branch reaches its branches below. What it finds is what
	// the same Entities and Neighbours calls would, level by level, with
	// at least props of each entity; a store that pays per call answers
	// it in one. It returns EINVALID if a branch is not valid (see
	// ValidateBranches).
	Expand(ctx context.Context, ids []string, branches []Branch, props Props) (Expansion, error)

	// Replace makes ds the whole graph, atomically: if it returns an error,
	// the graph is as it was before. ds must be valid (see dataset.Validate).
	Replace(ctx context.Context, ds *Dataset) error

	// Count returns the number of entities of type typ that meet where
	// (nil: all of them). It returns EINVALID if where is not valid.
	Count(ctx context.Context, typ EntityType, where Cond) (int, error)

	// GroupCount counts the entities of type q.Type that meet q.Where by
	// group: the entities each reaches along q.By, or their kinds if
	// q.ByKind, or without q.By the entity's own kind. An entity counts
	// once in each distinct group it has; one that reaches nothing counts
	// nowhere, and an empty kind is no group. Groups come largest first,
	// ties by key (see SortGroups). It returns EINVALID if q is not valid
	// (see GroupQuery.Validate).
	GroupCount(ctx context.Context, q GroupQuery) ([]Group, error)

	// Paths returns the shortest routes between q.From and q.To, following
	// relations either way, of at most q.MaxLength relations, each of a
	// type in q.Via if it is given. The routes all have the least length;
	// at most q.Limit of them are returned, in route order: hop by hop, by
	// the next entity's id, then the relation's type, then the id of the
	// entity the relation starts from. With no route within reach the list
	// is empty; from an entity to itself there is one route, without
	// relations. It returns EINVALID if q is not valid (see
	// PathQuery.Validate), and ENOTFOUND if no entity has q.From or q.To as
	// its id.
	Paths(ctx context.Context, q PathQuery) ([]Route, error)

	// Neighbourhood returns the entities within q.Depth relations of the
	// entity q.ID, following relations either way and passing only through
	// entities of q.Types if it is given, and every relation among them.
	// It keeps the centre and at most q.Limit-1 others, the nearest first,
	// and says if it left any out. Entities come in that order: the centre,
	// then by distance, each distance in default order; relations as
	// SortRelations puts them. It returns EINVALID if q is not valid (see
	// NeighbourhoodQuery.Validate), and ENOTFOUND if no entity has q.ID as
	// its id.
	Neighbourhood(ctx context.Context, q NeighbourhoodQuery) (Subgraph, error)
}

// Query selects a page of entities of one type.
type Query struct {
	Type      EntityType
	Where     Cond      // nil: every entity of Type
	Order     Order     // zero: Type's default order
	After     *Position // in Order; nil: from the first
	Before    *Position // in Order; nil: to the last
	First     int       // the first so many (0: no limit)
	Last      int       // the last so many, instead of First
	WithTotal bool      // count every match into Page.Total
	Props     Props     // the properties needed of each entity (zero: all)
	// Below are reads from the entities of the page, as Store.Expand
	// reads from its entities, into Page.Reached: a store that pays per
	// call reads them with the page.
	Below []Branch
}

// Page is a slice of the entities a Query selects, in its order. Like
// Relay's page info, it says whether more lie beyond it on the side it was
// taken from: after it for First, before it for Last.
type Page struct {
	Entities    []*Entity
	HasNext     bool    // paging with First: more follow the last one
	HasPrevious bool    // paging with Last: more come before the first one
	Total       int     // every match, if Query.WithTotal
	Reached     []Reach // aligned with Query.Below
}

// Position is a place in an order: the value sorted on (see SortValue) and
// the id that breaks ties. It stays valid while the graph changes.
type Position struct {
	SortKey string
	ID      string
}

// Neighbour is an entity reached along a path.
type Neighbour struct {
	Entity   *Entity
	Relation *Relation // the relation followed, for Single paths; else nil
}

// PositionOf returns the position of e in its type's default order.
func PositionOf(e *Entity) Position { return PositionIn(e, e.Type.DefaultOrder()) }

// Less reports whether position a sorts before b.
func (a Position) Less(b Position) bool { return a.Compare(b) < 0 }

// Compare returns -1, 0 or +1 as a sorts before, with or after b.
func (a Position) Compare(b Position) int {
	if c := strings.Compare(a.SortKey, b.SortKey); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
