package main

import (
	"context"
	"time"

	"github.com/civicgraph/civicgraph/graph"
)

// The analysis methods of graph.Store, for the wrappers in store.go and
// observe.go: passed on to the database once it is connected, and measured.

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

func (s measuredStore) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	start := time.Now()
	v, err := s.Store.Count(ctx, typ, where)
	s.observe("Count", start, err)
	return v, err
}

func (s measuredStore) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	start := time.Now()
	v, err := s.Store.GroupCount(ctx, q)
	s.observe("GroupCount", start, err)
	return v, err
}

func (s measuredStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	start := time.Now()
	v, err := s.Store.Paths(ctx, q)
	s.observe("Paths", start, err)
	return v, err
}

func (s measuredStore) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	start := time.Now()
	v, err := s.Store.Neighbourhood(ctx, q)
	s.observe("Neighbourhood", start, err)
	return v, err
}
