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
