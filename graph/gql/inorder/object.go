package inorder

import (
	"bytes"
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// Object holds the values of an object's fields, all resolved before it
// is marshalled. It stands in for graphql.FieldSet in the generated code
// wherever a FieldSet dispatches nothing (graph/gql/generate makes the
// swap): FieldSet.MarshalGQL makes a map of the names written and a copy
// of each field as it writes an object, a third of the allocations of a
// nested answer's objects.
type Object struct {
	fields   []graphql.CollectedField
	Values   []graphql.Marshaler
	Invalids uint32
	few      [4]graphql.Marshaler // Values of an object of few fields, the common case, in the same allocation
}

// NewObject returns an Object with a value to fill for each of fields.
func NewObject(fields []graphql.CollectedField) *Object {
	o := &Object{fields: fields}
	if len(fields) <= len(o.few) {
		o.Values = o.few[:len(fields)]
	} else {
		o.Values = make([]graphql.Marshaler, len(fields))
	}
	return o
}

// MarshalGQL writes the object as FieldSet does: each field under its
// response name, the first of fields sharing one alone.
func (o *Object) MarshalGQL(w io.Writer) {
	// The answer's buffer takes the punctuation through its own methods,
	// not through io.WriteString's test of what w is, five times a field.
	b, ok := w.(*bytes.Buffer)
	if !ok {
		var buf bytes.Buffer
		o.MarshalGQL(&buf)
		w.Write(buf.Bytes())
		return
	}
	b.WriteByte('{')
	for i := range o.fields {
		alias := o.fields[i].Alias
		if writtenBefore(o.fields[:i], alias) {
			continue
		}
		if i > 0 {
			b.WriteByte(',')
		}
		// A response name is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*),
		// which JSON needs no escapes for.
		b.WriteByte('"')
		b.WriteString(alias)
		b.WriteString(`":`)
		o.Values[i].MarshalGQL(b)
	}
	b.WriteByte('}')
}

// writtenBefore reports whether a field of fields has the response name
// alias. Objects have a handful of fields: a scan costs less than the map
// FieldSet makes.
func writtenBefore(fields []graphql.CollectedField, alias string) bool {
	for i := range fields {
		if fields[i].Alias == alias {
			return true
		}
	}
	return false
}
