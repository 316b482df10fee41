package inorder

import (
	"bytes"
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

func (m stringAt) MarshalGQL(w io.Writer) {
	if b, ok := w.(*bytes.Buffer); ok {
		writeQuoted(b, *m.s)
		return
	}
	graphql.MarshalString(*m.s).MarshalGQL(w)
}

// writeQuoted writes s into b quoted and escaped as graphql.MarshalString
// writes it (control characters, quotes and backslashes escaped, all else
// as it is), for the answer's buffer, which every string of an answer goes
// to: byte by byte, as no byte of a multi-byte character needs escaping,
// and with the buffer's own methods rather than an io.Writer's.
func writeQuoted(b *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\n':
			b.WriteString(`\n`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
