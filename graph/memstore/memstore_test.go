package memstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/data"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunTests(t, func(*testing.T) graph.Store { return memstore.New() })
}

// TestReplaceCopiesTheDataset checks that the store's copy of a dataset,
// whose strings, aliases and evidence Replace moves together (see
// compact), shares nothing with the caller's: the dataset is as it was,
// the store reads every entity back whole, and changing the dataset
// afterwards does not change the store.
func TestReplaceCopiesTheDataset(t *testing.T) {
	load := func() *graph.Dataset {
		ds, err := dataset.Load(data.Seed, "data")
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	ds, want := load(), load()
	store := memstore.New()
	storetest.MustReplace(t, store, ds)
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Fatalf("Replace changed the dataset (-before +after):\n%s", diff)
	}
	ids := make([]string, len(ds.Entities))
	for i, e := range ds.Entities {
		ids[i] = e.ID
		for j := range e.Aliases {
			ds.Entities[i].Aliases[j] = "changed"
		}
		for j := range e.Evidence {
			ds.Entities[i].Evidence[j].Quote = "changed"
		}
	}
	got, err := store.Entities(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	aliases, evidence := 0, 0
	for i, e := range got {
		if diff := cmp.Diff(&want.Entities[i], e); diff != "" {
			t.Errorf("%s (-want +got):\n%s", ids[i], diff)
		}
		aliases += len(e.Aliases)
		evidence += len(e.Evidence)
	}
	if aliases == 0 || evidence == 0 {
		t.Errorf("%d aliases and %d pieces of evidence read: the seed should have both", aliases, evidence)
	}
}

// TestStepsTheGraphLacks checks that a step finds nothing along a relation
// type, a direction or to a target type the graph has no relation of,
// whether or not the graph has that type at all: the store numbers only
// the types it holds.
func TestStepsTheGraphLacks(t *testing.T) {
	ev := []graph.Evidence{{Source: "src", Quote: "q"}}
	store := memstore.New()
	storetest.MustReplace(t, store, &graph.Dataset{
		Entities: []graph.Entity{
			{ID: "src", Type: graph.TypeSource, Name: "Source", Text: "q"},
			{ID: "ana", Type: graph.TypePerson, Name: "Ana", Evidence: ev},
			{ID: "head", Type: graph.TypeRole, Name: "head", Evidence: ev},
			{ID: "alella", Type: graph.TypeOrganisation, Name: "Alella", Evidence: ev},
		},
		Relations: []graph.Relation{
			{Type: graph.RelHolds, From: "ana", To: "head", Evidence: ev},
			{Type: graph.RelIn, From: "head", To: "alella", Evidence: ev},
		},
	})
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		step graph.Step
		want []string
	}{
		{"any target", graph.Step{Rel: graph.RelHolds, Dir: graph.Out}, []string{"head"}},
		{"its target", graph.Step{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeRole}, []string{"head"}},
		{"a target it has no relation to", graph.Step{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeOrganisation}, []string{}},
		{"a target type it lacks", graph.Step{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeService}, []string{}},
		{"a relation type it lacks", graph.Step{Rel: graph.RelUses, Dir: graph.Out}, []string{}},
		{"the other direction", graph.Step{Rel: graph.RelHolds, Dir: graph.In}, []string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := graph.Path{tt.step}
			found, err := store.Neighbours(ctx, []string{"ana"}, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, n := range found[0] {
				got = append(got, n.Entity.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Neighbours (-want +got):\n%s", diff)
			}
			counts, err := store.NeighbourCounts(ctx, []string{"ana"}, path, nil)
			if err != nil || counts[0] != len(tt.want) {
				t.Errorf("NeighbourCounts = %v, %v; want [%d]", counts, err, len(tt.want))
			}
		})
	}
}
