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
