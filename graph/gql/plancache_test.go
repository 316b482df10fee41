package gql

import (
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/generated"
)

func TestUsesVariables(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, tt := range []struct {
		name, query string
		want        bool
	}{
		{"none", `{ topics { id practices(where: {kind: {eq: CASE}}) { name } } }`, false},
		{"only the field's own argument", `query($id: ID!) { node(id: $id) { id ... on Topic { practices { name } } } }`, false},
		{"argument", `query($k: [PracticeKind!]) { topics { practices(where: {kind: {in: $k}}) { name } } }`, true},
		{"inside a list", `query($k: PracticeKind!) { topics { practices(where: {kind: {in: [CASE, $k]}}) { name } } }`, true},
		{"directive", `query($all: Boolean!) { topics { id practices @include(if: $all) { name } } }`, true},
		{"inline fragment", `query($k: PracticeKind!) { topics { ... on Topic { practices(where: {kind: {eq: $k}}) { name } } } }`, true},
		{"fragment", `query($k: PracticeKind!) { topics { ...P } } fragment P on Topic { practices(where: {kind: {eq: $k}}) { name } }`, true},
		{"fragment without", `{ topics { ...P } } fragment P on Topic { practices { name } }`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, tt.query)
			if errs != nil {
				t.Fatal(errs)
			}
			// The selection below the operation's first field.
			field := doc.Operations[0].SelectionSet[0].(*ast.Field)
			if got := usesVariables(field.SelectionSet, map[string]bool{}); got != tt.want {
				t.Errorf("usesVariables = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTypeSet(t *testing.T) {
	for _, tt := range []struct {
		name string
		set  typeSet
		want []graph.EntityType
	}{
		{"none", 0, nil},
		{"in the order of graph.EntityTypes, whatever the order added", typeSet(0).with(graph.TypeTopic).with(graph.TypePerson).with(graph.TypeTopic),
			[]graph.EntityType{graph.TypePerson, graph.TypeTopic}},
		{"a type that is none adds nothing", typeSet(0).with("Nobody").with(graph.TypeRole), []graph.EntityType{graph.TypeRole}},
		{"every type", everyType, graph.EntityTypes()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.set.list(); !slices.Equal(got, tt.want) {
				t.Errorf("list() = %v, want %v", got, tt.want)
			}
		})
	}
}
