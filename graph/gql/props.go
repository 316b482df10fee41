package gql

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph"
)

// propsOfField maps each scalar field of the entity types to the
// properties it shows; id and __typename show none a read has to ask for.
var propsOfField = map[string]graph.Props{
	"id":          0,
	"__typename":  0,
	"name":        graph.PropName,
	"title":       graph.PropName,
	"aliases":     graph.PropAliases,
	"kind":        graph.PropKind,
	"description": graph.PropDescription,
	"date":        graph.PropDate,
	"order":       graph.PropOrder,
	"language":    graph.PropLanguage,
	"url":         graph.PropURL,
	"text":        graph.PropText,
	"evidence":    graph.PropEvidence,
}

// sortProps are the properties orders and cursors compare (see
// graph.SortValue).
const sortProps = graph.PropName | graph.PropKind | graph.PropOrder | graph.PropDate

// operationProps returns the properties of entities that op shows
// anywhere, with sortProps where it orders or pages a list (a connection
// asked only its totalCount reads a count): every read of
// the operation asks the store for these alone, and every entity it reads
// has them all. A field of an entity type it does not know makes it ask
// for everything (zero).
func operationProps(op *graphql.OperationContext) graph.Props {
	w := propsWalker{seen: map[string]bool{}}
	w.selections(op.Operation.SelectionSet)
	if w.unknown {
		return 0
	}
	if w.props == 0 {
		return graph.PropName // ids alone; zero would ask for everything
	}
	return w.props
}

type propsWalker struct {
	props   graph.Props
	unknown bool
	seen    map[string]bool // fragments walked
}

func (w *propsWalker) selections(set ast.SelectionSet) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			w.field(sel)
		case *ast.InlineFragment:
			w.selections(sel.SelectionSet)
		case *ast.FragmentSpread:
			if !w.seen[sel.Name] && sel.Definition != nil {
				w.seen[sel.Name] = true
				w.selections(sel.Definition.SelectionSet)
			}
		}
	}
}

func (w *propsWalker) field(f *ast.Field) {
	if f.Definition != nil && (f.Arguments.ForName("orderBy") != nil ||
		strings.HasSuffix(f.Definition.Type.Name(), "Connection") && pagesList(f.SelectionSet)) {
		w.props |= sortProps
	}
	if f.ObjectDefinition != nil && isEntityType(f.ObjectDefinition.Name) {
		if p, ok := propsOfField[f.Name]; ok {
			w.props |= p
		} else if _, ok := relationships[f.ObjectDefinition.Name+"."+strings.TrimSuffix(f.Name, "Connection")]; !ok {
			w.unknown = true
		}
	}
	w.selections(f.SelectionSet)
}

// pagesList reports whether a connection's selection asks for its edges or
// its page info, whatever directives say: see countOnly.
func pagesList(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name == "edges" || sel.Name == "pageInfo" {
				return true
			}
		case *ast.InlineFragment:
			if pagesList(sel.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if sel.Definition != nil && pagesList(sel.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

// isEntityType reports whether a GraphQL type name is that of an entity:
// an entity type or the Node interface they implement.
func isEntityType(name string) bool {
	return name == "Node" || graph.EntityType(name).Valid()
}

// props returns the properties the operation's reads ask for, worked out
// once per operation.
func (l *loader) props(ctx context.Context) graph.Props {
	l.propsOnce.Do(func() { l.opProps = operationProps(graphql.GetOperationContext(ctx)) })
	return l.opProps
}
