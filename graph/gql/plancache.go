package gql

import (
	"slices"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph"
)

// planCache keeps read plans across requests. A plan is worked out from a
// field's selection, which belongs to a parsed document that gqlgen's
// query cache hands to every request with the same text, and from the
// variables the selection uses; plans of selections that use none are
// kept, for the documents' most-used fields. A nil cache keeps nothing.
type planCache struct {
	plans *lru.Cache[planKey, readPlan]
}

// planCacheSize bounds the plans kept: a few per document, for the 1,000
// documents the query cache keeps.
const planCacheSize = 4096

// planKey names a plan: the field whose selection it reads (the key holds
// it, so its address cannot be reused by another field while the plan is
// kept), the entity types planned for and the path of field names below.
type planKey struct {
	field *ast.Field
	types typeSet
	below string
}

// typeSet is a set of entity types, a bit for each one's place in
// entityTypes. A plan is the same whatever order its types come in.
type typeSet uint16

// entityTypes is graph.EntityTypes, listed once.
var entityTypes = graph.EntityTypes()

// everyType holds every entity type.
var everyType = typeSet(1<<len(entityTypes) - 1)

// with returns s and t; a type that is none adds nothing.
func (s typeSet) with(t graph.EntityType) typeSet {
	if i := slices.Index(entityTypes, t); i >= 0 {
		s |= 1 << i
	}
	return s
}

// list returns the types in s, in the order of entityTypes.
func (s typeSet) list() []graph.EntityType {
	var out []graph.EntityType
	for i, t := range entityTypes {
		if s&(1<<i) != 0 {
			out = append(out, t)
		}
	}
	return out
}

func newPlanCache(size int) *planCache {
	plans, err := lru.New[planKey, readPlan](size)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &planCache{plans: plans}
}

func (c *planCache) get(key planKey) (readPlan, bool) {
	if c == nil {
		return readPlan{}, false
	}
	return c.plans.Get(key)
}

// add keeps plan, which the requests that find it share: its slices are
// clipped so that appending to a copy cannot write into them.
func (c *planCache) add(key planKey, plan readPlan) {
	if c == nil {
		return
	}
	plan.branches, plan.reads = slices.Clip(plan.branches), slices.Clip(plan.reads)
	c.plans.Add(key, plan)
}

// usesVariables reports whether sel, with the fragments it spreads (seen
// names those already looked at), refers to a variable in an argument or
// a directive.
func usesVariables(sel ast.SelectionSet, seen map[string]bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if argumentsUseVariables(s.Arguments) || directivesUseVariables(s.Directives) || usesVariables(s.SelectionSet, seen) {
				return true
			}
		case *ast.InlineFragment:
			if directivesUseVariables(s.Directives) || usesVariables(s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if directivesUseVariables(s.Directives) {
				return true
			}
			if s.Definition != nil && !seen[s.Name] {
				seen[s.Name] = true
				if directivesUseVariables(s.Definition.Directives) || usesVariables(s.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}

func directivesUseVariables(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if argumentsUseVariables(d.Arguments) {
			return true
		}
	}
	return false
}

func argumentsUseVariables(args ast.ArgumentList) bool {
	for _, a := range args {
		if valueUsesVariables(a.Value) {
			return true
		}
	}
	return false
}

func valueUsesVariables(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if valueUsesVariables(c.Value) {
			return true
		}
	}
	return false
}
