package inorder

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

func TestStringAtMarshalsAsMarshalString(t *testing.T) {
	for _, s := range []string{"", "Sant Celoni", `"quoted" \ back`, "tab\tnew\nline\r\x01", "l’Hospitalet «x»"} {
		var got, want bytes.Buffer
		StringAt(&s).MarshalGQL(&got)
		graphql.MarshalString(s).MarshalGQL(&want)
		if got.String() != want.String() {
			t.Errorf("StringAt(%q) wrote %s, MarshalString %s", s, got.String(), want.String())
		}
	}
}
