package inorder

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// ResolveField takes the arguments of graphql.ResolveField for a field
// without directives (no middleware chain) and gives its result: the
// field's context, the resolver's value marshalled, or null with the
// resolver's error, a missing value's or a panic's at the field's path.
//
// It calls the resolver itself rather than through the operation's field
// middleware, which the handler leaves empty (it installs no
// graphql.FieldInterceptor). graphql.ResolveField hands the middleware a
// closure over the resolver and over its own context, which moves both,
// the closures the generated code passes in and the context to the heap:
// with the resolver called here they stay on the stack, and a relationship
// field of a nested answer allocates about half as often.
func ResolveField[T any](ctx context.Context, oc *graphql.OperationContext, field graphql.CollectedField,
	initializeFieldContext func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error),
	fieldResolver func(ctx context.Context) (any, error),
	marshal func(ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler,
	recoverFromPanic bool, nonNull bool) (ret graphql.Marshaler) {
	fc, err := initializeFieldContext(ctx, field)
	if err != nil {
		return graphql.Null
	}
	ctx = graphql.WithFieldContext(ctx, fc)
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	res, err := fieldResolver(ctx)
	if err != nil {
		oc.Error(ctx, graphql.AddFieldLocationToError(ctx, err))
		return nullFor(fc, nonNull)
	}
	if res == nil {
		if nonNull || fc.NonNull {
			graphql.AddInvalidNullError(ctx, "")
		}
		return nullFor(fc, nonNull)
	}
	v, ok := res.(T)
	if !ok {
		oc.Errorf(ctx, `unexpected type %T from the resolver, should be %T`, res, v)
		return graphql.Null
	}
	fc.Result = res // the value as the resolver boxed it: boxing v again would allocate
	return marshal(ctx, field.Selections, v)
}

// nullFor is what a field that resolved to no value marshals to: a null
// its parent must not hold where only a field middleware made the field
// non-null (fc.NonNull), as graphql.ResolveField has it.
func nullFor(fc *graphql.FieldContext, nonNull bool) graphql.Marshaler {
	if fc.NonNull && !nonNull {
		return graphql.RequiredNull
	}
	return graphql.Null
}
