package inorder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestResolveFieldAsGqlgen checks that ResolveField gives what
// graphql.ResolveField gives, with no middleware, for each way a
// resolver can end: the value it marshals, the null in its place and the
// errors at the field's path.
func TestResolveFieldAsGqlgen(t *testing.T) {
	tests := []struct {
		name     string
		resolve  func(ctx context.Context) (any, error)
		nonNull  bool
		fieldErr error // from the field's context, as a bad argument gives
	}{
		{name: "value", resolve: func(context.Context) (any, error) { return []string{"a", "b"}, nil }},
		{name: "no elements", resolve: func(context.Context) (any, error) { return []string(nil), nil }},
		{name: "error", resolve: func(context.Context) (any, error) { return nil, errors.New("store down") }},
		{name: "error in a non-null field", nonNull: true,
			resolve: func(context.Context) (any, error) { return nil, errors.New("store down") }},
		{name: "no value for a non-null field", nonNull: true, resolve: func(context.Context) (any, error) { return nil, nil }},
		{name: "no value for a nullable field", resolve: func(context.Context) (any, error) { return nil, nil }},
		{name: "panic", resolve: func(context.Context) (any, error) { panic("bug") }},
		{name: "bad argument", fieldErr: errors.New("first must be at most 100"),
			resolve: func(context.Context) (any, error) { return []string{"a"}, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := graphql.CollectedField{Field: &ast.Field{Name: "tags", Alias: "tags",
				Position: &ast.Position{Line: 3, Column: 5}}}
			fieldContext := func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
				return &graphql.FieldContext{Object: "Talk", Field: field, IsResolver: true}, tt.fieldErr
			}
			marshal := func(ctx context.Context, sel ast.SelectionSet, v []string) graphql.Marshaler {
				arr := graphql.Array{}
				for _, s := range v {
					arr = append(arr, graphql.MarshalString(s))
				}
				return arr
			}
			got, gotErrs := resolveOnce(func(ctx context.Context, oc *graphql.OperationContext) graphql.Marshaler {
				return ResolveField(ctx, oc, field, fieldContext, tt.resolve, marshal, true, tt.nonNull)
			})
			want, wantErrs := resolveOnce(func(ctx context.Context, oc *graphql.OperationContext) graphql.Marshaler {
				return graphql.ResolveField(ctx, oc, field, fieldContext, tt.resolve, nil, marshal, true, tt.nonNull)
			})
			if got != want {
				t.Errorf("marshalled %s, graphql.ResolveField %s", got, want)
			}
			if gotErrs != wantErrs {
				t.Errorf("errors %s, graphql.ResolveField's %s", gotErrs, wantErrs)
			}
		})
	}
}

// resolveOnce runs resolve as the field of an object at path list[1] in
// an operation with no field middleware, and returns what it marshals and
// the errors it reports as a client reads them.
func resolveOnce(resolve func(context.Context, *graphql.OperationContext) graphql.Marshaler) (marshalled, errs string) {
	oc := &graphql.OperationContext{
		RecoverFunc: func(ctx context.Context, v any) error { return fmt.Errorf("panic: %v", v) },
		ResolverMiddleware: func(ctx context.Context, next graphql.Resolver) (any, error) {
			return next(ctx)
		},
	}
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, oc.RecoverFunc)
	ctx = graphql.WithOperationContext(ctx, oc)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "list"}}})
	index := 1
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &index})
	var out bytes.Buffer
	resolve(ctx, oc).MarshalGQL(&out)
	reported, err := json.Marshal(graphql.GetErrors(ctx))
	if err != nil {
		panic(err)
	}
	return out.String(), string(reported)
}
