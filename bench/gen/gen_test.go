package gen

import (
	"cmp"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
	"github.com/civicgraph/civicgraph/graph/memstore"
)

var small = Shape{Municipalities: 30, Consortia: 3, Units: 3, People: 8, Practices: 4, Services: 2, Events: 2}

func TestDeterministic(t *testing.T) {
	a, b := GenerateShape(small, 7), GenerateShape(small, 7)
	if diff := gocmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different datasets (-a +b):\n%s", diff)
	}
	if c := GenerateShape(small, 8); gocmp.Equal(a, c) {
		t.Fatal("different seeds gave the same dataset")
	}
}

// TestYAMLRoundTrip checks through the curated-data loader, which checks
// every rule of the format (ids, kinds, endpoints, evidence found verbatim,
// no relation stated twice), that generated datasets are valid, and that
// the files say exactly what the dataset does.
func TestYAMLRoundTrip(t *testing.T) {
	want := GenerateShape(small, 1)
	dir := t.TempDir()
	if err := WriteYAML(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := dataset.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatalf("the written files do not load:\n%v", err)
	}
	sortDataset(want)
	sortDataset(got)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("loaded dataset differs (-generated +loaded):\n%s", diff)
	}
}

func sortDataset(ds *graph.Dataset) {
	slices.SortFunc(ds.Entities, func(a, b graph.Entity) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(ds.Relations, func(a, b graph.Relation) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(string(a.Type), string(b.Type)), strings.Compare(a.To, b.To))
	})
}

// TestScaleM checks the size of M, that its ids are unique and its
// relations join entities of the types they allow, and that the headline
// question has an answer that is neither empty nor every municipality.
func TestScaleM(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 100,000 entities")
	}
	ds := Generate(M, 1)
	if n := len(ds.Entities); n < 90_000 || n > 115_000 {
		t.Errorf("M has %d entities; want about 100,000", n)
	}
	types := map[string]graph.EntityType{}
	for _, e := range ds.Entities {
		if _, dup := types[e.ID]; dup {
			t.Fatalf("duplicate id %q", e.ID)
		}
		types[e.ID] = e.Type
		if kinds := e.Type.Kinds(); kinds != nil && !slices.Contains(kinds, e.Kind) {
			t.Fatalf("%s: kind %q is not one of %v", e.ID, e.Kind, kinds)
		}
	}
	for _, r := range ds.Relations {
		if !r.Type.Allows(types[r.From], types[r.To]) {
			t.Fatalf("%s %s %s joins a %s to a %s", r.From, r.Type, r.To, types[r.From], types[r.To])
		}
	}
	s := memstore.New()
	ctx := context.Background()
	if err := s.Replace(ctx, ds); err != nil {
		t.Fatal(err)
	}
	all, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Where: municipality})
	if err != nil {
		t.Fatal(err)
	}
	answer, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Where: graph.And{municipality, presentedInteroperability}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("M: %d entities, %d relations; %d of %d municipalities presented interoperability practices",
		len(ds.Entities), len(ds.Relations), len(answer.Entities), len(all.Entities))
	if n := len(answer.Entities); n < len(all.Entities)/10 || n > len(all.Entities)*2/3 {
		t.Errorf("headline answer has %d of %d municipalities; want a tenth to two thirds", n, len(all.Entities))
	}
}

var (
	municipality = graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"MUNICIPALITY"}}
	// Units roll up: people whose roles are in a unit speak for its
	// municipality.
	presentedInteroperability = graph.Related{Quant: graph.Some, Path: graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
		{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk},
		{Rel: graph.RelPresents, Dir: graph.Out, Target: graph.TypePractice},
	}, Where: graph.Related{Quant: graph.Some, Path: graph.Path{{Rel: graph.RelAbout, Dir: graph.Out, Target: graph.TypeTopic}},
		Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{TopicInteroperability}}}}
)
