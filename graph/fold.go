package graph

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Fold returns s in the form every name comparison and search uses: accents
// removed, case folded, typographic apostrophes and quotes made plain, and
// whitespace collapsed. "Ginè" and "GINE" fold alike. Both stores compare
// folded strings made by this function, so they agree by construction.
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(cases.Fold().String(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case r == '’' || r == '‘' || r == '`':
			r = '\''
		case r == '“' || r == '”' || r == '«' || r == '»':
			r = '"'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}
