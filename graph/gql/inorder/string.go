package inorder

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// StringAt returns a Marshaler that writes the string at s as
// graphql.MarshalString writes it. The generated code marshals the string
// fields of objects with it: a Marshaler holding a pointer alone is
// stored in an interface value as it is, where MarshalString's closure
// over the string is allocated, one per string of an answer.
func StringAt(s *string) graphql.Marshaler { return stringAt{s} }

type stringAt struct{ s *string }

func (m stringAt) MarshalGQL(w io.Writer) { graphql.MarshalString(*m.s).MarshalGQL(w) }
