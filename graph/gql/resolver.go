package gql

import "github.com/civicgraph/civicgraph/graph"

// Resolver holds what every resolver needs. It keeps no per-request state:
// that lives in the loader each operation gets (see withLoader).
type Resolver struct {
	Store graph.Store
}
