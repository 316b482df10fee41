package graph

import "fmt"

// Cond is a condition on an entity: one of And, Or, Not, Match or Related.
// Conditions nest to any depth; both stores give them the same meaning, and
// the conformance suite pins it.
type Cond interface{ isCond() }

// And holds when every condition holds; an empty And holds.
type And []Cond

// Or holds when some condition holds; an empty Or does not hold.
type Or []Cond

// Not holds when Cond does not.
type Not struct{ Cond Cond }

// Field names an entity property a Match compares.
type Field string

const (
	FieldID    Field = "id"    // exact
	FieldKind  Field = "kind"  // exact
	FieldName  Field = "name"  // folded (see Fold)
	FieldNames Field = "names" // folded; holds when the name or any alias matches
)

// Op is how a Match compares a field with its values.
type Op string

const (
	OpEq         Op = "eq"
	OpIn         Op = "in" // holds when the field equals one of Values
	OpContains   Op = "contains"
	OpStartsWith Op = "startsWith"
	OpEndsWith   Op = "endsWith"
)

// Match compares one field with Values: Values has one element for every Op
// but OpIn. Folded fields are compared with folded values.
type Match struct {
	Field  Field
	Op     Op
	Values []string
}

// Quantifier says how many of the related entities must meet a condition.
type Quantifier string

const (
	Some   Quantifier = "some"
	All    Quantifier = "all"
	None   Quantifier = "none"
	Single Quantifier = "single" // exactly one
)

// Related holds when the distinct entities reached along Path that meet
// Where (nil: every one) number as Quant asks. All holds vacuously when Path
// reaches nothing.
type Related struct {
	Path  Path
	Quant Quantifier
	Where Cond
}

func (And) isCond()     {}
func (Or) isCond()      {}
func (Not) isCond()     {}
func (Match) isCond()   {}
func (Related) isCond() {}

// Direction is the way a step follows relations.
type Direction string

const (
	Out Direction = "OUT" // from the entity to the relation's To
	In  Direction = "IN"  // from the entity to the relation's From
)

// Reverse returns the other direction; an unknown one stays as it is,
// following nothing either way.
func (d Direction) Reverse() Direction {
	switch d {
	case Out:
		return In
	case In:
		return Out
	}
	return d
}

// Step follows relations of one type in one direction, to entities of type
// Target (empty: any type). A Repeat step follows zero or more relations,
// every entity on the way being of type Target: this is how an
// organisation's units roll up into it.
type Step struct {
	Rel    RelType
	Dir    Direction
	Target EntityType
	Repeat bool
}

// Path is a sequence of steps from an entity to the entities it relates to.
type Path []Step

// Single reports whether p is one plain step, whose relations can be given
// with the entities it reaches.
func (p Path) Single() bool { return len(p) == 1 && !p[0].Repeat }

// DecidedByIDs reports whether ids decide c: c holds for the entities
// that ids matches (an id filter with eq or in), or, through SOME filters,
// for those from which paths reach such entities. It returns that id
// filter and the paths, the innermost first: walking back along each in
// turn from the matched entities finds every entity that meets c.
func DecidedByIDs(c Cond) (ids Match, paths []Path, ok bool) {
	switch c := c.(type) {
	case Match:
		if c.Field == FieldID && (c.Op == OpEq || c.Op == OpIn) {
			return c, nil, true
		}
	case Related:
		if c.Quant == Some {
			if ids, paths, ok := DecidedByIDs(c.Where); ok {
				return ids, append(paths, c.Path), true
			}
		}
	}
	return Match{}, nil, false
}

// Validate checks the parts of c a caller could get wrong: known fields,
// ops and quantifiers, and the number of values.
func Validate(c Cond) error {
	switch c := c.(type) {
	case nil:
		return nil
	case And:
		return validateAll(c)
	case Or:
		return validateAll(c)
	case Not:
		if c.Cond == nil {
			return Errorf(EINVALID, "NOT needs a condition")
		}
		return Validate(c.Cond)
	case Match:
		switch c.Field {
		case FieldID, FieldKind, FieldName, FieldNames:
		default:
			return Errorf(EINVALID, "unknown field %q", c.Field)
		}
		switch c.Op {
		case OpIn:
		case OpEq, OpContains, OpStartsWith, OpEndsWith:
			if len(c.Values) != 1 {
				return Errorf(EINVALID, "%s on %s takes one value, got %d", c.Op, c.Field, len(c.Values))
			}
		default:
			return Errorf(EINVALID, "unknown operator %q", c.Op)
		}
		return nil
	case Related:
		if len(c.Path) == 0 {
			return Errorf(EINVALID, "a relationship filter needs a path")
		}
		switch c.Quant {
		case Some, All, None, Single:
		default:
			return Errorf(EINVALID, "unknown quantifier %q", c.Quant)
		}
		return Validate(c.Where)
	}
	panic(fmt.Sprintf("graph: unknown condition %T", c))
}

func validateAll(cs []Cond) error {
	for _, c := range cs {
		if err := Validate(c); err != nil {
			return err
		}
	}
	return nil
}
