package main

import (
	"context"

	"github.com/civicgraph/civicgraph/graph"
)

// The analysis methods of graph.Store, passed on to the database once it
// is connected, like the others in store.go.

func (p *pendingStore) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	s, err := p.current()
	if err != nil {
		return 0, err
	}
	return s.Count(ctx, typ, where)
}

func (p *pendingStore) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	s, err := p.current()
	if err != nil {
		return nil, err
	}
	return s.GroupCount(ctx, q)
}

func (p *pendingStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	s, err := p.current()
	if err != nil {
		return nil, err
	}
	return s.Paths(ctx, q)
}

func (p *pendingStore) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	s, err := p.current()
	if err != nil {
		return graph.Subgraph{}, err
	}
	return s.Neighbourhood(ctx, q)
}
