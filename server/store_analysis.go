package main

import (
	"context"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
)

// The analysis methods of graph.Store, for the wrappers in store.go and
// observe.go: passed on to the database once it is connected, and measured.

func (p *pendingStore) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	return whenConnected(p, func(s *neo4jstore.Store) (int, error) { return s.Count(ctx, typ, where) })
}

func (p *pendingStore) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	return whenConnected(p, func(s *neo4jstore.Store) ([]graph.Group, error) { return s.GroupCount(ctx, q) })
}

func (p *pendingStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	return whenConnected(p, func(s *neo4jstore.Store) ([]graph.Route, error) { return s.Paths(ctx, q) })
}

func (p *pendingStore) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	return whenConnected(p, func(s *neo4jstore.Store) (graph.Subgraph, error) { return s.Neighbourhood(ctx, q) })
}

func (s measuredStore) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	return measured(ctx, s, "Count", func(ctx context.Context) (int, error) { return s.Store.Count(ctx, typ, where) })
}

func (s measuredStore) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	return measured(ctx, s, "GroupCount", func(ctx context.Context) ([]graph.Group, error) { return s.Store.GroupCount(ctx, q) })
}

func (s measuredStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	return measured(ctx, s, "Paths", func(ctx context.Context) ([]graph.Route, error) { return s.Store.Paths(ctx, q) })
}

func (s measuredStore) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	return measured(ctx, s, "Neighbourhood", func(ctx context.Context) (graph.Subgraph, error) { return s.Store.Neighbourhood(ctx, q) })
}
