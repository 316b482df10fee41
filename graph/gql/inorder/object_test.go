package inorder

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestObjectMarshalsAsFieldSet checks that an Object writes what the
// graphql.FieldSet it stands in for writes.
func TestObjectMarshalsAsFieldSet(t *testing.T) {
	field := func(name, alias string) graphql.CollectedField {
		return graphql.CollectedField{Field: &ast.Field{Name: name, Alias: alias}}
	}
	tests := []struct {
		name   string
		fields []graphql.CollectedField
		want   string
	}{
		{"none", nil, `{}`},
		{"one", []graphql.CollectedField{field("id", "id")}, `{"id":"v0"}`},
		{"aliases", []graphql.CollectedField{field("id", "id"), field("name", "title"), field("name", "_x1")},
			`{"id":"v0","title":"v1","_x1":"v2"}`},
		{"a response name twice", []graphql.CollectedField{field("id", "id"), field("name", "id"), field("name", "name")},
			`{"id":"v0","name":"v2"}`},
		{"more than fit in its own allocation", []graphql.CollectedField{field("a", "a"), field("b", "b"), field("c", "c"),
			field("d", "d"), field("e", "e")}, `{"a":"v0","b":"v1","c":"v2","d":"v3","e":"v4"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			object, fieldSet := NewObject(tt.fields), graphql.NewFieldSet(tt.fields)
			for i := range tt.fields {
				object.Values[i] = graphql.MarshalString("v" + string(rune('0'+i)))
				fieldSet.Values[i] = object.Values[i]
			}
			var got, want bytes.Buffer
			var other struct{ bytes.Buffer } // not a *bytes.Buffer, as the answer's is
			object.MarshalGQL(&got)
			object.MarshalGQL(&other)
			fieldSet.MarshalGQL(&want)
			if got.String() != tt.want || other.String() != tt.want || want.String() != tt.want {
				t.Errorf("Object wrote %s and %s, FieldSet %s; want %s", got.String(), other.String(), want.String(), tt.want)
			}
		})
	}
}
