// Package model holds the GraphQL object types of the entities: one Go type
// per GraphQL type, so that gqlgen can tell them apart behind the Node
// interface. Each wraps the domain's graph.Entity and adds nothing but the
// optional forms of a few fields.
package model

import "github.com/civicgraph/civicgraph/graph"

type (
	Person       struct{ *graph.Entity }
	Organisation struct{ *graph.Entity }
	Role         struct{ *graph.Entity }
	Event        struct{ *graph.Entity }
	Talk         struct{ *graph.Entity }
	Practice     struct{ *graph.Entity }
	Service      struct{ *graph.Entity }
	Topic        struct{ *graph.Entity }
	Source       struct{ *graph.Entity }
)

// Node is implemented by every entity type.
type Node interface{ IsNode() }

func (Person) IsNode()       {}
func (Organisation) IsNode() {}
func (Role) IsNode()         {}
func (Event) IsNode()        {}
func (Talk) IsNode()         {}
func (Practice) IsNode()     {}
func (Service) IsNode()      {}
func (Topic) IsNode()        {}
func (Source) IsNode()       {}

// Wrap returns e as the GraphQL object of its type.
func Wrap(e *graph.Entity) Node {
	switch e.Type {
	case graph.TypePerson:
		return &Person{e}
	case graph.TypeOrganisation:
		return &Organisation{e}
	case graph.TypeRole:
		return &Role{e}
	case graph.TypeEvent:
		return &Event{e}
	case graph.TypeTalk:
		return &Talk{e}
	case graph.TypePractice:
		return &Practice{e}
	case graph.TypeService:
		return &Service{e}
	case graph.TypeTopic:
		return &Topic{e}
	}
	return &Source{e}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// OptionalDescription is the description, or nil when there is none.
func (e *Event) OptionalDescription() *string { return optional(e.Description) }

// OptionalDescription is the description, or nil when there is none.
func (t *Talk) OptionalDescription() *string { return optional(t.Description) }

// OptionalDescription is the description, or nil when there is none.
func (p *Practice) OptionalDescription() *string { return optional(p.Description) }

// OptionalDescription is the description, or nil when there is none.
func (s *Service) OptionalDescription() *string { return optional(s.Description) }

// OptionalURL is the address, or nil when there is none.
func (s *Source) OptionalURL() *string { return optional(s.URL) }

// OptionalDate is the date, or nil when nothing of it is known.
func (e *Event) OptionalDate() *graph.PartialDate {
	if e.Date.IsZero() {
		return nil
	}
	return &e.Date
}

// Connection is a page of entities: every *Connection type of the schema.
type Connection struct {
	Edges      []*Edge
	PageInfo   PageInfo
	TotalCount int
}

// Edge is one entity of a page, with the relation followed to it, if any.
type Edge struct {
	Cursor   string
	Node     *graph.Entity
	Relation *graph.Relation
}

// PageInfo says whether more lies beyond a page, and where to ask for it.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Order is an orderBy argument: the names of an order-field enum value and
// of a direction.
type Order struct {
	Field     string
	Direction string
}
