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

// TestCompileScan pins what a scan makes of filters that ids decide: a set
// found once by walking back from the ids, each step its own MATCH, and a
// list membership per node; other quantifiers still walk from each node,
// testing membership where ids decide their Where.
func TestCompileScan(t *testing.T) {
	units := graph.Step{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true}
	talks := graph.Path{units,
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
		{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk},
	}
	about := func(q graph.Quantifier) graph.Related {
		return graph.Related{Path: graph.Path{{Rel: graph.RelAbout, Dir: graph.Out}}, Quant: q,
			Where: graph.Match{Field: graph.FieldID, Op: graph.OpIn, Values: []string{"t1", "t2"}}}
	}
	cond := graph.And{
		graph.Related{Path: talks, Quant: graph.Some, Where: about(graph.Some)},
		graph.Related{Path: graph.Path{units}, Quant: graph.None, Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{"u"}}},
		graph.Related{Path: talks, Quant: graph.Single, Where: about(graph.Some)},
		graph.Related{Path: talks, Quant: graph.Some, Where: about(graph.All)},
	}
	params := map[string]any{}
	c := newCompiler(params)
	c.scan = true
	got, err := c.cond("n", cond)
	if err != nil {
		t.Fatal(err)
	}
	want := "(n IN v7 AND NOT n IN v11 AND COUNT { MATCH (n:Organisation) (()<-[:PART_OF]-(:Organisation))* (v12)" +
		" WITH DISTINCT v12 MATCH (v12)<-[:IN]-(v13:Role) WITH DISTINCT v13 MATCH (v13)<-[:HOLDS]-(v14:Person)" +
		" WITH DISTINCT v14 MATCH (v14)-[:SPOKE_IN]->(v15:Talk) WHERE v15 IN v19 RETURN DISTINCT v15 } = 1" +
		" AND EXISTS { MATCH (n:Organisation) (()<-[:PART_OF]-(:Organisation))* (v20)" +
		" WITH DISTINCT v20 MATCH (v20)<-[:IN]-(v21:Role) WITH DISTINCT v21 MATCH (v21)<-[:HOLDS]-(v22:Person)" +
		" WITH DISTINCT v22 MATCH (v22)-[:SPOKE_IN]->(v23:Talk)" +
		" WHERE NOT EXISTS { MATCH (v23)-[:ABOUT]->(v24) WHERE NOT (v24.id IN $p25) } })"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cypher (-want +got):\n%s", diff)
	}
	wantSets := []string{
		// The talks' topics are of any type: the talk is the one step
		// back from them that must be a Talk.
		"CALL () { MATCH (v0:Entity) WHERE v0.id IN $p1" +
			" WITH DISTINCT v0 MATCH (v0)<-[:ABOUT]-(v2)" +
			" WITH DISTINCT v2 MATCH (v2:Talk)<-[:SPOKE_IN]-(v3:Person)" +
			" WITH DISTINCT v3 MATCH (v3)-[:HOLDS]->(v4:Role)" +
			" WITH DISTINCT v4 MATCH (v4)-[:IN]->(v5:Organisation)" +
			" WITH DISTINCT v5 MATCH (v5) (()-[:PART_OF]->(:Organisation))* (v6)" +
			" RETURN collect(DISTINCT v6) AS v7 } ",
		"CALL () { MATCH (v8:Entity) WHERE v8.id = $p9" +
			" WITH DISTINCT v8 MATCH (v8:Organisation) (()-[:PART_OF]->(:Organisation))* (v10)" +
			" RETURN collect(DISTINCT v10) AS v11 } ",
		"CALL () { MATCH (v16:Entity) WHERE v16.id IN $p17" +
			" WITH DISTINCT v16 MATCH (v16)<-[:ABOUT]-(v18)" +
			" RETURN collect(DISTINCT v18) AS v19 } ",
	}
	if diff := cmp.Diff(wantSets, c.sets); diff != "" {
		t.Errorf("sets (-want +got):\n%s", diff)
	}
	ids := []string{"t1", "t2"}
	wantParams := map[string]any{"p1": ids, "p9": "u", "p17": ids, "p25": ids}
	if diff := cmp.Diff(wantParams, params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
}

// TestCompileExpand pins an expansion's statement: a branch along one
// plain step keeps no DISTINCT, the step reaching each node once, and one
// along a repeated step and further steps keeps one after each; a branch
// from another type than the node's checks its label first.
func TestCompileExpand(t *testing.T) {
	roles := graph.Branch{From: graph.TypePerson,
		Path: graph.Path{{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeRole}},
		Below: []graph.Branch{{From: graph.TypeRole,
			Path: graph.Path{{Rel: graph.RelIn, Dir: graph.Out, Target: graph.TypeOrganisation}}}}}
	people := graph.Branch{From: graph.TypeOrganisation, Path: graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
	}}
	got, params, err := expandCypher([]string{"p1"}, []graph.Branch{roles, people}, graph.PropName)
	if err != nil {
		t.Fatal(err)
	}
	want := "UNWIND range(0, size($ids) - 1) AS i OPTIONAL MATCH (n:Entity {id: $ids[i]}) WITH i, n, [" +
		"COLLECT { MATCH (n:Person) MATCH (n)-[:HOLDS]->(v0:Role)" +
		" RETURN [[v0.id, v0.name], null, [COLLECT { MATCH (v0)-[:IN]->(v1:Organisation) RETURN [v1.id, v1.name] }]] }, " +
		"COLLECT { MATCH (n:Organisation) MATCH (n:Organisation) (()<-[:PART_OF]-(:Organisation))* (v2)" +
		" WITH DISTINCT v2 MATCH (v2)<-[:IN]-(v3:Role) WITH DISTINCT v3 MATCH (v3)<-[:HOLDS]-(v4:Person)" +
		" WITH DISTINCT v4 RETURN [v4.id, v4.name] }] AS below" +
		" RETURN collect([i, CASE WHEN n IS NULL THEN null ELSE [n.id, labels(n), n.name] END, below]) AS answers"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cypher (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"ids": []string{"p1"}}, params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
}

func TestCompileRejectsUnknownIdentifiers(t *testing.T) {
	for _, step := range []graph.Step{
		{Rel: "HOLDS]->(m) DETACH DELETE m //", Dir: graph.Out},
		{Rel: graph.RelHolds, Dir: "BOTH"},
		{Rel: graph.RelHolds, Dir: graph.Out, Target: "Role) DETACH DELETE (n"},
	} {
		// In a scan, a filter on ids takes the step backwards.
		for _, scan := range []bool{false, true} {
			c := newCompiler(map[string]any{})
			c.scan = scan
			_, err := c.cond("n", graph.Related{Path: graph.Path{step}, Quant: graph.Some,
				Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{"x"}}})
			if graph.ErrorCode(err) != graph.EINVALID {
				t.Errorf("step %+v, scan %v: %v; want code %q", step, scan, err, graph.EINVALID)
			}
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
