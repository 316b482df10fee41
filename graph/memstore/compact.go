package memstore

import (
	"slices"
	"strings"

	"github.com/civicgraph/civicgraph/graph"
)

// compact moves every string of ds, the store's own copy of a dataset,
// into one allocation, and its aliases and evidence into one slice each;
// type names become package graph's constants, and empty strings stay
// empty.
// A dataset read from files holds each value in an allocation of its own,
// about ten per entity, and the collector marks each of them on every
// cycle; one string and two slices are three. ds's slices of aliases and
// evidence are still the caller's, so they are copied, not changed.
func compact(ds *graph.Dataset) {
	aliases, evidence := 0, 0
	for i := range ds.Entities {
		aliases += len(ds.Entities[i].Aliases)
		evidence += len(ds.Entities[i].Evidence)
	}
	for i := range ds.Relations {
		evidence += len(ds.Relations[i].Evidence)
	}
	allAliases, allEvidence := make([]string, 0, aliases), make([]graph.Evidence, 0, evidence)
	for i := range ds.Entities {
		e := &ds.Entities[i]
		e.Aliases = moveInto(&allAliases, e.Aliases)
		e.Evidence = moveInto(&allEvidence, e.Evidence)
	}
	for i := range ds.Relations {
		r := &ds.Relations[i]
		r.Evidence = moveInto(&allEvidence, r.Evidence)
	}
	entityTypes, relTypes := graph.EntityTypes(), graph.RelTypes()
	for i := range ds.Entities {
		toConstant(entityTypes, &ds.Entities[i].Type)
	}
	for i := range ds.Relations {
		toConstant(relTypes, &ds.Relations[i].Type)
	}
	size := 0
	eachString(ds, func(s *string) { size += len(*s) })
	var b strings.Builder
	b.Grow(size)
	eachString(ds, func(s *string) { b.WriteString(*s) })
	all, at := b.String(), 0
	eachString(ds, func(s *string) {
		// An empty string stays "", with no pointer: one into all would
		// cost the collector as much as a full one, and most entities
		// leave several fields empty.
		if *s != "" {
			*s, at = all[at:at+len(*s)], at+len(*s)
		}
	})
}

// toConstant makes *t the constant of known equal to it, if there is one:
// a constant's bytes lie outside the heap, so the collector spends next
// to nothing on the millions of references to it.
func toConstant[T comparable](known []T, t *T) {
	if i := slices.Index(known, *t); i >= 0 {
		*t = known[i]
	}
}

// moveInto appends items to all and returns them as they sit there (nil
// stays nil: the domain tells none from empty that way).
func moveInto[T any](all *[]T, items []T) []T {
	if items == nil {
		return nil
	}
	start := len(*all)
	*all = append(*all, items...)
	return (*all)[start:len(*all):len(*all)]
}

// eachString calls visit with every string of ds, always in the same order.
func eachString(ds *graph.Dataset, visit func(*string)) {
	for i := range ds.Entities {
		e := &ds.Entities[i]
		for _, s := range []*string{&e.ID, &e.Name, &e.Kind, &e.Description, &e.Language, &e.URL, &e.Text} {
			visit(s)
		}
		for j := range e.Aliases {
			visit(&e.Aliases[j])
		}
		for j := range e.Evidence {
			visit(&e.Evidence[j].Source)
			visit(&e.Evidence[j].Quote)
		}
	}
	for i := range ds.Relations {
		r := &ds.Relations[i]
		for _, s := range []*string{&r.From, &r.To, &r.As} {
			visit(s)
		}
		for j := range r.Evidence {
			visit(&r.Evidence[j].Source)
			visit(&r.Evidence[j].Quote)
		}
	}
}
