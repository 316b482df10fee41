package gql

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one request may ask, so that no client can make the
// service work for long or answer with the whole graph. Every limit is
// checked on the parsed query before anything is read; zero means no limit.
type Limits struct {
	Depth      int // nesting of selections
	Aliases    int // fields renamed with an alias
	RootFields int // fields at the top of the operation
	Directives int // directives in the operation
	// Complexity bounds the estimated work: each field costs one, and a
	// connection multiplies what is below it by its page size (first or last).
	Complexity int
	// ResultNodes bounds the entities one response may hold.
	ResultNodes int
	// Errors bounds the errors one response lists; the rest are counted.
	Errors int
}

// DefaultLimits are generous for people and dashboards, and still refuse
// queries built to exhaust the service.
var DefaultLimits = Limits{
	Depth:       15,
	Aliases:     30,
	RootFields:  20,
	Directives:  50,
	Complexity:  100_000,
	ResultNodes: 20_000,
	Errors:      20,
}

// CodeLimitExceeded marks a request refused for asking too much.
const CodeLimitExceeded = "LIMIT_EXCEEDED"

// limitsExtension checks Limits on every operation before it runs.
type limitsExtension struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = limitsExtension{}

func (limitsExtension) ExtensionName() string                          { return "Limits" }
func (limitsExtension) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l limitsExtension) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	m := measure(op)
	for _, check := range []struct {
		what       string
		got, limit int
	}{
		{"depth", m.depth, l.limits.Depth},
		{"aliases", m.aliases, l.limits.Aliases},
		{"root fields", m.rootFields, l.limits.RootFields},
		{"directives", m.directives, l.limits.Directives},
		{"complexity", m.cost, l.limits.Complexity},
	} {
		if check.limit > 0 && check.got > check.limit {
			return &gqlerror.Error{
				Message:    fmt.Sprintf("the query's %s is %d, over the limit of %d", check.what, check.got, check.limit),
				Extensions: map[string]any{"code": CodeLimitExceeded},
			}
		}
	}
	return nil
}

// measures are what Limits bound, for one operation.
type measures struct {
	depth, aliases, rootFields, directives, cost int
}

// defaultPageSize is what a connection without `first` counts for.
const defaultPageSize = maxPageSize

// measure walks the operation once. Fragments are measured once each and
// reused, so a query that spreads fragments into fragments cannot make the
// walk itself expensive.
func measure(op *graphql.OperationContext) measures {
	w := walker{vars: op.Variables, fragments: map[string]measures{}}
	m := w.selections(op.Operation.SelectionSet)
	m.rootFields = len(graphql.CollectFields(op, op.Operation.SelectionSet, nil))
	m.directives += len(op.Operation.Directives)
	return m
}

type walker struct {
	vars      map[string]any
	fragments map[string]measures
}

// selections measures a selection set: depth counts from its fields.
func (w walker) selections(set ast.SelectionSet) measures {
	var total measures
	for _, sel := range set {
		var m measures
		switch sel := sel.(type) {
		case *ast.Field:
			m = w.field(sel)
		case *ast.InlineFragment:
			m = w.selections(sel.SelectionSet)
			m.directives += len(sel.Directives)
		case *ast.FragmentSpread:
			m = w.fragment(sel)
			m.directives += len(sel.Directives)
		}
		total.depth = max(total.depth, m.depth)
		total.aliases += m.aliases
		total.directives += m.directives
		total.cost = saturatingAdd(total.cost, m.cost)
	}
	return total
}

func (w walker) fragment(spread *ast.FragmentSpread) measures {
	if m, ok := w.fragments[spread.Name]; ok {
		return m
	}
	w.fragments[spread.Name] = measures{} // a cycle (refused by validation anyway) counts as nothing
	var m measures
	if spread.Definition != nil {
		m = w.selections(spread.Definition.SelectionSet)
		m.directives += len(spread.Definition.Directives)
	}
	w.fragments[spread.Name] = m
	return m
}

func (w walker) field(f *ast.Field) measures {
	below := w.selections(f.SelectionSet)
	m := measures{depth: below.depth + 1, aliases: below.aliases, directives: below.directives + len(f.Directives)}
	if f.Alias != "" && f.Alias != f.Name {
		m.aliases++
	}
	m.cost = saturatingAdd(1, saturatingMul(w.pageSize(f), below.cost))
	return m
}

// pageSize is how many times a field's selection may be answered: its
// `first` or `last` on a connection, one otherwise. Lists without pages are
// bounded by Limits.ResultNodes instead.
func (w walker) pageSize(f *ast.Field) int {
	if f.Definition == nil || !strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
		return 1
	}
	args := f.ArgumentMap(w.vars)
	for _, name := range []string{"first", "last"} {
		switch n := args[name].(type) {
		case int64:
			return max(int(n), 1)
		case int:
			return max(n, 1)
		}
	}
	return defaultPageSize
}

func saturatingAdd(a, b int) int {
	if a > maxCost-b {
		return maxCost
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if a != 0 && b > maxCost/a {
		return maxCost
	}
	return a * b
}

const maxCost = 1 << 40
