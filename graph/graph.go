// Package graph is civicgraph's domain: the entities and relations of the
// knowledge graph, the evidence behind each of them, the filters researchers
// ask with, and the Store interface every backend implements.
//
// It imports nothing of ours and no driver: backends (memstore, neo4jstore)
// and front ends (gql) depend on it, never the other way round.
package graph

import "slices"

// EntityType is the type of an entity: a node label in Neo4j and a GraphQL
// object type.
type EntityType string

const (
	TypePerson       EntityType = "Person"
	TypeOrganisation EntityType = "Organisation"
	TypeRole         EntityType = "Role"
	TypeEvent        EntityType = "Event"
	TypeTalk         EntityType = "Talk"
	TypePractice     EntityType = "Practice"
	TypeService      EntityType = "Service"
	TypeTopic        EntityType = "Topic"
	// TypeSource is a document that evidence quotes from.
	TypeSource EntityType = "Source"
)

// EntityTypes lists every entity type, in a fixed order.
func EntityTypes() []EntityType {
	return []EntityType{TypePerson, TypeOrganisation, TypeRole, TypeEvent, TypeTalk,
		TypePractice, TypeService, TypeTopic, TypeSource}
}

// Valid reports whether t is one of EntityTypes.
func (t EntityType) Valid() bool { return slices.Contains(EntityTypes(), t) }

// Kinds lists the kinds an entity of type t may have; nil means t has no kind.
func (t EntityType) Kinds() []string {
	switch t {
	case TypeOrganisation:
		return []string{"MUNICIPALITY", "CONSORTIUM", "UNIT", "SERVICE_POINT"}
	case TypeEvent:
		return []string{"MEETING", "CONFERENCE", "WORKSHOP"}
	case TypeTalk:
		return []string{"PRESENTATION", "DEBATE", "ROUND_TABLE", "CONTRIBUTION"}
	case TypePractice:
		return []string{"MODEL", "CASE", "PROJECT"}
	}
	return nil
}

// RelType is the type of a relation: a relationship type in Neo4j.
type RelType string

const (
	RelHolds      RelType = "HOLDS"      // Person -> Role
	RelSpokeIn    RelType = "SPOKE_IN"   // Person -> Talk
	RelModerated  RelType = "MODERATED"  // Person -> Talk
	RelIn         RelType = "IN"         // Role -> Organisation
	RelPartOf     RelType = "PART_OF"    // Organisation -> Organisation, Talk -> Event or Talk
	RelOrganised  RelType = "ORGANISED"  // Organisation -> Event, with As
	RelHeldAt     RelType = "HELD_AT"    // Event -> Organisation
	RelProvides   RelType = "PROVIDES"   // Organisation -> Service
	RelImplements RelType = "IMPLEMENTS" // Organisation -> Practice
	RelPresents   RelType = "PRESENTS"   // Talk -> Practice or Service
	RelAbout      RelType = "ABOUT"      // Talk, Practice or Service -> Topic
	RelUses       RelType = "USES"       // Practice -> Service
	RelBroader    RelType = "BROADER"    // Topic -> Topic
)

// RelTypes lists every relation type, in a fixed order.
func RelTypes() []RelType {
	return []RelType{RelHolds, RelSpokeIn, RelModerated, RelIn, RelPartOf, RelOrganised,
		RelHeldAt, RelProvides, RelImplements, RelPresents, RelAbout, RelUses, RelBroader}
}

// Endpoints lists the (from, to) type pairs a relation of type r may join.
func (r RelType) Endpoints() [][2]EntityType {
	switch r {
	case RelHolds:
		return [][2]EntityType{{TypePerson, TypeRole}}
	case RelSpokeIn, RelModerated:
		return [][2]EntityType{{TypePerson, TypeTalk}}
	case RelIn:
		return [][2]EntityType{{TypeRole, TypeOrganisation}}
	case RelPartOf:
		return [][2]EntityType{{TypeOrganisation, TypeOrganisation}, {TypeTalk, TypeEvent}, {TypeTalk, TypeTalk}}
	case RelOrganised:
		return [][2]EntityType{{TypeOrganisation, TypeEvent}}
	case RelHeldAt:
		return [][2]EntityType{{TypeEvent, TypeOrganisation}}
	case RelProvides:
		return [][2]EntityType{{TypeOrganisation, TypeService}}
	case RelImplements:
		return [][2]EntityType{{TypeOrganisation, TypePractice}}
	case RelPresents:
		return [][2]EntityType{{TypeTalk, TypePractice}, {TypeTalk, TypeService}}
	case RelAbout:
		return [][2]EntityType{{TypeTalk, TypeTopic}, {TypePractice, TypeTopic}, {TypeService, TypeTopic}}
	case RelUses:
		return [][2]EntityType{{TypePractice, TypeService}}
	case RelBroader:
		return [][2]EntityType{{TypeTopic, TypeTopic}}
	}
	return nil
}

// Allows reports whether a relation of type r may go from an entity of type
// from to an entity of type to.
func (r RelType) Allows(from, to EntityType) bool {
	return slices.Contains(r.Endpoints(), [2]EntityType{from, to})
}

// OrganiserRoles lists the values of Relation.As on an ORGANISED relation.
func OrganiserRoles() []string { return []string{"ORGANISER", "COLLABORATOR"} }

// Evidence is why the graph states a fact: a verbatim quote from a source.
type Evidence struct {
	Source string // id of the Source entity
	Quote  string // verbatim substring of the source's text
}

// Entity is a node of the graph. Which optional fields apply depends on Type.
type Entity struct {
	ID          string // readable slug, unique across all types
	Type        EntityType
	Name        string // as the source writes it; a role's title, a talk's or source's title
	Aliases     []string
	Kind        string      // one of Type.Kinds(), or empty where Type has none
	Description string      // practices, talks
	Date        PartialDate // events
	Order       int         // talks: 1-based position within their parent
	Language    string      // sources
	URL         string      // sources
	Text        string      // sources: the full text quotes are checked against
	Evidence    []Evidence
}

// Props is a set of an Entity's properties besides ID and Type, which a
// read always returns: what a caller needs of the entities it reads (see
// Query.Props). A store may return more; the properties it leaves out are
// zero. The empty set stands for every property.
type Props uint16

// The properties of an Entity, each a Props of one.
const (
	PropName Props = 1 << iota
	PropAliases
	PropKind
	PropDescription
	PropDate
	PropOrder
	PropLanguage
	PropURL
	PropText
	PropEvidence
)

// Has reports whether the set holds prop: the empty set holds every one.
func (p Props) Has(prop Props) bool { return p == 0 || p&prop != 0 }

// Names returns the entity's name followed by its aliases.
func (e *Entity) Names() []string { return append([]string{e.Name}, e.Aliases...) }

// Relation is a directed edge of the graph.
type Relation struct {
	Type     RelType
	From, To string // entity ids
	As       string // ORGANISED only: one of OrganiserRoles
	Evidence []Evidence
}

// Dataset is a whole graph, as loaded from curated files.
type Dataset struct {
	Entities  []Entity
	Relations []Relation
}
