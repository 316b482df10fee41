// Package selections collects the fields an object's selection set asks
// for once per operation rather than once per object.
//
// gqlgen's generated code collects an object's fields for every object it
// marshals. gqlgen keeps the result per operation, but finds it again
// under a key it hashes for each object, allocating as it hashes: for a
// nested answer of a hundred objects, a twentieth of the request's CPU.
// The selection set and the list of types an object satisfies are the
// same for every element of a list, so their addresses make the key.
// graph/gql/generate makes the generated code call Collect.
package selections

import (
	"context"
	"sync"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// key names a selection set and the types an object satisfies by where
// they lie. A key keeps what it points to alive, so no other selection
// set or list of types can come to lie there while the memo lasts.
type key struct {
	sel       *ast.Selection
	length    int
	satisfies *string
}

// memo holds the fields collected in one operation. Root fields resolve
// side by side, so it takes a lock.
type memo struct {
	mu     sync.Mutex
	fields map[key][]graphql.CollectedField
}

type memoKey struct{}

// WithMemo returns ctx with an empty memo of collected fields, for one
// operation.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{fields: map[key][]graphql.CollectedField{}})
}

// Collect returns graphql.CollectFields(op, sel, satisfies), worked out
// once per operation where ctx has a memo. The slice is shared by every
// object of the selection: the generated code only reads it.
func Collect(ctx context.Context, op *graphql.OperationContext, sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	m, _ := ctx.Value(memoKey{}).(*memo)
	if m == nil {
		return graphql.CollectFields(op, sel, satisfies)
	}
	k := key{unsafe.SliceData(sel), len(sel), unsafe.SliceData(satisfies)}
	m.mu.Lock()
	defer m.mu.Unlock()
	fields, ok := m.fields[k]
	if !ok {
		fields = graphql.CollectFields(op, sel, satisfies)
		m.fields[k] = fields
	}
	return fields
}
