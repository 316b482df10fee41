package gql

import "github.com/civicgraph/civicgraph/graph"

// relationship is what a relationship field of the schema follows.
type relationship struct {
	path   graph.Path
	target graph.EntityType
}

func step(rel graph.RelType, dir graph.Direction, target graph.EntityType) graph.Step {
	return graph.Step{Rel: rel, Dir: dir, Target: target}
}

// upward and downward roll an organisation up into the organisations it is
// part of, or down into its units, at any depth, itself included.
var (
	upward   = graph.Step{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeOrganisation, Repeat: true}
	downward = graph.Step{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true}
)

// relationships maps "Type.field" to what the field follows. It is the one
// place that gives relationship fields their meaning: resolvers, filters
// and the look-ahead loader all read it. `xConnection` fields follow `x`.
var relationships = map[string]relationship{
	"Person.roles":         {graph.Path{step(graph.RelHolds, graph.Out, graph.TypeRole)}, graph.TypeRole},
	"Person.organisations": {graph.Path{step(graph.RelHolds, graph.Out, graph.TypeRole), step(graph.RelIn, graph.Out, graph.TypeOrganisation), upward}, graph.TypeOrganisation},
	"Person.spokeIn":       {graph.Path{step(graph.RelSpokeIn, graph.Out, graph.TypeTalk)}, graph.TypeTalk},
	"Person.moderated":     {graph.Path{step(graph.RelModerated, graph.Out, graph.TypeTalk)}, graph.TypeTalk},

	"Organisation.parent":             {graph.Path{step(graph.RelPartOf, graph.Out, graph.TypeOrganisation)}, graph.TypeOrganisation},
	"Organisation.units":              {graph.Path{step(graph.RelPartOf, graph.In, graph.TypeOrganisation)}, graph.TypeOrganisation},
	"Organisation.roles":              {graph.Path{step(graph.RelIn, graph.In, graph.TypeRole)}, graph.TypeRole},
	"Organisation.people":             {graph.Path{downward, step(graph.RelIn, graph.In, graph.TypeRole), step(graph.RelHolds, graph.In, graph.TypePerson)}, graph.TypePerson},
	"Organisation.talks":              {graph.Path{downward, step(graph.RelIn, graph.In, graph.TypeRole), step(graph.RelHolds, graph.In, graph.TypePerson), step(graph.RelSpokeIn, graph.Out, graph.TypeTalk)}, graph.TypeTalk},
	"Organisation.presentedPractices": {graph.Path{downward, step(graph.RelIn, graph.In, graph.TypeRole), step(graph.RelHolds, graph.In, graph.TypePerson), step(graph.RelSpokeIn, graph.Out, graph.TypeTalk), step(graph.RelPresents, graph.Out, graph.TypePractice)}, graph.TypePractice},
	"Organisation.organised":          {graph.Path{step(graph.RelOrganised, graph.Out, graph.TypeEvent)}, graph.TypeEvent},
	"Organisation.hosted":             {graph.Path{step(graph.RelHeldAt, graph.In, graph.TypeEvent)}, graph.TypeEvent},
	"Organisation.provides":           {graph.Path{step(graph.RelProvides, graph.Out, graph.TypeService)}, graph.TypeService},
	"Organisation.implements":         {graph.Path{step(graph.RelImplements, graph.Out, graph.TypePractice)}, graph.TypePractice},

	"Role.holders":      {graph.Path{step(graph.RelHolds, graph.In, graph.TypePerson)}, graph.TypePerson},
	"Role.organisation": {graph.Path{step(graph.RelIn, graph.Out, graph.TypeOrganisation)}, graph.TypeOrganisation},

	"Event.organisers": {graph.Path{step(graph.RelOrganised, graph.In, graph.TypeOrganisation)}, graph.TypeOrganisation},
	"Event.venue":      {graph.Path{step(graph.RelHeldAt, graph.Out, graph.TypeOrganisation)}, graph.TypeOrganisation},
	"Event.talks":      {graph.Path{step(graph.RelPartOf, graph.In, graph.TypeTalk)}, graph.TypeTalk},

	"Talk.event":      {graph.Path{{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeTalk, Repeat: true}, step(graph.RelPartOf, graph.Out, graph.TypeEvent)}, graph.TypeEvent},
	"Talk.parent":     {graph.Path{step(graph.RelPartOf, graph.Out, graph.TypeTalk)}, graph.TypeTalk},
	"Talk.parts":      {graph.Path{step(graph.RelPartOf, graph.In, graph.TypeTalk)}, graph.TypeTalk},
	"Talk.speakers":   {graph.Path{step(graph.RelSpokeIn, graph.In, graph.TypePerson)}, graph.TypePerson},
	"Talk.moderators": {graph.Path{step(graph.RelModerated, graph.In, graph.TypePerson)}, graph.TypePerson},
	"Talk.practices":  {graph.Path{step(graph.RelPresents, graph.Out, graph.TypePractice)}, graph.TypePractice},
	"Talk.services":   {graph.Path{step(graph.RelPresents, graph.Out, graph.TypeService)}, graph.TypeService},
	"Talk.topics":     {graph.Path{step(graph.RelAbout, graph.Out, graph.TypeTopic)}, graph.TypeTopic},

	"Practice.presentedIn":   {graph.Path{step(graph.RelPresents, graph.In, graph.TypeTalk)}, graph.TypeTalk},
	"Practice.presentedBy":   {graph.Path{step(graph.RelPresents, graph.In, graph.TypeTalk), step(graph.RelSpokeIn, graph.In, graph.TypePerson), step(graph.RelHolds, graph.Out, graph.TypeRole), step(graph.RelIn, graph.Out, graph.TypeOrganisation), upward}, graph.TypeOrganisation},
	"Practice.implementedBy": {graph.Path{step(graph.RelImplements, graph.In, graph.TypeOrganisation)}, graph.TypeOrganisation},
	"Practice.services":      {graph.Path{step(graph.RelUses, graph.Out, graph.TypeService)}, graph.TypeService},
	"Practice.topics":        {graph.Path{step(graph.RelAbout, graph.Out, graph.TypeTopic)}, graph.TypeTopic},

	"Service.providers":   {graph.Path{step(graph.RelProvides, graph.In, graph.TypeOrganisation)}, graph.TypeOrganisation},
	"Service.usedBy":      {graph.Path{step(graph.RelUses, graph.In, graph.TypePractice)}, graph.TypePractice},
	"Service.presentedIn": {graph.Path{step(graph.RelPresents, graph.In, graph.TypeTalk)}, graph.TypeTalk},
	"Service.topics":      {graph.Path{step(graph.RelAbout, graph.Out, graph.TypeTopic)}, graph.TypeTopic},

	"Topic.broader":   {graph.Path{step(graph.RelBroader, graph.Out, graph.TypeTopic)}, graph.TypeTopic},
	"Topic.narrower":  {graph.Path{step(graph.RelBroader, graph.In, graph.TypeTopic)}, graph.TypeTopic},
	"Topic.practices": {graph.Path{step(graph.RelAbout, graph.In, graph.TypePractice)}, graph.TypePractice},
	"Topic.talks":     {graph.Path{step(graph.RelAbout, graph.In, graph.TypeTalk)}, graph.TypeTalk},
	"Topic.services":  {graph.Path{step(graph.RelAbout, graph.In, graph.TypeService)}, graph.TypeService},
}
