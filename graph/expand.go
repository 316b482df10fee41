package graph

import "context"

// Branch is one read in a tree of reads (see Store.Expand): from every
// entity of type From that the read above it reaches, the neighbours
// along Path that meet Where (nil: all of them); and from each of those,
// the reads Below.
type Branch struct {
	From  EntityType
	Path  Path
	Where Cond
	// Relations asks, where Path is Single, for the relation followed to
	// each neighbour, as Neighbours gives it; without it Relation is nil,
	// and a database store sends no relation.
	Relations bool
	// Count asks only how many neighbours each entity has, as
	// NeighbourCounts gives it, into Reach.Counts; such a branch has
	// nothing below it.
	Count bool
	Below []Branch
}

// Expansion is what Store.Expand read.
type Expansion struct {
	// Entities is aligned with the ids asked, nil where no entity has
	// that id.
	Entities []*Entity
	Reached  []Reach // aligned with the branches asked
}

// Reach is what one Branch found.
type Reach struct {
	// Neighbours holds, by the id of every entity of type From the
	// branch was read from, its neighbours as Store.Neighbours gives
	// them (but for Branch.Relations), an empty list where it has none.
	Neighbours map[string][]Neighbour
	// Counts holds, for a Count branch and in its place, the number of
	// neighbours of every entity it was read from.
	Counts map[string]int
	Below  []Reach // aligned with the branch's Below
}

// ValidateBranches returns EINVALID if a branch, at any depth, starts
// from an unknown type or has an invalid condition.
func ValidateBranches(branches []Branch) error {
	for _, b := range branches {
		if !b.From.Valid() {
			return Errorf(EINVALID, "unknown entity type %q", b.From)
		}
		if err := Validate(b.Where); err != nil {
			return err
		}
		if b.Count && (len(b.Below) > 0 || b.Relations) {
			return Errorf(EINVALID, "a branch that counts reads neither relations nor branches below")
		}
		if err := ValidateBranches(b.Below); err != nil {
			return err
		}
	}
	return nil
}

// Neighbourer is the part of a Store that ExpandStepwise reads with.
type Neighbourer interface {
	Entities(ctx context.Context, ids []string) ([]*Entity, error)
	Neighbours(ctx context.Context, ids []string, path Path, where Cond) ([][]Neighbour, error)
	NeighbourCounts(ctx context.Context, ids []string, path Path, where Cond) ([]int, error)
}

// ExpandStepwise answers Store.Expand with one Entities call and one
// Neighbours call per branch, each for every entity the branch starts
// from: what a store without a cost per call needs. Its entities are
// whole.
func ExpandStepwise(ctx context.Context, s Neighbourer, ids []string, branches []Branch) (Expansion, error) {
	if err := ValidateBranches(branches); err != nil {
		return Expansion{}, err
	}
	es, err := s.Entities(ctx, ids)
	if err != nil {
		return Expansion{}, err
	}
	reached, err := ReachStepwise(ctx, s, es, branches)
	return Expansion{Entities: es, Reached: reached}, err
}

// ReachStepwise reads branches from the entities from (nil ones and
// repeats ignored) with one Neighbours or NeighbourCounts call per branch.
func ReachStepwise(ctx context.Context, s Neighbourer, from []*Entity, branches []Branch) ([]Reach, error) {
	out := make([]Reach, len(branches))
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
		out[i].Neighbours = make(map[string][]Neighbour, len(ids))
		var next []*Entity
		if len(ids) > 0 {
			found, err := s.Neighbours(ctx, ids, b.Path, b.Where)
			if err != nil {
				return nil, err
			}
			for j, id := range ids {
				out[i].Neighbours[id] = []Neighbour{}
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
		below, err := ReachStepwise(ctx, s, next, b.Below)
		if err != nil {
			return nil, err
		}
		out[i].Below = below
	}
	return out, nil
}

// idsOfType returns the ids of the entities of type t among es, each once,
// in order; nil entities are skipped.
func idsOfType(es []*Entity, t EntityType) []string {
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
