// Package fieldargs coerces the arguments of a field once per operation
// rather than once per object the field is asked of.
//
// gqlgen's generated code works out a field's arguments (from the query's
// literals and the request's variables) in every object's field context:
// for a field with a where and an orderBy argument inside a list, that is
// a map of raw values, a map of coerced ones and the coercion of each, for
// every element. They depend on the field and the variables alone, both
// fixed for the operation. graph/gql/generate makes the generated code
// call Of.
package fieldargs

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// memo holds the coerced arguments of the fields of one operation. Root
// fields resolve side by side, so it takes a lock.
type memo struct {
	mu   sync.Mutex
	args map[*ast.Field]map[string]any
}

type memoKey struct{}

// WithMemo returns ctx with an empty memo of arguments, for one operation.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{args: map[*ast.Field]map[string]any{}})
}

// Of returns the arguments of the field whose context fc is, as coerce
// works them out from the field's raw arguments, once per operation where
// ctx has a memo, and the context the field's errors are reported in. The
// map is shared by every object the field is asked of: resolvers only read
// their arguments. An error is not kept: it names the path of the object
// it was met at, and each object reports its own.
//
// coerce runs in ctx with fc as its field context, which Of returns too.
// Arguments found in the memo cannot fail, and Of returns ctx as it is:
// the generated code made the field's context value for every object it
// asked a field's arguments of, a context value per object for nothing.
func Of(ctx context.Context, fc *graphql.FieldContext, variables map[string]any,
	coerce func(context.Context, map[string]any) (map[string]any, error)) (map[string]any, context.Context, error) {
	m, _ := ctx.Value(memoKey{}).(*memo)
	if m != nil {
		m.mu.Lock()
		args, ok := m.args[fc.Field.Field]
		m.mu.Unlock()
		if ok {
			return args, ctx, nil
		}
	}
	fieldCtx := graphql.WithFieldContext(ctx, fc)
	args, err := coerce(fieldCtx, fc.Field.ArgumentMap(variables))
	if err != nil {
		return nil, fieldCtx, err
	}
	if m != nil {
		m.mu.Lock()
		m.args[fc.Field.Field] = args
		m.mu.Unlock()
	}
	return args, fieldCtx, nil
}
