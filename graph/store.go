package graph

import (
	"context"
	"fmt"
	"strings"
)

// Store holds the graph. Reads are shaped for batching: each method takes
// many ids at once, so a GraphQL request costs one call per level of its
// selection whatever the size of its result.
//
// Every list a Store returns is in default order: by SortKey, then by ID.
type Store interface {
	// Entities returns the entities with the given ids, aligned with ids,
	// with nil where no entity has that id.
	Entities(ctx context.Context, ids []string) ([]*Entity, error)

	// Find returns the entities of type q.Type that meet q.Where, in default
	// order, starting after q.After and at most q.First of them (0: all).
	// It returns EINVALID if q.Where is not valid (see Validate).
	Find(ctx context.Context, q Query) (Page, error)

	// Neighbours returns, aligned with ids, the distinct entities reached
	// from each id along path that meet where (nil: all of them), in default
	// order. Where path is Single, each neighbour carries its relation.
	Neighbours(ctx context.Context, ids []string, path Path, where Cond) ([][]Neighbour, error)

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
	After     *Position // nil: from the first
	First     int       // 0: no limit
	WithTotal bool      // count every match into Page.Total
}

// Page is a slice of the entities a Query selects.
type Page struct {
	Entities []*Entity
	HasNext  bool // more entities follow the last one
	Total    int  // every match, if Query.WithTotal
}

// Position is a place in default order: entities sort after it when their
// (SortKey, ID) is greater. It stays valid while the graph changes.
type Position struct {
	SortKey string
	ID      string
}

// Neighbour is an entity reached along a path.
type Neighbour struct {
	Entity   *Entity
	Relation *Relation // the relation followed, for Single paths; else nil
}

// PositionOf returns the position of e in default order.
func PositionOf(e *Entity) Position { return Position{SortKey: SortKey(e), ID: e.ID} }

// SortKey is the first key of default order: talks by their place in the
// agenda, everything else by folded name.
func SortKey(e *Entity) string {
	if e.Type == TypeTalk {
		return fmt.Sprintf("%06d %s", e.Order, Fold(e.Name))
	}
	return Fold(e.Name)
}

// Less reports whether position a sorts before b.
func (a Position) Less(b Position) bool {
	if c := strings.Compare(a.SortKey, b.SortKey); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}
