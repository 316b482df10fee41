package gql

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/model"
)

// Page sizes: `first` takes 1 to maxPageSize and defaults to the most.
const maxPageSize = 100

// The generic halves of the resolvers: each field resolver names its
// relationship field and the Go type of its GraphQL type, and these do the
// rest.

func wrapAll[T model.Node](es []*graph.Entity) []T {
	out := make([]T, len(es))
	for i, e := range es {
		out[i] = model.Wrap(e).(T)
	}
	return out
}

// relatedList resolves a relationship field that lists entities.
func relatedList[T model.Node](ctx context.Context, from *graph.Entity, field string, where map[string]any) ([]T, error) {
	l := loaderFrom(ctx)
	ns, err := l.related(ctx, from, field, where)
	if err == nil {
		err = l.deliver(len(ns))
	}
	if err != nil {
		return nil, err
	}
	return wrapAll[T](neighbourEntities(ns)), nil
}

// relatedOne resolves a relationship field that holds at most one entity.
func relatedOne[T model.Node](ctx context.Context, from *graph.Entity, field string) (T, error) {
	var none T
	l := loaderFrom(ctx)
	ns, err := l.related(ctx, from, field, nil)
	if err != nil || len(ns) == 0 {
		return none, err
	}
	if err := l.deliver(1); err != nil {
		return none, err
	}
	return model.Wrap(ns[0].Entity).(T), nil
}

// relatedConnection resolves a relationship field as a page of edges that
// carry their relations.
func relatedConnection(ctx context.Context, from *graph.Entity, field string, where map[string]any, first *int, after *string) (*model.Connection, error) {
	size, pos, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	l := loaderFrom(ctx)
	ns, err := l.related(ctx, from, field, where)
	if err != nil {
		return nil, err
	}
	conn := &model.Connection{TotalCount: len(ns)}
	for _, n := range ns {
		if pos != nil && !pos.Less(graph.PositionOf(n.Entity)) {
			continue
		}
		if len(conn.Edges) == size {
			conn.PageInfo.HasNextPage = true
			break
		}
		conn.Edges = append(conn.Edges, &model.Edge{Cursor: encodeCursor(n.Entity), Node: n.Entity, Relation: n.Relation})
	}
	conn.PageInfo.EndCursor = endCursor(conn.Edges)
	return conn, l.deliver(len(conn.Edges))
}

// rootList resolves a root field that lists the entities of one type.
func rootList[T model.Node](ctx context.Context, store graph.Store, typ graph.EntityType, where map[string]any) ([]T, error) {
	page, err := findRoot(ctx, store, graph.Query{Type: typ}, where)
	if err != nil {
		return nil, err
	}
	return wrapAll[T](page.Entities), nil
}

// rootConnection resolves a root field that pages the entities of one type.
func rootConnection(ctx context.Context, store graph.Store, typ graph.EntityType, where map[string]any, first *int, after *string) (*model.Connection, error) {
	size, pos, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	fc := graphql.GetFieldContext(ctx)
	withTotal := selects(graphql.GetOperationContext(ctx), fc.Field.Selections, fc.Field.Definition.Type.Name(), "totalCount")
	page, err := findRoot(ctx, store, graph.Query{Type: typ, After: pos, First: size, WithTotal: withTotal}, where)
	if err != nil {
		return nil, err
	}
	conn := &model.Connection{TotalCount: page.Total, PageInfo: model.PageInfo{HasNextPage: page.HasNext}}
	for _, e := range page.Entities {
		conn.Edges = append(conn.Edges, &model.Edge{Cursor: encodeCursor(e), Node: e})
	}
	conn.PageInfo.EndCursor = endCursor(conn.Edges)
	return conn, nil
}

// findRoot runs q with the where argument of a root field, counts what it
// delivers, and looks ahead at what the selection will ask of it.
func findRoot(ctx context.Context, store graph.Store, q graph.Query, where map[string]any) (graph.Page, error) {
	cond, err := whereCond(q.Type, where)
	if err != nil {
		return graph.Page{}, err
	}
	q.Where = cond
	page, err := store.Find(ctx, q)
	if err != nil {
		return graph.Page{}, err
	}
	return page, loaderFrom(ctx).deliverAll(ctx, page.Entities)
}

// pageArgs checks first and after and returns the page size and the
// position to start after.
func pageArgs(first *int, after *string) (int, *graph.Position, error) {
	size := maxPageSize
	if first != nil {
		if *first < 1 || *first > maxPageSize {
			return 0, nil, graph.Errorf(graph.EINVALID, "first must be between 1 and %d, got %d", maxPageSize, *first)
		}
		size = *first
	}
	if after == nil {
		return size, nil, nil
	}
	pos, err := decodeCursor(*after)
	if err != nil {
		return 0, nil, err
	}
	return size, &pos, nil
}

// Cursors are opaque to clients: a position in default order, which stays
// meaningful while the graph changes.
func encodeCursor(e *graph.Entity) string {
	pos := graph.PositionOf(e)
	b, _ := json.Marshal([2]string{pos.SortKey, pos.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (graph.Position, error) {
	var parts [2]string
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &parts)
	}
	if err != nil || parts[1] == "" {
		return graph.Position{}, graph.Errorf(graph.EINVALID, "after: %q is not a cursor this API gave", s)
	}
	return graph.Position{SortKey: parts[0], ID: parts[1]}, nil
}

func endCursor(edges []*model.Edge) *string {
	if len(edges) == 0 {
		return nil
	}
	return &edges[len(edges)-1].Cursor
}

// nodes resolves ids to entities of any type, nil where there is none.
func nodes(ctx context.Context, store graph.Store, ids []string) ([]model.Node, error) {
	found, err := store.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(found))
	var present []*graph.Entity
	for i, e := range found {
		if e != nil {
			out[i] = model.Wrap(e)
			present = append(present, e)
		}
	}
	if err := loaderFrom(ctx).deliverAll(ctx, present); err != nil {
		return nil, err
	}
	return out, nil
}

// search finds entities whose name or an alias contains text, type by type.
func search(ctx context.Context, store graph.Store, text string, types []graph.EntityType, first int) ([]model.Node, error) {
	if first < 1 || first > maxPageSize {
		return nil, graph.Errorf(graph.EINVALID, "first must be between 1 and %d, got %d", maxPageSize, first)
	}
	if len(types) == 0 {
		types = graph.EntityTypes()
	}
	types = slices.Compact(slices.Clone(types)) // asking for a type twice finds it once
	match := graph.Match{Field: graph.FieldNames, Op: graph.OpContains, Values: []string{text}}
	var found []*graph.Entity
	for _, typ := range types {
		if len(found) == first {
			break
		}
		page, err := store.Find(ctx, graph.Query{Type: typ, Where: match, First: first - len(found)})
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", typ, err)
		}
		found = append(found, page.Entities...)
	}
	if err := loaderFrom(ctx).deliverAll(ctx, found); err != nil {
		return nil, err
	}
	return wrapAll[model.Node](found), nil
}

func optionalInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// relationEnd resolves one end of a relation, which the look-ahead has
// usually read already.
func relationEnd(ctx context.Context, id string) (model.Node, error) {
	e, err := loaderFrom(ctx).entity(ctx, id)
	if err != nil || e == nil {
		return nil, err
	}
	return model.Wrap(e), nil
}
