package graph

import (
	"testing"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ginè", "gine"},
		{"GINE", "gine"},
		{"  Joan   Martí\ti Puig ", "joan marti i puig"},
		{"l’Hospitalet de Llobregat", "l'hospitalet de llobregat"},
		{"«Smart» “city”", `"smart" "city"`},
		{"Straße", "strasse"},
		{"Cafe\u0301", "cafe"},   // a combining accent, not Latin-1's é
		{"Ελληνικά", "ελληνικα"}, // beyond the Latin runes
		{"ﬁnance", "finance"},    // a ligature case folding spells out
		{"Sant Celoni\u00a0", "sant celoni"},
		{"", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFoldLatin checks that folding rune by rune gives what foldUnicode
// gives for every pair of the runes foldLatin folds so, alone and between
// spaces: the pairs are where composition or a rune that folds to
// nothing could make them differ.
func TestFoldLatin(t *testing.T) {
	var runes []rune
	for r := range rune(latinEnd) {
		runes = append(runes, r)
	}
	runes = append(runes, '’', '‘', '“', '”')
	check := func(s string) {
		t.Helper()
		got, ok := foldLatin(s)
		if want := foldUnicode(s); !ok || got != want {
			t.Fatalf("foldLatin(%q) = %q, %v; foldUnicode gives %q", s, got, ok, want)
		}
	}
	for _, a := range runes {
		check(" " + string(a) + " ")
		check("x " + string(a))
		for _, b := range runes {
			check(string(a) + string(b))
		}
	}
	if _, ok := foldLatin("Ελλάδα"); ok {
		t.Error("foldLatin folded Greek; want it left to foldUnicode")
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Ginè", "l’Hospitalet", "Cafe\u0301", "Straße  x", "ŉ ǅ ǰ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldUnicode(s); got != want {
			t.Errorf("Fold(%q) = %q, foldUnicode gives %q", s, got, want)
		}
	})
}

// BenchmarkFold compares Fold with foldUnicode on names of the corpus's
// kind.
func BenchmarkFold(b *testing.B) {
	names := []string{"Joan Martí i Puig", "Ajuntament de l’Hospitalet", "Interoperabilitat de dades obertes", "Open data portal"}
	for _, fold := range []struct {
		name string
		fold func(string) string
	}{{"Fold", Fold}, {"foldUnicode", foldUnicode}} {
		b.Run(fold.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, n := range names {
					fold.fold(n)
				}
			}
		})
	}
}
