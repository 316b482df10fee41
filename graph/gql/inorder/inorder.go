// Package inorder marshals the elements of a GraphQL list one after
// another, on the goroutine that resolves the list.
//
// gqlgen's generated code gives each element of a list of objects a
// goroutine of its own, which pays when the elements' resolvers wait on a
// database each. Ours do not: the loader reads the whole selection under
// a field before the resolvers below it run (see graph/gql/loader.go). The
// goroutines, their start and the growth of their stacks, were then half
// the CPU of a nested query; graph/gql/generate makes the generated code
// call MarshalSlice instead.
//
// With every field resolved in order, the generated code's objects and
// strings can be marshalled more cheaply too: see Object and StringAt.
package inorder

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalSlice takes the arguments of graphql.MarshalSliceConcurrently and
// gives its results: each element is marshalled with its index in a field
// context of its own, and an element that panics becomes null with an
// error at its path, unless omitPanicHandler. With one worker there is no
// worker limit to apply.
func MarshalSlice(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	// The elements' field contexts and indexes in one allocation, not two
	// per element.
	elements := make([]element, length)
	for i := range length {
		e := &elements[i]
		e.index = i
		e.fc.Index = &e.index
		elementCtx := graphql.WithFieldContext(ctx, &e.fc)
		if omitPanicHandler {
			ret[i] = marshalElement(elementCtx, i)
		} else {
			ret[i] = marshalRecovered(elementCtx, i, marshalElement)
		}
	}
	return ret
}

// element is what the field context of a list's element holds on to.
type element struct {
	fc    graphql.FieldContext
	index int
}

func marshalRecovered(ctx context.Context, i int, marshalElement func(context.Context, int) graphql.Marshaler) (m graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return marshalElement(ctx, i)
}
