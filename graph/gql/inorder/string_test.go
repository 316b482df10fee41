package inorder

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// stringCases are strings every escape and none, in one byte and more.
var stringCases = []string{"", "Sant Celoni", `"quoted" \ back`, "tab\tnew\nline\r\x01\x1f", "l’Hospitalet «x»",
	"\x7f del", "bad \xff utf-8 \xe2\x82", "end\\"}

// TestStringAtMarshalsAsMarshalString checks that StringAt writes what
// graphql.MarshalString writes, into the answer's buffer and into any
// other writer.
func TestStringAtMarshalsAsMarshalString(t *testing.T) {
	for _, s := range stringCases {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		var buf bytes.Buffer
		var other struct{ bytes.Buffer } // not a *bytes.Buffer, as the answer's is
		StringAt(&s).MarshalGQL(&buf)
		StringAt(&s).MarshalGQL(&other)
		if buf.String() != want.String() || other.String() != want.String() {
			t.Errorf("StringAt(%q) wrote %s and %s, MarshalString %s", s, buf.String(), other.String(), want.String())
		}
	}
}

func FuzzStringAt(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got, want bytes.Buffer
		StringAt(&s).MarshalGQL(&got)
		graphql.MarshalString(s).MarshalGQL(&want)
		if got.String() != want.String() {
			t.Errorf("StringAt(%q) wrote %s, MarshalString %s", s, got.String(), want.String())
		}
	})
}
