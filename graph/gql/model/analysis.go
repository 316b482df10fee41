package model

import "github.com/civicgraph/civicgraph/graph"

// GroupCount is one group of a …GroupCount field.
type GroupCount struct {
	Key   string
	Label string
	Node  Node // nil for a kind
	Count int
}

// GraphPath is one route of the paths field.
type GraphPath struct {
	Length    int
	Nodes     []Node
	Relations []*graph.Relation
}

// Subgraph is the answer of the neighbourhood field.
type Subgraph struct {
	Nodes     []Node
	Relations []*graph.Relation
	Truncated bool
}
