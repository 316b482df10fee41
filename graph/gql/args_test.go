package gql_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/civicgraph/civicgraph/graph/storetest"
)

// TestArgumentsPerField checks that each field of a list's elements gets
// its own arguments, from literals or variables, though they are worked
// out once per operation (graph/gql/fieldargs): the same relationship
// field three times under aliases, filtered three ways.
func TestArgumentsPerField(t *testing.T) {
	type practice struct{ ID, Kind string }
	for name, newStore := range backends {
		t.Run(name, func(t *testing.T) {
			store := newStore(t)
			storetest.MustSeed(t, store)
			url := newAPI(t, store)
			_, res := post(t, url, `query($kinds: [PracticeKind!]) { topics {
			  id
			  all: practices { id kind }
			  cases: practices(where: {kind: {in: $kinds}}) { id kind }
			  models: practices(where: {kind: {eq: MODEL}}) { id kind }
			} }`, map[string]any{"kinds": []string{"CASE"}})
			var data struct {
				Topics []struct {
					ID                 string
					All, Cases, Models []practice
				}
			}
			if err := json.Unmarshal(res.Data, &data); err != nil || len(res.Errors) > 0 {
				t.Fatalf("%v %v", err, res.Errors)
			}
			ofKind := func(ps []practice, kind string) []practice {
				return slices.DeleteFunc(slices.Clone(ps), func(p practice) bool { return p.Kind != kind })
			}
			cases, models := 0, 0
			for _, topic := range data.Topics {
				if want := ofKind(topic.All, "CASE"); !slices.Equal(topic.Cases, want) {
					t.Errorf("%s: cases %v, want %v", topic.ID, topic.Cases, want)
				}
				if want := ofKind(topic.All, "MODEL"); !slices.Equal(topic.Models, want) {
					t.Errorf("%s: models %v, want %v", topic.ID, topic.Models, want)
				}
				cases += len(topic.Cases)
				models += len(topic.Models)
			}
			if cases == 0 || models == 0 {
				t.Errorf("%d cases and %d models in all: the seed should have both", cases, models)
			}
		})
	}
}

// TestPlansFollowVariables asks one document again and again: with
// different variables in its selection (whose reads are planned anew each
// time), and without any (whose plan is kept after the first request). The
// answers must be those of the same query spelled out, in one store call.
func TestPlansFollowVariables(t *testing.T) {
	withVariables := `query($kinds: [PracticeKind!], $topics: Boolean!) {
	  organisations { id presentedPractices(where: {kind: {in: $kinds}}) { id topics @include(if: $topics) { id } } }
	}`
	spelledOut := func(kind string, topics bool) string {
		sel := "id"
		if topics {
			sel = "id topics { id }"
		}
		return `{ organisations { id presentedPractices(where: {kind: {in: [` + kind + `]}}) { ` + sel + ` } } }`
	}
	for name, newStore := range backends {
		t.Run(name, func(t *testing.T) {
			store := &countingStore{Store: newStore(t)}
			storetest.MustSeed(t, store)
			url := newAPI(t, store)
			ask := func(query string, vars map[string]any) string {
				t.Helper()
				store.calls.Store(0)
				_, res := post(t, url, query, vars)
				if len(res.Errors) > 0 {
					t.Fatalf("errors: %v", res.Errors)
				}
				if calls := store.calls.Load(); calls != 1 {
					t.Errorf("%d store calls, want 1", calls)
				}
				return string(res.Data)
			}
			answers := map[string]bool{}
			for _, tt := range []struct {
				kind   string
				topics bool
			}{{"CASE", false}, {"MODEL", true}, {"CASE", true}, {"MODEL", false}, {"CASE", false}} {
				want := ask(spelledOut(tt.kind, tt.topics), nil)
				if again := ask(spelledOut(tt.kind, tt.topics), nil); again != want {
					t.Errorf("%s, topics %v: asked again\n%s\nwant\n%s", tt.kind, tt.topics, again, want)
				}
				got := ask(withVariables, map[string]any{"kinds": []string{tt.kind}, "topics": tt.topics})
				if got != want {
					t.Errorf("%s, topics %v: with variables\n%s\nwant\n%s", tt.kind, tt.topics, got, want)
				}
				answers[want] = true
			}
			if len(answers) != 4 {
				t.Errorf("%d different answers to 4 different questions", len(answers))
			}
		})
	}
}
