package neo4jstore

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
)

// TestCompile pins the Cypher a nested condition becomes: values only as
// parameters, fresh variables at each level, one MATCH per step.
func TestCompile(t *testing.T) {
	people := graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
	}
	cond := graph.And{
		graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"MUNICIPALITY"}},
		graph.Related{Path: people, Quant: graph.Some, Where: graph.Related{
			Path:  graph.Path{{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk}},
			Quant: graph.Single,
			Where: graph.Not{Cond: graph.Match{Field: graph.FieldNames, Op: graph.OpStartsWith, Values: []string{"Débat'"}}},
		}},
		graph.Related{Path: graph.Path{{Rel: graph.RelPartOf, Dir: graph.In}}, Quant: graph.All,
			Where: graph.Match{Field: graph.FieldName, Op: graph.OpIn, Values: []string{"x' }) DETACH DELETE n //"}}},
		graph.Or{},
	}
	params := map[string]any{}
	got, err := newCompiler(params).cond("n", cond)
	if err != nil {
		t.Fatal(err)
	}
	want := "(n.kind = $p0" +
		" AND EXISTS { MATCH (n:Organisation) (()<-[:PART_OF]-(:Organisation))* (v1)" +
		" WITH DISTINCT v1 MATCH (v1)<-[:IN]-(v2:Role)" +
		" WITH DISTINCT v2 MATCH (v2)<-[:HOLDS]-(v3:Person)" +
		" WHERE COUNT { MATCH (v3)-[:SPOKE_IN]->(v4:Talk)" +
		" WHERE NOT (any(v5 IN v4.foldedNames WHERE v5 STARTS WITH $p6)) RETURN DISTINCT v4 } = 1 }" +
		" AND NOT EXISTS { MATCH (n)<-[:PART_OF]-(v7) WHERE NOT (v7.foldedName IN $p8) }" +
		" AND false)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cypher (-want +got):\n%s", diff)
	}
	wantParams := map[string]any{"p0": "MUNICIPALITY", "p6": "debat'", "p8": []string{"x' }) detach delete n //"}}
	if diff := cmp.Diff(wantParams, params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
}

func TestCompileRejectsUnknownIdentifiers(t *testing.T) {
	for _, step := range []graph.Step{
		{Rel: "HOLDS]->(m) DETACH DELETE m //", Dir: graph.Out},
		{Rel: graph.RelHolds, Dir: "BOTH"},
		{Rel: graph.RelHolds, Dir: graph.Out, Target: "Role) DETACH DELETE (n"},
	} {
		_, err := newCompiler(map[string]any{}).cond("n", graph.Related{Path: graph.Path{step}, Quant: graph.Some})
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("step %+v: %v; want code %q", step, err, graph.EINVALID)
		}
	}
}

// TestNamesSep checks what namesText relies on: no folded string holds the
// separator.
func TestNamesSep(t *testing.T) {
	for _, s := range []string{"a\nb", "a\r\n\tb", "\u2028x\u0085", "\n"} {
		if f := graph.Fold(s); strings.Contains(f, namesSep) {
			t.Errorf("Fold(%q) = %q holds the separator", s, f)
		}
	}
}

// TestOrderKey checks that mapped keys and positions order as Go orders
// them, both by UTF-16 code units (Cypher) and by bytes (Neo4j's indexes).
func TestOrderKey(t *testing.T) {
	keys := []string{"", "a", "ab", "a\uE000", "a\uFFFD", "a\uFFFF", "a\uFFFFb", "a\U00010000", "a\U0001F600",
		"a\U0001F600b", "b", "\uD7FF", "\uE000", "\uFFFF", "\uFFFF\u0001", "\U00010000", "\U0010FFFF", "é", "\u0001"}
	utf16Compare := func(a, b string) int {
		return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
	}
	for _, a := range keys {
		for _, b := range keys {
			want := strings.Compare(a, b)
			if got := utf16Compare(orderKey(a), orderKey(b)); got != want {
				t.Errorf("UTF-16 order of %q, %q: %d; want %d", a, b, got, want)
			}
			if got := strings.Compare(orderKey(a), orderKey(b)); got != want {
				t.Errorf("byte order of %q, %q: %d; want %d", a, b, got, want)
			}
			for _, ids := range [][2]string{{"a", "a"}, {"a", "b"}, {"b", "a"}, {"a", "a-b"}, {"a-b", "a"}} {
				pa, pb := graph.Position{SortKey: a, ID: ids[0]}, graph.Position{SortKey: b, ID: ids[1]}
				want := 0
				switch {
				case pa.Less(pb):
					want = -1
				case pb.Less(pa):
					want = 1
				}
				if got := utf16Compare(positionKey(pa), positionKey(pb)); got != want {
					t.Errorf("UTF-16 order of %+v, %+v: %d; want %d", pa, pb, got, want)
				}
				if got := strings.Compare(positionKey(pa), positionKey(pb)); got != want {
					t.Errorf("byte order of %+v, %+v: %d; want %d", pa, pb, got, want)
				}
			}
		}
	}
}
