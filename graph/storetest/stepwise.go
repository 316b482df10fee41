package storetest

import (
	"context"

	"github.com/civicgraph/civicgraph/graph"
)

// expandStepwise is what Store.Expand must find: the same as one Entities
// call and, for each branch, one Neighbours call for every entity the
// branch starts from. The tests hold each store's Expand to it.
func expandStepwise(ctx context.Context, s graph.Store, ids []string, branches []graph.Branch) (graph.Expansion, error) {
	if err := graph.ValidateBranches(branches); err != nil {
		return graph.Expansion{}, err
	}
	es, err := s.Entities(ctx, ids)
	if err != nil {
		return graph.Expansion{}, err
	}
	reached, err := reachStepwise(ctx, s, es, branches)
	return graph.Expansion{Entities: es, Reached: reached}, err
}

// reachStepwise reads branches from the entities from (nil ones and
// repeats ignored) with one Neighbours or NeighbourCounts call per branch.
func reachStepwise(ctx context.Context, s graph.Store, from []*graph.Entity, branches []graph.Branch) ([]graph.Reach, error) {
	out := make([]graph.Reach, len(branches))
	for i, b := range branches {
		ids := idsOfType(from, b.From)
		if b.Count {
			counts, err := s.NeighbourCounts(ctx, ids, b.Path, b.Where)
			if err != nil {
				return nil, err
			}
			out[i].Counts = make(map[string]int, len(ids))
			for j, id := range ids {
				out[i].Counts[id] = counts[j]
			}
			continue
		}
		out[i].Neighbours = make(map[string][]graph.Neighbour, len(ids))
		var next []*graph.Entity
		if len(ids) > 0 {
			found, err := s.Neighbours(ctx, ids, b.Path, b.Where)
			if err != nil {
				return nil, err
			}
			for j, id := range ids {
				out[i].Neighbours[id] = []graph.Neighbour{}
				if len(found[j]) > 0 {
					out[i].Neighbours[id] = found[j]
				}
				for k, n := range found[j] {
					if !b.Relations {
						found[j][k].Relation = nil
					}
					next = append(next, n.Entity)
				}
			}
		}
		below, err := reachStepwise(ctx, s, next, b.Below)
		if err != nil {
			return nil, err
		}
		out[i].Below = below
	}
	return out, nil
}

// idsOfType returns the ids of the entities of type t among es, each once,
// in order; nil entities are skipped.
func idsOfType(es []*graph.Entity, t graph.EntityType) []string {
	// Sized for all of es at once rather than grown and copied as ids
	// are found: nested reads pass hundreds.
	ids := make([]string, 0, len(es))
	seen := make(map[string]struct{}, len(es))
	for _, e := range es {
		if e == nil || e.Type != t {
			continue
		}
		if _, dup := seen[e.ID]; !dup {
			seen[e.ID] = struct{}{}
			ids = append(ids, e.ID)
		}
	}
	return ids
}
