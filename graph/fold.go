package graph

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Fold returns s in the form every name comparison and search uses: accents
// removed, case folded, typographic apostrophes and quotes made plain, and
// whitespace collapsed. "Ginè" and "GINE" fold alike. Both stores compare
// folded strings made by this function, so they agree by construction.
func Fold(s string) string {
	if folded, ok := foldLatin(s); ok {
		return folded
	}
	return foldUnicode(s)
}

// foldUnicode is Fold for any text: case folding, then decomposition,
// marks dropped, then composition.
func foldUnicode(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(cases.Fold().String(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(plainQuote(r))
	}
	return norm.NFC.String(b.String())
}

// plainQuote makes typographic apostrophes and quotes plain.
func plainQuote(r rune) rune {
	switch r {
	case '’', '‘', '`':
		return '\''
	case '“', '”', '«', '»':
		return '"'
	}
	return r
}

// latinEnd bounds the runes foldLatin folds one by one: ASCII, Latin-1
// and Latin Extended-A and -B, which spell nearly every name. No rune
// below it folds differently beside another (TestFoldLatin checks every
// pair), so a text of them folds rune by rune, from a table: about eight
// times faster than foldUnicode's three passes (BenchmarkFold).
const latinEnd = 0x250

// latinRune is how Fold treats a rune below latinEnd.
type latinRune struct {
	folded string // foldUnicode of the rune alone
	space  bool   // a space or control character, which only separates
}

var latinRunes = sync.OnceValue(func() *[latinEnd]latinRune {
	var runes [latinEnd]latinRune
	for r := range rune(latinEnd) {
		runes[r] = latinRune{folded: foldUnicode(string(r)), space: unicode.IsSpace(r) || unicode.IsControl(r)}
	}
	return &runes
})

// foldLatin folds s rune by rune if every rune of it is below latinEnd or
// a typographic quote, and reports whether it did.
func foldLatin(s string) (string, bool) {
	runes := latinRunes()
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !runes[c].space {
			// Every ASCII character but spaces and controls folds to one
			// byte (TestFoldLatin): the common case, kept short.
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(runes[c].folded[0])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		var folded string
		switch {
		case r < latinEnd && runes[r].space:
			space = b.Len() > 0
			continue
		case r < latinEnd:
			folded = runes[r].folded
		case plainQuote(r) != r:
			folded = string(plainQuote(r))
		default:
			return "", false
		}
		if folded == "" {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(folded)
	}
	return b.String(), true
}
