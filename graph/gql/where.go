package gql

import (
	"fmt"
	"slices"

	"github.com/civicgraph/civicgraph/graph"
)

// scalarFields maps the scalar filter fields of every Where input to the
// entity property they compare. Role and Talk call their name a title.
var scalarFields = map[string]graph.Field{
	"id":    graph.FieldID,
	"kind":  graph.FieldKind,
	"name":  graph.FieldName,
	"title": graph.FieldName,
	"names": graph.FieldNames,
}

// whereCond turns a `where` argument on entities of type typ into a domain
// condition. The schema has already checked its shape; the fields are
// combined with AND.
func whereCond(typ graph.EntityType, where map[string]any) (graph.Cond, error) {
	if where == nil {
		return nil, nil
	}
	keys := make([]string, 0, len(where))
	for k, v := range where {
		if v != nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	and := graph.And{}
	for _, key := range keys {
		value := where[key]
		switch key {
		case "AND", "OR":
			list, err := whereList(typ, value)
			if err != nil {
				return nil, err
			}
			if key == "AND" {
				and = append(and, graph.And(list))
			} else {
				and = append(and, graph.Or(list))
			}
		case "NOT":
			sub, err := whereCond(typ, asMap(value))
			if err != nil {
				return nil, err
			}
			and = append(and, graph.Not{Cond: sub})
		default:
			var conds []graph.Cond
			var err error
			if field, ok := scalarFields[key]; ok {
				conds, err = matchConds(field, asMap(value))
			} else {
				conds, err = relatedConds(typ, key, asMap(value))
			}
			if err != nil {
				return nil, err
			}
			and = append(and, conds...)
		}
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

func whereList(typ graph.EntityType, value any) ([]graph.Cond, error) {
	var items []any
	switch v := value.(type) {
	case []any:
		items = v
	case []map[string]any:
		for _, m := range v {
			items = append(items, m)
		}
	}
	list := make([]graph.Cond, 0, len(items))
	for _, item := range items {
		c, err := whereCond(typ, asMap(item))
		if err != nil {
			return nil, err
		}
		list = append(list, c)
	}
	return list, nil
}

// matchConds turns a StringFilter, IDFilter or kind filter into matches.
func matchConds(field graph.Field, filter map[string]any) ([]graph.Cond, error) {
	var conds []graph.Cond
	for _, op := range []graph.Op{graph.OpEq, graph.OpIn, graph.OpContains, graph.OpStartsWith, graph.OpEndsWith} {
		value, ok := filter[string(op)]
		if !ok || value == nil {
			continue
		}
		values, err := stringValues(value)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", field, op, err)
		}
		conds = append(conds, graph.Match{Field: field, Op: op, Values: values})
	}
	return conds, nil
}

// relatedConds turns a relationship filter ({some, all, none, single}).
func relatedConds(typ graph.EntityType, field string, filter map[string]any) ([]graph.Cond, error) {
	rel, ok := relationships[string(typ)+"."+field]
	if !ok {
		return nil, graph.Errorf(graph.EINVALID, "%s has no filter field %q", typ, field)
	}
	var conds []graph.Cond
	for _, q := range []graph.Quantifier{graph.Some, graph.All, graph.None, graph.Single} {
		value, ok := filter[string(q)]
		if !ok || value == nil {
			continue
		}
		sub, err := whereCond(rel.target, asMap(value))
		if err != nil {
			return nil, err
		}
		conds = append(conds, graph.Related{Path: rel.path, Quant: q, Where: sub})
	}
	return conds, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

// stringValues returns a filter value as a list of strings: one for eq and the
// like, several for in.
func stringValues(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case *string:
		return []string{*v}, nil
	case []any:
		out := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, graph.Errorf(graph.EINVALID, "want strings, got %T", item)
			}
			out[i] = s
		}
		return out, nil
	case []string:
		return v, nil
	}
	return nil, graph.Errorf(graph.EINVALID, "want a string or a list of strings, got %T", v)
}
