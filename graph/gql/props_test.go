package gql

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/generated"
)

// TestPropsOfEveryField checks that every field of an entity type in the
// schema is a relationship or shows known properties: a new scalar field
// left out of propsOfField would otherwise make every read ask for
// everything.
func TestPropsOfEveryField(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, name := range append([]string{"Node"}, stringsOf(graph.EntityTypes())...) {
		def := schema.Types[name]
		if def == nil {
			t.Fatalf("no type %s in the schema", name)
		}
		for _, f := range def.Fields {
			_, scalar := propsOfField[f.Name]
			_, related := relationships[name+"."+strings.TrimSuffix(f.Name, "Connection")]
			if !scalar && !related {
				t.Errorf("%s.%s is neither in propsOfField nor a relationship", name, f.Name)
			}
		}
	}
}

func stringsOf(types []graph.EntityType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}

func TestOperationProps(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, tt := range []struct {
		name, query string
		want        graph.Props
	}{
		{"ids alone", `{ node(id: "x") { id __typename } }`, graph.PropName},
		{"nested names and titles", `{ node(id: "x") { id ... on Organisation { name people { name spokeIn { title practices { name } } } } } }`, graph.PropName},
		{"shown fields", `{ people { name aliases evidence { quote } } }`, graph.PropName | graph.PropAliases | graph.PropEvidence},
		{"an order", `{ people(orderBy: {field: NAME}) { id } }`, sortProps},
		{"a connection's cursors", `{ practicesConnection(first: 2) { edges { cursor node { id } } } }`, sortProps},
		{"a connection's page info", `{ topics { practicesConnection(first: 2) { pageInfo { endCursor } } } }`, sortProps},
		{"a connection's edges in a fragment", `query { practicesConnection(first: 2) { ...Page } } fragment Page on PracticeConnection { edges { node { id } } }`, sortProps},
		{"a connection's count", `{ topics { name practicesConnection(first: 1) { totalCount } } }`, graph.PropName},
		{"an object-valued property", `{ events { date { year } } }`, graph.PropDate},
		{"a fragment", `query { node(id: "x") { ...Doc } } fragment Doc on Source { text url }`, graph.PropText | graph.PropURL},
		{"an inline fragment", `{ node(id: "x") { ... on Talk { title order description } } }`, graph.PropName | graph.PropOrder | graph.PropDescription},
		{"relations' ends", `{ paths(from: "a", to: "b") { relations { type from { id ... on Source { language } } } } }`, graph.PropLanguage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := gqlparser.LoadQuery(schema, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			op := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}
			if got := operationProps(op); got != tt.want {
				t.Errorf("props %b, want %b", got, tt.want)
			}
		})
	}
}
