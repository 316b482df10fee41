package graph

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
