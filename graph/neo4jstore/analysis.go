package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// Count implements graph.Store with Find's count statement alone.
func (s *Store) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	_, count, params, err := findCypher(graph.Query{Type: typ, Where: where})
	if err != nil {
		return 0, err
	}
	n, err := read(ctx, s, count, params, func(res neo4j.ResultWithContext) (int, error) {
		record, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		total, _, err := neo4j.GetRecordValue[int64](record, "total")
		return int(total), err
	})
	return n, s.fail(ctx, "count", err)
}

// groupCountCypher returns GroupCount's statement: one row (see oneRow)
// whose "groups" hold, for each group, the node or kind grouped by and the
// number of entities counted in it.
func groupCountCypher(q graph.GroupQuery) (string, map[string]any, error) {
	if err := q.Validate(); err != nil {
		return "", nil, err
	}
	params := map[string]any{}
	c := newCompiler(params)
	where, err := c.where("n", q.Where)
	if err != nil {
		return "", nil, err
	}
	match := "MATCH (n:" + string(q.Type) + ")" + where
	if q.By == nil {
		return match + " WITH n.kind AS g WHERE g <> ''" + countGroups, params, nil
	}
	body, end, err := c.path("n", q.By, "")
	if err != nil {
		return "", nil, err
	}
	// The subquery gives each entity's groups once each, so that count(*)
	// counts an entity once per group however many ways it reaches it.
	groups := " WITH DISTINCT " + end + " AS g RETURN g"
	if q.ByKind {
		groups = " WITH DISTINCT " + end + ".kind AS g WHERE g <> '' RETURN g"
	}
	return match + " CALL (n) { " + body + groups + " }" + countGroups, params, nil
}

// countGroups ends groupCountCypher's statements: each group g with the
// number of its rows.
const countGroups = " WITH g, count(*) AS total RETURN collect([g, total]) AS groups"

// GroupCount implements graph.Store in one statement.
func (s *Store) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	cypher, params, err := groupCountCypher(q)
	if err != nil {
		return nil, err
	}
	byEntity := q.By != nil && !q.ByKind
	groups, err := read(ctx, s, cypher, params, func(res neo4j.ResultWithContext) ([]graph.Group, error) {
		_, answers, err := oneRow(ctx, res, "groups")
		if err != nil {
			return nil, err
		}
		groups := make([]graph.Group, len(answers))
		for i, answer := range answers {
			values, err := tuple(answer, "group", 2)
			if err != nil {
				return nil, err
			}
			total, ok := values[1].(int64)
			if !ok {
				return nil, fmt.Errorf("group count is a %T, not an integer", values[1])
			}
			g := graph.Group{Count: int(total)}
			if byEntity {
				node, ok := values[0].(neo4j.Node)
				if !ok {
					return nil, fmt.Errorf("group is a %T, not a node", values[0])
				}
				if g.Entity, err = entityOf(node); err != nil {
					return nil, err
				}
				g.Key = g.Entity.ID
			} else if g.Key, ok = values[0].(string); !ok {
				return nil, fmt.Errorf("group is a %T, not a kind", values[0])
			}
			groups[i] = g
		}
		return groups, nil
	})
	if err != nil {
		return nil, s.fail(ctx, "group count", err)
	}
	graph.SortGroups(groups)
	return groups, nil
}

// shortestPatterns are the patterns of the routes Paths seeks, by their
// most relations followed either way. The bound of a variable-length
// pattern cannot be a parameter, so the statement takes one of these, made
// from our own numbers, never from a request's.
var shortestPatterns = func() map[int]string {
	patterns := map[int]string{}
	for n := 1; n <= graph.MaxPathLength; n++ {
		patterns[n] = "(a)-[*1.." + strconv.Itoa(n) + "]-(b)"
	}
	return patterns
}()

// shortestPattern returns the pattern of routes of up to maxLength
// relations.
func shortestPattern(maxLength int) (string, error) {
	if pattern, ok := shortestPatterns[maxLength]; ok {
		return pattern, nil
	}
	return "", graph.Between("maxLength", maxLength, 1, graph.MaxPathLength)
}

// pathsCypher returns Paths' statement: whether each end exists, and the
// first $limit shortest routes between them in route order, hop by hop by
// the next entity's id, the relation's type and the id it starts from, as
// the memstore walks them.
func pathsCypher(q graph.PathQuery) (string, map[string]any, error) {
	if err := q.Validate(); err != nil {
		return "", nil, err
	}
	pattern, err := shortestPattern(q.MaxLength)
	if err != nil {
		return "", nil, err
	}
	via := q.Via
	if len(via) == 0 {
		// All types rather than no condition: one statement, whose
		// condition the search checks as it goes.
		via = graph.RelTypes()
	}
	types := make([]string, len(via))
	for i, t := range via {
		types[i] = string(t)
	}
	params := map[string]any{"from": q.From, "to": q.To, "via": types, "limit": int64(q.Limit)}
	return "OPTIONAL MATCH (a:" + entityLabel + " {id: $from}) OPTIONAL MATCH (b:" + entityLabel + " {id: $to}) " +
		"CALL (a, b) { WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL " +
		"MATCH p = allShortestPaths(" + pattern + ") WHERE all(r IN relationships(p) WHERE type(r) IN $via) " +
		"WITH p ORDER BY [i IN range(0, length(p) - 1) | [nodes(p)[i + 1].id, type(relationships(p)[i]), startNode(relationships(p)[i]).id]] " +
		"LIMIT $limit RETURN collect(p) AS paths } " +
		"RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound, paths", params, nil
}

// Paths implements graph.Store in one statement. A route from an entity to
// itself has no relation: it is looked up as such, since Neo4j's shortest
// path search refuses equal ends.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	cypher, params, err := pathsCypher(q)
	if err != nil {
		return nil, err
	}
	if q.From == q.To {
		found, err := s.Entities(ctx, []string{q.From})
		if err != nil {
			return nil, err
		}
		if found[0] == nil {
			return nil, graph.Errorf(graph.ENOTFOUND, "no entity has id %q", q.From)
		}
		return []graph.Route{{Entities: found}}, nil
	}
	routes, err := read(ctx, s, cypher, params, func(res neo4j.ResultWithContext) ([]graph.Route, error) {
		record, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		for _, end := range []struct{ key, id string }{{"fromFound", q.From}, {"toFound", q.To}} {
			found, _, err := neo4j.GetRecordValue[bool](record, end.key)
			if err != nil {
				return nil, err
			}
			if !found {
				return nil, graph.Errorf(graph.ENOTFOUND, "no entity has id %q", end.id)
			}
		}
		paths, _, err := neo4j.GetRecordValue[[]any](record, "paths")
		if err != nil {
			return nil, err
		}
		routes := make([]graph.Route, len(paths))
		for i, v := range paths {
			p, ok := v.(neo4j.Path)
			if !ok {
				return nil, fmt.Errorf("route is a %T, not a path", v)
			}
			if routes[i], err = routeOf(p); err != nil {
				return nil, err
			}
		}
		return routes, nil
	})
	return routes, s.fail(ctx, "paths", err)
}

// routeOf maps a path, whose relationships may point either way.
func routeOf(p neo4j.Path) (graph.Route, error) {
	var route graph.Route
	ids := map[string]string{} // element id to entity id
	for _, node := range p.Nodes {
		e, err := entityOf(node)
		if err != nil {
			return route, err
		}
		route.Entities = append(route.Entities, e)
		ids[node.ElementId] = e.ID
	}
	for _, rel := range p.Relationships {
		r, err := relationBetween(rel, ids[rel.StartElementId], ids[rel.EndElementId])
		if err != nil {
			return route, err
		}
		route.Relations = append(route.Relations, r)
	}
	return route, nil
}

// relationBetween maps a relationship whose ends have the given entity ids,
// checking its type is one of ours.
func relationBetween(rel neo4j.Relationship, from, to string) (*graph.Relation, error) {
	typ := graph.RelType(rel.Type)
	if !slices.Contains(graph.RelTypes(), typ) || from == "" || to == "" {
		return nil, fmt.Errorf("relationship %s of type %q between %q and %q is not a relation of the graph", rel.ElementId, rel.Type, from, to)
	}
	return relationOf(rel, typ, from, to)
}

// neighbourhoodPattern returns the pattern Neighbourhood searches: from
// the centre c, up to depth relations either way, through entities whose
// labels are in $types, to n. As with shortestPattern, each allowed depth
// is a constant.
func neighbourhoodPattern(depth int) (string, error) {
	const hop = "(()-[]-(x) WHERE any(l IN labels(x) WHERE l IN $types))"
	switch depth {
	case 1:
		return "(c) " + hop + "{1,1} (n)", nil
	case 2:
		return "(c) " + hop + "{1,2} (n)", nil
	case 3:
		return "(c) " + hop + "{1,3} (n)", nil
	}
	return "", graph.Between("depth", depth, 1, graph.MaxNeighbourhoodDepth)
}

// neighbourhoodCypher returns Neighbourhood's statement: no row when the
// centre does not exist, else one row with the entities kept, nearest
// first and each distance in default order, whether more were in reach,
// and the relations among those kept as [from id, relationship, to id].
func neighbourhoodCypher(q graph.NeighbourhoodQuery) (string, map[string]any, error) {
	if err := q.Validate(); err != nil {
		return "", nil, err
	}
	pattern, err := neighbourhoodPattern(q.Depth)
	if err != nil {
		return "", nil, err
	}
	types := q.Types
	if len(types) == 0 {
		types = graph.EntityTypes()
	}
	labels := make([]string, len(types))
	for i, t := range types {
		labels[i] = string(t)
	}
	// One more than kept tells whether the neighbourhood was truncated.
	params := map[string]any{"id": q.ID, "types": labels, "keep": int64(q.Limit - 1), "limit": int64(q.Limit)}
	return "MATCH (c:" + entityLabel + " {id: $id}) " +
		"CALL (c) { MATCH p = ANY SHORTEST " + pattern + " WHERE n <> c " +
		"WITH n, length(p) AS d ORDER BY d, n." + propPosition + " LIMIT $limit RETURN collect(n) AS found } " +
		"WITH [c] + found[..$keep] AS kept, size(found) > $keep AS truncated " +
		"CALL (kept) { UNWIND kept AS x MATCH (x)-[r]->(y) WHERE y IN kept RETURN collect([x.id, r, y.id]) AS rels } " +
		"RETURN kept, truncated, rels", params, nil
}

// Neighbourhood implements graph.Store in one statement.
func (s *Store) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	cypher, params, err := neighbourhoodCypher(q)
	if err != nil {
		return graph.Subgraph{}, err
	}
	sub, err := read(ctx, s, cypher, params, func(res neo4j.ResultWithContext) (graph.Subgraph, error) {
		var sub graph.Subgraph
		records, err := res.Collect(ctx)
		if err != nil {
			return sub, err
		}
		if len(records) == 0 {
			return sub, graph.Errorf(graph.ENOTFOUND, "no entity has id %q", q.ID)
		}
		record := records[0]
		kept, _, err := neo4j.GetRecordValue[[]any](record, "kept")
		if err != nil {
			return sub, err
		}
		for _, v := range kept {
			node, ok := v.(neo4j.Node)
			if !ok {
				return sub, fmt.Errorf("neighbour is a %T, not a node", v)
			}
			e, err := entityOf(node)
			if err != nil {
				return sub, err
			}
			sub.Entities = append(sub.Entities, e)
		}
		if sub.Truncated, _, err = neo4j.GetRecordValue[bool](record, "truncated"); err != nil {
			return sub, err
		}
		rels, _, err := neo4j.GetRecordValue[[]any](record, "rels")
		if err != nil {
			return sub, err
		}
		sub.Relations = make([]*graph.Relation, len(rels))
		for i, v := range rels {
			triple, err := tuple(v, "relation row [from, relationship, to]", 3)
			if err != nil {
				return sub, err
			}
			from, okFrom := triple[0].(string)
			rel, okRel := triple[1].(neo4j.Relationship)
			to, okTo := triple[2].(string)
			if !okFrom || !okRel || !okTo {
				return sub, fmt.Errorf("relation row holds %T, %T, %T", triple...)
			}
			if sub.Relations[i], err = relationBetween(rel, from, to); err != nil {
				return sub, err
			}
		}
		return sub, nil
	})
	if err != nil {
		return graph.Subgraph{}, s.fail(ctx, "neighbourhood", err)
	}
	graph.SortRelations(sub.Relations)
	return sub, nil
}
