package memstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/civicgraph/civicgraph/bench/gen"
	"github.com/civicgraph/civicgraph/bench/questions"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

// The benchmarks read scale M of the benchmark's generator (about 100,000
// entities), where the embedded store's costs show: at the seed's size
// every read is a few microseconds.
var benchData = sync.OnceValues(func() (*memstore.Store, questions.Params) {
	ds := gen.Generate(gen.M, 1)
	s := memstore.New()
	if err := s.Replace(context.Background(), ds); err != nil {
		panic(err)
	}
	return s, questions.For(ds)
})

func step(rel graph.RelType, dir graph.Direction, target graph.EntityType) graph.Step {
	return graph.Step{Rel: rel, Dir: dir, Target: target}
}

// presented is Organisation.presentedPractices: from an organisation and
// its units down to the practices its people presented.
var presented = graph.Path{
	{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
	step(graph.RelIn, graph.In, graph.TypeRole),
	step(graph.RelHolds, graph.In, graph.TypePerson),
	step(graph.RelSpokeIn, graph.Out, graph.TypeTalk),
	step(graph.RelPresents, graph.Out, graph.TypePractice),
}

var topics = graph.Path{step(graph.RelAbout, graph.Out, graph.TypeTopic)}

// municipalities holds for municipalities whose presented practices about
// topic number as quant asks: the headline question and its variants.
func municipalities(quant graph.Quantifier, topic string) graph.Cond {
	return graph.And{
		graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"MUNICIPALITY"}},
		graph.Related{Path: presented, Quant: quant, Where: graph.Related{Path: topics, Quant: graph.Some,
			Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{topic}}}},
	}
}

func BenchmarkFind(b *testing.B) {
	s, p := benchData()
	ctx := context.Background()
	for _, quant := range []graph.Quantifier{graph.Some, graph.None, graph.Single, graph.All} {
		b.Run("headline-"+string(quant), func(b *testing.B) {
			q := graph.Query{Type: graph.TypeOrganisation, Where: municipalities(quant, p.Topic)}
			storetest.Loop(b, func() error {
				_, err := s.Find(ctx, q)
				return err
			})
		})
	}
	b.Run("page", func(b *testing.B) {
		q := graph.Query{Type: graph.TypePractice, First: 20, WithTotal: true,
			Where: graph.Related{Path: topics, Quant: graph.Some,
				Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{p.PageTopic}}}}
		storetest.Loop(b, func() error {
			_, err := s.Find(ctx, q)
			return err
		})
	})
	// A page near the end of a long list, after a cursor: what a client
	// paging through all practices asks last.
	b.Run("deep-page", func(b *testing.B) {
		all, err := s.Find(ctx, graph.Query{Type: graph.TypePractice, Order: graph.Order{Field: graph.OrderKind}})
		if err != nil {
			b.Fatal(err)
		}
		after := graph.PositionIn(all.Entities[len(all.Entities)-30], graph.OrderKind)
		q := graph.Query{Type: graph.TypePractice, Order: graph.Order{Field: graph.OrderKind}, After: &after, First: 20,
			Where: graph.Match{Field: graph.FieldNames, Op: graph.OpContains, Values: []string{"a"}}}
		storetest.Loop(b, func() error {
			_, err := s.Find(ctx, q)
			return err
		})
	})
}

func BenchmarkNeighbours(b *testing.B) {
	s, p := benchData()
	ctx := context.Background()
	topicIDs := idsOf(b, s, graph.TypeTopic)
	for _, c := range []struct {
		name string
		ids  []string
		path graph.Path
	}{
		// The dashboard's read: every practice of every topic, with
		// the relation to each, thousands to a topic.
		{"topic-practices", topicIDs, graph.Path{step(graph.RelAbout, graph.In, graph.TypePractice)}},
		// The nested question's second level: an organisation's people.
		{"organisation-people", []string{p.OrgID}, presented[:3]},
	} {
		b.Run(c.name, func(b *testing.B) {
			storetest.Loop(b, func() error {
				_, err := s.Neighbours(ctx, c.ids, c.path, nil)
				return err
			})
		})
		b.Run(c.name+"-counts", func(b *testing.B) {
			storetest.Loop(b, func() error {
				_, err := s.NeighbourCounts(ctx, c.ids, c.path, nil)
				return err
			})
		})
	}
}

func BenchmarkAnalysis(b *testing.B) {
	s, p := benchData()
	ctx := context.Background()
	b.Run("count", func(b *testing.B) {
		where := graph.Related{Path: topics, Quant: graph.Some}
		storetest.Loop(b, func() error {
			_, err := s.Count(ctx, graph.TypePractice, where)
			return err
		})
	})
	b.Run("group-count", func(b *testing.B) {
		q := graph.GroupQuery{Type: graph.TypePractice, By: topics}
		storetest.Loop(b, func() error {
			_, err := s.GroupCount(ctx, q)
			return err
		})
	})
	b.Run("paths", func(b *testing.B) {
		q := graph.PathQuery{From: p.PersonID, To: p.OrgID, MaxLength: 4, Limit: graph.MaxPaths}
		storetest.Loop(b, func() error {
			_, err := s.Paths(ctx, q)
			return err
		})
	})
	b.Run("neighbourhood", func(b *testing.B) {
		q := graph.NeighbourhoodQuery{ID: p.OrgID, Depth: 2, Limit: graph.MaxNeighbourhoodSize}
		storetest.Loop(b, func() error {
			_, err := s.Neighbourhood(ctx, q)
			return err
		})
	})
}

func idsOf(b *testing.B, s *memstore.Store, typ graph.EntityType) []string {
	page, err := s.Find(context.Background(), graph.Query{Type: typ})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(page.Entities))
	for i, e := range page.Entities {
		ids[i] = e.ID
	}
	return ids
}
