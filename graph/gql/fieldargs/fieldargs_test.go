package fieldargs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph/gql/fieldargs"
)

// field is practices(where: {name: {contains: $text}}).
func field() graphql.CollectedField {
	definition := &ast.FieldDefinition{Name: "practices", Arguments: ast.ArgumentDefinitionList{
		{Name: "where", Type: ast.NamedType("PracticeWhere", nil)},
	}}
	return graphql.CollectedField{Field: &ast.Field{Name: "practices", Definition: definition, Arguments: ast.ArgumentList{{
		Name: "where",
		Value: &ast.Value{Kind: ast.ObjectValue, Children: ast.ChildValueList{{
			Name: "name",
			Value: &ast.Value{Kind: ast.ObjectValue, Children: ast.ChildValueList{{
				Name: "contains", Value: &ast.Value{Kind: ast.Variable, Raw: "text"},
			}}},
		}}},
	}}}}
}

func TestOf(t *testing.T) {
	vars := map[string]any{"text": "interop"}
	want := map[string]any{"where": map[string]any{"name": map[string]any{"contains": "interop"}}}
	// The objects a field is asked of share its *ast.Field; another field
	// with the same name and arguments, elsewhere in the query, has its own.
	practices, elsewhere := field(), field()
	withMemo := func() context.Context { return fieldargs.WithMemo(context.Background()) }
	for _, tt := range []struct {
		name      string
		ctx       func() context.Context
		fields    []graphql.CollectedField
		fail      bool
		coercions int
	}{
		{"one field, three objects", withMemo, []graphql.CollectedField{practices, practices, practices}, false, 1},
		{"two fields", withMemo, []graphql.CollectedField{practices, elsewhere, practices, elsewhere}, false, 2},
		{"no memo", context.Background, []graphql.CollectedField{practices, practices}, false, 2},
		{"errors are not kept", withMemo, []graphql.CollectedField{practices, practices}, true, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx()
			coercions := 0
			var fc *graphql.FieldContext
			coerce := func(coerceCtx context.Context, raw map[string]any) (map[string]any, error) {
				coercions++
				if got := graphql.GetFieldContext(coerceCtx); got != fc {
					t.Errorf("coerced in the field context of %v, want its own", got)
				}
				if tt.fail {
					return nil, errors.New("bad where")
				}
				return raw, nil
			}
			for i, f := range tt.fields {
				fc = &graphql.FieldContext{Field: f}
				before := coercions
				got, errCtx, err := fieldargs.Of(ctx, fc, vars, coerce)
				coerced := coercions > before
				// The field's errors are reported in its own context; where
				// nothing was coerced there is none to report.
				if coerced && graphql.GetFieldContext(errCtx) != fc || !coerced && errCtx != ctx {
					t.Errorf("object %d: the context returned has field context %v (coerced: %v)", i, graphql.GetFieldContext(errCtx), coerced)
				}
				if tt.fail {
					if err == nil || err.Error() != "bad where" {
						t.Fatalf("err = %v, want bad where", err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("args (-want +got):\n%s", diff)
				}
			}
			if coercions != tt.coercions {
				t.Errorf("%d coercions, want %d", coercions, tt.coercions)
			}
		})
	}
}
