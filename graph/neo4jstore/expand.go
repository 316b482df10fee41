package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// Expand implements graph.Store in one statement: each branch is a
// subquery that runs from every node the one above it found, so a whole
// GraphQL selection costs one round trip.
func (s *Store) Expand(ctx context.Context, ids []string, branches []graph.Branch, props graph.Props) (graph.Expansion, error) {
	cypher, params, err := expandCypher(ids, branches, props)
	if err != nil {
		return graph.Expansion{}, err
	}
	if len(ids) == 0 {
		return graph.Expansion{Entities: []*graph.Entity{}, Reached: emptyReach(branches)}, ctx.Err()
	}
	out, err := read(ctx, s, cypher, params, func(res neo4j.ResultWithContext) (graph.Expansion, error) {
		out := graph.Expansion{Entities: make([]*graph.Entity, len(ids)), Reached: emptyReach(branches)}
		_, answers, err := oneRow(ctx, res, "answers")
		if err != nil {
			return out, err
		}
		for _, answer := range answers {
			values, i, err := indexed(answer, 3, len(ids))
			if err != nil {
				return out, err
			}
			if values[1] == nil {
				continue // no entity has the id
			}
			e, err := projectedEntity(values[1], props, "")
			if err != nil {
				return out, err
			}
			out.Entities[i] = e
			below, err := list(values[2], "answers below")
			if err != nil {
				return out, err
			}
			if err := readReach(e, branches, below, props, out.Reached); err != nil {
				return out, err
			}
		}
		return out, nil
	})
	return out, s.fail(ctx, "expand", err)
}

// emptyReach returns a Reach for every branch, at every depth, with
// nothing found yet.
func emptyReach(branches []graph.Branch) []graph.Reach {
	out := make([]graph.Reach, len(branches))
	for i, b := range branches {
		if b.Count {
			out[i] = graph.Reach{Counts: map[string]int{}}
			continue
		}
		out[i] = graph.Reach{Neighbours: map[string][]graph.Neighbour{}, Below: emptyReach(b.Below)}
	}
	return out
}

// readReach records in reached what each branch found from e: below is
// the list expandCypher made for e, one entry per branch.
func readReach(e *graph.Entity, branches []graph.Branch, below []any, props graph.Props, reached []graph.Reach) error {
	if len(below) != len(branches) {
		return fmt.Errorf("%d answers for %d branches", len(below), len(branches))
	}
	for k, b := range branches {
		if e.Type != b.From {
			continue
		}
		if b.Count {
			n, ok := below[k].(int64)
			if !ok {
				return fmt.Errorf("count is a %T, not an integer", below[k])
			}
			reached[k].Counts[e.ID] = int(n)
			continue
		}
		items, err := list(below[k], "branch answer")
		if err != nil {
			return err
		}
		found, rels, deeper, err := unwrap(b, items)
		if err != nil {
			return err
		}
		ns, err := neighbourList(e.ID, b.Path, found, rels, b.Relations, listProps(props, b))
		if err != nil {
			return err
		}
		if len(b.Below) > 0 {
			for j, n := range ns {
				if err := readReach(n.Entity, b.Below, deeper[j], props, reached[k].Below); err != nil {
					return err
				}
			}
		}
		reached[k].Neighbours[e.ID] = graph.SortedNeighbours(ns, endType(b.Path), graph.Order{})
	}
	return nil
}

// listProps are the properties a branch's neighbours are read with: props,
// and what their default order compares. Their lists are sorted here, not
// by the database: an ORDER BY in each of a nested read's subqueries, one
// per node above, cost Neo4j about a tenth of a nested read's time.
func listProps(props graph.Props, b graph.Branch) graph.Props {
	if props == 0 {
		return 0 // every property
	}
	return props | endType(b.Path).DefaultOrderProps()
}

// unwrap splits a branch's answers into the nodes found, the
// relationships followed and the answers below each (see branches); a
// branch that is not wrapped answers the nodes alone.
func unwrap(b graph.Branch, items []any) (found, rels []any, deeper [][]any, err error) {
	if !wrapped(b) {
		return items, nil, nil, nil
	}
	found, rels, deeper = make([]any, len(items)), make([]any, len(items)), make([][]any, len(items))
	for j, item := range items {
		wrapper, err := tuple(item, "neighbour answer", 3)
		if err != nil {
			return nil, nil, nil, err
		}
		found[j], rels[j] = wrapper[0], wrapper[1]
		if len(b.Below) == 0 {
			continue
		}
		if deeper[j], err = list(wrapper[2], "answers below"); err != nil {
			return nil, nil, nil, err
		}
	}
	return found, rels, deeper, nil
}

// count returns an expression that counts a Count branch's neighbours of
// the node bound to start, whose type is known unless "": along one
// unfiltered step, the count the node stores (see degreeProp).
func (c *compiler) count(start string, known graph.EntityType, br graph.Branch) (string, error) {
	body, end, err := c.path(start, br.Path, "") // also checks the path's types
	if err != nil {
		return "", err
	}
	if br.Path.Single() && br.Where == nil {
		return "coalesce(" + start + "[" + c.param(degreeProp(br.Path[0])) + "], 0)", nil
	}
	filter, err := c.where(end, br.Where)
	if err != nil {
		return "", err
	}
	check, err := startCheck(start, known, br.From)
	if err != nil {
		return "", err
	}
	return "COUNT { " + check + body + filter + distinctEnd(br.Path, end) + " RETURN " + end + " }", nil
}

// distinctEnd returns the clause that keeps each node a path reached from
// one start once, bound to end. A plain step needs none: Replace merges
// relations by type and ends, so one step reaches a node once. A
// DISTINCT runs in every subquery, once per node above: dropping it took
// 2-5% off a lookup and a nested read on Neo4j.
func distinctEnd(p graph.Path, end string) string {
	if p.Single() {
		return ""
	}
	return " WITH DISTINCT " + end
}

// startCheck returns the MATCH that keeps a branch from type from to the
// nodes bound to start of that type, or nothing where start's type is
// known to be it: testing a label costs the database a read per node.
func startCheck(start string, known, from graph.EntityType) (string, error) {
	label, err := labelOf(from)
	if err != nil || known == from {
		return "", err
	}
	return "MATCH (" + start + label + ") ", nil
}

// wrapped reports whether a branch's answers carry more than the nodes
// reached: the relationships followed, or the answers of branches below.
func wrapped(b graph.Branch) bool {
	return b.Relations && b.Path.Single() || len(b.Below) > 0
}

// expandCypher returns Expand's statement: one row (see oneRow) whose
// "answers" hold, for each id, [i, n, below]: its index i, the node (null
// if none) and a list with what each branch found from it (see
// branches), every node projected to props.
func expandCypher(ids []string, branches []graph.Branch, props graph.Props) (string, map[string]any, error) {
	if err := graph.ValidateBranches(branches); err != nil {
		return "", nil, err
	}
	params := map[string]any{"ids": ids}
	below, err := newCompiler(params).branches("n", "", branches, props)
	if err != nil {
		return "", nil, err
	}
	return "UNWIND range(0, size($ids) - 1) AS i OPTIONAL MATCH (n:" + entityLabel + " {id: $ids[i]}) " +
		"WITH i, n, " + below + " AS below " +
		"RETURN collect([i, CASE WHEN n IS NULL THEN null ELSE " + projection("n", props, "") + " END, below]) AS answers", params, nil
}

// branches returns a list expression of what each branch finds from the
// node bound to start, whose type is known unless "", aligned with
// branches. Each is a subquery expression: COLLECT and COUNT cost the
// database less than a CALL per branch with its own aggregation.
// A branch's answer is a list, in no order (see listProps), one entry
// per neighbour found: the node projected to listProps, or if the branch
// is wrapped, a list of three: that node, the relationship followed if
// the branch asks for relations, and the answers of the branch's own
// branches from the node if it has any (null where not asked). A Count
// branch answers a number. A branch from another type than start's
// answers an empty list, or any number.
func (c *compiler) branches(start string, known graph.EntityType, branches []graph.Branch, props graph.Props) (string, error) {
	answers := make([]string, len(branches))
	for i, br := range branches {
		if br.Count {
			answer, err := c.count(start, known, br)
			if err != nil {
				return "", err
			}
			answers[i] = answer
			continue
		}
		relVar := ""
		if br.Relations && br.Path.Single() {
			relVar = c.newVar()
		}
		body, end, err := c.path(start, br.Path, relVar)
		if err != nil {
			return "", err
		}
		filter, err := c.where(end, br.Where)
		if err != nil {
			return "", err
		}
		check, err := startCheck(start, known, br.From)
		if err != nil {
			return "", err
		}
		item := projection(end, listProps(props, br), endType(br.Path))
		if wrapped(br) {
			relItem, deeperItem := "null", "null"
			if relVar != "" {
				relItem = relVar
			}
			if len(br.Below) > 0 {
				if deeperItem, err = c.branches(end, endType(br.Path), br.Below, props); err != nil {
					return "", err
				}
			}
			item = "[" + item + ", " + relItem + ", " + deeperItem + "]"
		}
		answers[i] = "COLLECT { " + check + body + filter + distinctEnd(br.Path, end) + " RETURN " + item + " }"
	}
	return "[" + strings.Join(answers, ", ") + "]", nil
}
