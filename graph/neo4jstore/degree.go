package neo4jstore

import (
	"fmt"

	"github.com/civicgraph/civicgraph/graph"
)

// Each node stores its degrees: how many relationships it has of each
// type, in each direction, with each type of entity at the other end. A
// count along one plain step, such as a dashboard's practices per topic,
// then reads one property of each node instead of visiting every
// neighbour to check its label. Replace is the only writer, and writes
// them with the relationships, so they are exact between loads.

// degreeProp names the property that counts a node's relationships along
// step, such as "degree_ABOUT_in_Practice".
func degreeProp(step graph.Step) string {
	dir := "out"
	if step.Dir == graph.In {
		dir = "in"
	}
	return "degree_" + string(step.Rel) + "_" + dir + "_" + string(step.Target)
}

// degrees holds, by entity id, the degree properties of its node.
type degrees map[string]map[string]any

func (d degrees) add(id string, step graph.Step) {
	props := d[id]
	if props == nil {
		props = map[string]any{}
		d[id] = props
	}
	name := degreeProp(step)
	n, _ := props[name].(int64)
	props[name] = n + 1
}

// datasetDegrees counts the relations of ds; a valid dataset never joins
// two entities twice by relations of one type.
func datasetDegrees(ds *graph.Dataset) degrees {
	types := make(map[string]graph.EntityType, len(ds.Entities))
	for _, e := range ds.Entities {
		types[e.ID] = e.Type
	}
	d := degrees{}
	for _, r := range ds.Relations {
		d.add(r.From, graph.Step{Rel: r.Type, Dir: graph.Out, Target: types[r.To]})
		d.add(r.To, graph.Step{Rel: r.Type, Dir: graph.In, Target: types[r.From]})
	}
	return d
}

// storedDegrees counts the degrees of the entity id from the steps of its
// stored relationships, each a list of the relationship's type, "out" or
// "in", and the labels of the node at the other end.
func storedDegrees(id string, steps []any) (degrees, error) {
	d := degrees{}
	for _, s := range steps {
		step, ok := s.([]any)
		if !ok || len(step) != 3 {
			return nil, fmt.Errorf("entity %q: relationship step %v is not [type, direction, labels]", id, s)
		}
		rel, _ := step[0].(string)
		dir, _ := step[1].(string)
		labels, _ := step[2].([]any)
		st := graph.Step{Rel: graph.RelType(rel), Dir: graph.Out}
		if dir == "in" {
			st.Dir = graph.In
		}
		st.Target = typeAmong(labels)
		d.add(id, st)
	}
	return d, nil
}
