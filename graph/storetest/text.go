package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
)

// textFixture is 300 people in order p000 … p299, whose names hold texts
// matched at chosen places of that order: in every third name, only in
// the last names, in two names and nowhere. A store may read a page with
// a text condition in order or from a text index; each placing makes one
// of those the faster, and the answers must not tell which.
func textFixture() (*graph.Dataset, map[string][]string) {
	ds := &graph.Dataset{Entities: []graph.Entity{{ID: "src", Type: graph.TypeSource, Name: "Fixture source", Text: "people"}}}
	want := map[string][]string{}
	for i := range 300 {
		var texts []string
		if i%3 == 0 {
			texts = append(texts, "Ferrer") // common: 100 names, from the first
		}
		if i >= 260 {
			texts = append(texts, "Vidal") // the last 40 names only
		}
		if i == 7 || i == 290 {
			texts = append(texts, "Zubiri") // one early name, one late
		}
		id := fmt.Sprintf("p%03d", i)
		name := id
		for _, text := range texts {
			name += " " + text
			want[text] = append(want[text], id)
		}
		ds.Entities = append(ds.Entities, graph.Entity{ID: id, Type: graph.TypePerson, Name: name,
			Evidence: []graph.Evidence{{Source: "src", Quote: name}}})
	}
	return ds, want
}

// testFindTextPages pages through the people whose names contain a text,
// forward, backward and in descending order, in pages of several sizes,
// and checks that the pages together are the matches in order.
func testFindTextPages(t *testing.T, s graph.Store) {
	ds, want := textFixture()
	MustReplace(t, s, ds)
	want["Nowhere"] = nil
	for _, text := range []string{"Ferrer", "Vidal", "Zubiri", "Nowhere"} {
		for _, size := range []int{1, 2, 5, 20, 100} {
			for _, way := range []string{"forward", "backward", "descending"} {
				t.Run(fmt.Sprintf("%s/%d/%s", text, size, way), func(t *testing.T) {
					q := graph.Query{Type: graph.TypePerson, WithTotal: true,
						Where: graph.Match{Field: graph.FieldNames, Op: graph.OpContains, Values: []string{graph.Fold(text)}}}
					expected := slices.Clone(want[text])
					switch way {
					case "forward":
						q.First = size
					case "backward":
						q.Last = size
						slices.Reverse(expected)
					case "descending":
						q.First, q.Order = size, graph.Order{Desc: true}
						slices.Reverse(expected)
					}
					var got []string
					for pages := 1; ; pages++ {
						page := find(t, s, q)
						if page.Total != len(want[text]) {
							t.Fatalf("page %d: Total = %d, want %d", pages, page.Total, len(want[text]))
						}
						found := ids(page.Entities)
						more := page.HasNext
						if way == "backward" {
							slices.Reverse(found)
							more = page.HasPrevious
						}
						got = append(got, found...)
						if !more || pages > len(expected) {
							break
						}
						if way == "backward" {
							q.Before = positionOf(page.Entities[0])
						} else {
							q.After = positionOf(page.Entities[len(page.Entities)-1])
						}
					}
					if diff := cmp.Diff(expected, got); diff != "" {
						t.Errorf("matches, page by page (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}
