package memstore_test

import (
	"testing"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunTests(t, func(*testing.T) graph.Store { return memstore.New() })
}
