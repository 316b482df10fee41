package gql_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/civicgraph/civicgraph/graph/storetest"
)

// TestCountOnly checks that a connection asked only its totalCount is
// answered by counting, in the call that finds its parents, and that the
// counts, filtered or not, are the lengths of the lists.
func TestCountOnly(t *testing.T) {
	for name, newStore := range backends {
		for _, tt := range []struct{ name, list, conn string }{
			{"all", "", "(first: 1)"},
			{"filtered", "(where: {kind: {in: [CASE, MODEL]}})", "(where: {kind: {in: [CASE, MODEL]}}, first: 1)"},
		} {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				store := &countingStore{Store: newStore(t)}
				storetest.MustSeed(t, store)
				url := newAPI(t, store)
				var lists, counts struct {
					Topics []struct {
						ID        string
						Practices []struct{ ID string }
						Count     struct{ TotalCount int }
					}
				}
				_, res := post(t, url, fmt.Sprintf(`{ topics { id practices%s { id } } }`, tt.list), nil)
				if err := json.Unmarshal(res.Data, &lists); err != nil || len(res.Errors) > 0 {
					t.Fatalf("lists: %v %v", err, res.Errors)
				}
				store.calls.Store(0)
				store.counted.Store(0)
				_, res = post(t, url, fmt.Sprintf(`{ topics { id count: practicesConnection%s { totalCount } } }`, tt.conn), nil)
				if err := json.Unmarshal(res.Data, &counts); err != nil || len(res.Errors) > 0 {
					t.Fatalf("counts: %v %v", err, res.Errors)
				}
				if calls, counted := store.calls.Load(), store.counted.Load(); calls != 1 || counted != 1 {
					t.Errorf("%d store calls and %d counting reads; want 1 and 1 (the topics with their counts)", calls, counted)
				}
				if len(counts.Topics) != len(lists.Topics) || len(lists.Topics) == 0 {
					t.Fatalf("%d topics counted, %d listed", len(counts.Topics), len(lists.Topics))
				}
				nonZero := 0
				for i, topic := range counts.Topics {
					if want := len(lists.Topics[i].Practices); topic.Count.TotalCount != want {
						t.Errorf("%s: totalCount %d, list of %d", topic.ID, topic.Count.TotalCount, want)
					}
					if topic.Count.TotalCount > 0 {
						nonZero++
					}
				}
				if nonZero == 0 {
					t.Error("every count is 0: the test asks nothing")
				}
			})
		}
	}
}
