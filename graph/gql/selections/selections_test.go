package selections_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph/gql/selections"
)

func TestCollect(t *testing.T) {
	// { id name } asked of each element of a list, and { id } elsewhere.
	listed := ast.SelectionSet{&ast.Field{Name: "id", Alias: "id"}, &ast.Field{Name: "name", Alias: "name"}}
	elsewhere := ast.SelectionSet{&ast.Field{Name: "id", Alias: "id"}}
	talk, practice := []string{"Talk", "Node"}, []string{"Practice", "Node"}
	op := &graphql.OperationContext{}
	memo := selections.WithMemo(context.Background())

	first := selections.Collect(memo, op, listed, talk)
	if diff := cmp.Diff([]string{"id", "name"}, aliases(first)); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
	if again := selections.Collect(memo, op, listed, talk); &again[0] != &first[0] {
		t.Error("the same selection of the same type was collected twice in one operation")
	}
	for _, tt := range []struct {
		name      string
		ctx       context.Context
		op        *graphql.OperationContext
		sel       ast.SelectionSet
		satisfies []string
		want      []string
	}{
		{"another selection set", memo, op, elsewhere, talk, []string{"id"}},
		{"another type", memo, op, listed, practice, []string{"id", "name"}},
		{"another operation", selections.WithMemo(context.Background()), &graphql.OperationContext{}, listed, talk, []string{"id", "name"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := selections.Collect(tt.ctx, tt.op, tt.sel, tt.satisfies)
			if diff := cmp.Diff(tt.want, aliases(got)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if &got[0] == &first[0] {
				t.Error("got the fields collected for the list's talks")
			}
		})
	}
	// Without a memo, gqlgen's own cache answers.
	if diff := cmp.Diff([]string{"id", "name"}, aliases(selections.Collect(context.Background(), op, listed, talk))); diff != "" {
		t.Errorf("fields without a memo (-want +got):\n%s", diff)
	}
}

func aliases(fields []graphql.CollectedField) []string {
	var out []string
	for _, f := range fields {
		out = append(out, f.Alias)
	}
	return out
}
