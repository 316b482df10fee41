package gql

import (
	"context"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/model"
)

// The generic halves of the resolvers: each field resolver names its
// relationship field and the GraphQL object type of its entities (model.Person
// and so on: W below), and these do the rest.

// object is the pointer to a GraphQL object type W, which gqlgen marshals.
type object[W any] interface {
	*W
	model.Node
}

// wrapAll returns the entity each of src holds as an object of the type W,
// the objects in one allocation rather than one each.
func wrapAll[W ~struct{ *graph.Entity }, T object[W], S any](src []S, entity func(S) *graph.Entity) []T {
	objects := make([]W, len(src))
	out := make([]T, len(src))
	for i, s := range src {
		objects[i] = W{entity(s)}
		out[i] = &objects[i]
	}
	return out
}

func neighbourEntity(n graph.Neighbour) *graph.Entity { return n.Entity }

func itself(e *graph.Entity) *graph.Entity { return e }

// relatedList resolves a relationship field that lists entities.
func relatedList[W ~struct{ *graph.Entity }, T object[W]](ctx context.Context, from *graph.Entity, field string, where map[string]any, orderBy *model.Order) ([]T, error) {
	l := loaderFrom(ctx)
	ns, err := l.related(ctx, from, field, where, false)
	if err == nil {
		err = l.deliver(len(ns))
	}
	if err != nil {
		return nil, err
	}
	ns = sortNeighbours(ns, relationships[field].target, orderOf(orderBy))
	return wrapAll[W, T](ns, neighbourEntity), nil
}

// relatedOne resolves a relationship field that holds at most one entity.
func relatedOne[W ~struct{ *graph.Entity }, T object[W]](ctx context.Context, from *graph.Entity, field string) (T, error) {
	l := loaderFrom(ctx)
	ns, err := l.related(ctx, from, field, nil, false)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	if err := l.deliver(1); err != nil {
		return nil, err
	}
	return &W{ns[0].Entity}, nil
}

// relatedConnection resolves a relationship field as a page of edges that
// carry their relations.
func relatedConnection(ctx context.Context, from *graph.Entity, field string, where map[string]any, orderBy *model.Order, p paging) (*model.Connection, error) {
	q, err := p.query(graph.Query{Type: relationships[field].target, Order: orderOf(orderBy)})
	if err != nil {
		return nil, err
	}
	l := loaderFrom(ctx)
	op, f := graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field
	if countOnly(op, f) {
		n, err := l.count(ctx, from, field, where)
		return &model.Connection{TotalCount: n}, err
	}
	ns, err := l.related(ctx, from, field, where, asksRelations(op, f))
	if err != nil {
		return nil, err
	}
	ns = sortNeighbours(ns, q.Type, q.Order)
	page, more := graph.Window(q, graph.Scan(ns, q.Backward()), func(n graph.Neighbour) graph.Position { return graph.PositionIn(n.Entity, q.Order.On(q.Type)) })
	info := graph.Page{Total: len(ns)}
	info.SetMore(q, more)
	return newConnection(q, page, info), l.deliver(len(page))
}

// rootList resolves a root field that lists the entities of one type.
func rootList[W ~struct{ *graph.Entity }, T object[W]](ctx context.Context, typ graph.EntityType, where map[string]any, orderBy *model.Order) ([]T, error) {
	page, err := findRoot(ctx, graph.Query{Type: typ, Order: orderOf(orderBy)}, where)
	if err != nil {
		return nil, err
	}
	return wrapAll[W, T](page.Entities, itself), nil
}

// rootConnection resolves a root field that pages the entities of one type.
func rootConnection(ctx context.Context, store graph.Store, typ graph.EntityType, where map[string]any, orderBy *model.Order, p paging) (*model.Connection, error) {
	q, err := p.query(graph.Query{Type: typ, Order: orderOf(orderBy)})
	if err != nil {
		return nil, err
	}
	fc, op := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if countOnly(op, fc.Field) {
		n, err := countRoot(ctx, store, typ, where)
		return &model.Connection{TotalCount: n}, err
	}
	q.WithTotal = selects(op, fc.Field.Selections, fc.Field.Definition.Type.Name(), "totalCount")
	page, err := findRoot(ctx, q, where)
	if err != nil {
		return nil, err
	}
	edges := make([]graph.Neighbour, len(page.Entities))
	for i, e := range page.Entities {
		edges[i] = graph.Neighbour{Entity: e}
	}
	return newConnection(q, edges, page), nil
}

// findRoot runs q with the where argument of a root field, reading with it
// what the field's selection asks of what it finds.
func findRoot(ctx context.Context, q graph.Query, where map[string]any) (graph.Page, error) {
	cond, err := whereCond(q.Type, where)
	if err != nil {
		return graph.Page{}, err
	}
	q.Where = cond
	return loaderFrom(ctx).find(ctx, q)
}

// nodes resolves ids to entities of any type, nil where there is none,
// reading in the same call what the selection asks of them.
func nodes(ctx context.Context, ids []string) ([]model.Node, error) {
	found, err := loaderFrom(ctx).expand(ctx, ids)
	if err != nil {
		return nil, err
	}
	return wrapNodes(found), nil
}

// wrapNodes returns each of es as the object of its type, nil where es
// has nil.
func wrapNodes(es []*graph.Entity) []model.Node {
	out := make([]model.Node, len(es))
	for i, e := range es {
		if e != nil {
			out[i] = model.Wrap(e)
		}
	}
	return out
}

// search finds entities whose name or an alias contains text, type by type.
func search(ctx context.Context, text string, types []graph.EntityType, first int) ([]model.Node, error) {
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
		page, err := loaderFrom(ctx).find(ctx, graph.Query{Type: typ, Where: match, First: first - len(found)})
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", typ, err)
		}
		found = append(found, page.Entities...)
	}
	return wrapNodes(found), nil
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
