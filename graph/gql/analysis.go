package gql

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/model"
)

// countRoot resolves a root `…Count` field.
func countRoot(ctx context.Context, store graph.Store, typ graph.EntityType, where map[string]any) (int, error) {
	cond, err := whereCond(typ, where)
	if err != nil {
		return 0, err
	}
	return store.Count(ctx, typ, cond)
}

// groupByKind is the value of every group-by enum that groups entities by
// their own kind; the others name relationship fields.
const groupByKind = "KIND"

// groupCount resolves a root `…GroupCount` field.
func groupCount(ctx context.Context, store graph.Store, typ graph.EntityType, where map[string]any, by string, byKind bool) ([]*model.GroupCount, error) {
	cond, err := whereCond(typ, where)
	if err != nil {
		return nil, err
	}
	q := graph.GroupQuery{Type: typ, Where: cond, ByKind: byKind}
	grouped := typ
	if by != groupByKind {
		rel, err := groupBy(typ, by)
		if err != nil {
			return nil, err
		}
		q.By, grouped = rel.path, rel.target
	}
	if byKind && grouped.Kinds() == nil {
		return nil, graph.Errorf(graph.EINVALID, "byKind: %s has no kind", grouped)
	}
	groups, err := store.GroupCount(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*model.GroupCount, len(groups))
	var entities []*graph.Entity
	for i, g := range groups {
		out[i] = &model.GroupCount{Key: g.Key, Label: g.Key, Count: g.Count}
		if g.Entity != nil {
			out[i].Label, out[i].Node = g.Entity.Name, model.Wrap(g.Entity)
			entities = append(entities, g.Entity)
		}
	}
	l := loaderFrom(ctx)
	if err := l.deliver(len(entities)); err != nil {
		return nil, err
	}
	l.lookAhead(ctx, entities, "node")
	return out, nil
}

// groupBy returns the relationship field of typ that a group-by enum value
// names: TOPICS is "topics", PRESENTED_BY "presentedBy".
func groupBy(typ graph.EntityType, by string) (relationship, error) {
	words := strings.Split(strings.ToLower(by), "_")
	for i := 1; i < len(words); i++ {
		words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
	}
	rel, ok := relationships[string(typ)+"."+strings.Join(words, "")]
	if !ok {
		// The schema offered a value the catalogue does not have.
		return relationship{}, fmt.Errorf("%s group-by value %s names no relationship field", typ, by)
	}
	return rel, nil
}

// paths resolves the root field paths.
func paths(ctx context.Context, store graph.Store, from, to string, maxLength int, via []graph.RelType, first int) ([]*model.GraphPath, error) {
	// The store checks its Limit too; checked here, the message names the
	// argument the client wrote.
	if err := graph.Between("first", first, 1, graph.MaxPaths); err != nil {
		return nil, err
	}
	routes, err := store.Paths(ctx, graph.PathQuery{From: from, To: to, MaxLength: maxLength, Via: via, Limit: first})
	if err != nil {
		return nil, err
	}
	out := make([]*model.GraphPath, len(routes))
	delivered := 0
	var entities []*graph.Entity // each once, for the look-ahead
	var relations []*graph.Relation
	seen := map[string]bool{}
	for i, r := range routes {
		out[i] = &model.GraphPath{Length: len(r.Relations), Nodes: wrapNodes(r.Entities), Relations: r.Relations}
		delivered += len(r.Entities)
		for _, e := range r.Entities {
			if !seen[e.ID] {
				seen[e.ID] = true
				entities = append(entities, e)
			}
		}
		relations = append(relations, r.Relations...)
	}
	l := loaderFrom(ctx)
	if err := l.deliver(delivered); err != nil {
		return nil, err
	}
	l.lookAheadGraph(ctx, entities, relations)
	return out, nil
}

// neighbourhood resolves the root field neighbourhood.
func neighbourhood(ctx context.Context, store graph.Store, id string, depth int, types []graph.EntityType, first int) (*model.Subgraph, error) {
	// As in paths, the message names the argument.
	if err := graph.Between("first", first, 1, graph.MaxNeighbourhoodSize); err != nil {
		return nil, err
	}
	sub, err := store.Neighbourhood(ctx, graph.NeighbourhoodQuery{ID: id, Depth: depth, Types: types, Limit: first})
	if err != nil {
		return nil, err
	}
	l := loaderFrom(ctx)
	if err := l.deliver(len(sub.Entities)); err != nil {
		return nil, err
	}
	l.lookAheadGraph(ctx, sub.Entities, sub.Relations)
	return &model.Subgraph{Nodes: wrapNodes(sub.Entities), Relations: sub.Relations, Truncated: sub.Truncated}, nil
}

// lookAheadGraph looks ahead for a field that answers entities and
// relations among them (GraphPath, Subgraph): at what its selection asks of
// the entities, of the relations' ends, which are among them, and at the
// sources of the relations' evidence.
func (l *loader) lookAheadGraph(ctx context.Context, entities []*graph.Entity, relations []*graph.Relation) {
	l.lookAhead(ctx, entities, "nodes")
	l.lookAhead(ctx, entities, "relations", "from")
	l.lookAhead(ctx, entities, "relations", "to")
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !selects(graphql.GetOperationContext(ctx), fc.Field.Selections, fc.Field.Definition.Type.Name(), "relations", "evidence", "source") {
		return
	}
	sources := map[string]bool{}
	for _, r := range relations {
		addSources(sources, r.Evidence)
	}
	l.readMissing(ctx, sources)
}
