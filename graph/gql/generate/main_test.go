package main

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// rewriteBody applies rewrite to the body of the one function in src and
// returns whether it changed it, and the function as gofmt prints it.
func rewriteBody(t *testing.T, src string, rewrite func(*ast.BlockStmt) bool) (bool, string) {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "x.go", "package x\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	fn := file.Decls[0].(*ast.FuncDecl)
	changed := rewrite(fn.Body)
	var out bytes.Buffer
	if err := format.Node(&out, fset, fn); err != nil {
		t.Fatal(err)
	}
	return changed, out.String()
}

const plainField = `func (ec *executionContext) _Person_name(ctx context.Context, field graphql.CollectedField, obj *model.Person) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_Person_name(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return obj.Name, nil
		},
		MIDDLEWARE,
		func(ctx context.Context, selections ast.SelectionSet, v TYPE) graphql.Marshaler {
			return ec.marshalNString2string(ctx, selections, v)
		},
		true, true)
}`

func TestMarshalPlainField(t *testing.T) {
	const (
		direct   = "return ec.marshalNString2string(ctx, field.Selections, obj.Name)"
		stringAt = "return inorder.StringAt(&obj.Name)"
	)
	tests := []struct {
		name, middleware, typ string
		want                  plainForm
		body                  string
	}{
		{"string", "nil", "string", plainString, stringAt},
		{"nullable string", "nil", "*string", plainValue, direct},
		{"list of strings", "nil", "[]string", plainValue, direct},
		{"int", "nil", "int", plainValue, direct},
		{"with directives", "func(ctx context.Context, next graphql.Resolver) graphql.Resolver { return next }", "string", notPlain, "ResolveField"},
		{"object", "nil", "*model.Person", notPlain, "ResolveField"},
		{"enum", "nil", "graph.RelType", notPlain, "ResolveField"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.NewReplacer("MIDDLEWARE", tt.middleware, "TYPE", tt.typ).Replace(plainField)
			var form plainForm
			_, out := rewriteBody(t, src, func(body *ast.BlockStmt) bool {
				form = marshalPlainField(body)
				return form != notPlain
			})
			if form != tt.want || !strings.Contains(out, tt.body) {
				t.Errorf("rewritten as %d, want %d with %q:\n%s", form, tt.want, tt.body, out)
			}
		})
	}
}

func TestMarshalPlainFieldID(t *testing.T) {
	src := strings.NewReplacer("MIDDLEWARE", "nil", "TYPE", "string", "obj.Name", "obj.ID",
		"marshalNString2string", "marshalNID2string").Replace(plainField)
	_, out := rewriteBody(t, src, func(body *ast.BlockStmt) bool { return marshalPlainField(body) != notPlain })
	if !strings.Contains(out, "return inorder.StringAt(&obj.ID)") {
		t.Errorf("rewritten body:\n%s", out)
	}
}

func TestMarshalPlainFieldLeavesResolvers(t *testing.T) {
	src := strings.NewReplacer("MIDDLEWARE", "nil", "TYPE", "string", "return obj.Name, nil",
		"return ec.Resolvers.Person().Name(ctx, obj)").Replace(plainField)
	if changed, out := rewriteBody(t, src, func(body *ast.BlockStmt) bool { return marshalPlainField(body) != notPlain }); changed {
		t.Errorf("a resolver's field was rewritten:\n%s", out)
	}
}

func TestResolveDirectly(t *testing.T) {
	const resolved = `func (ec *executionContext) _Person_name(ctx context.Context, field graphql.CollectedField, obj *model.Person) (ret graphql.Marshaler) {
	return inorder.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_Person_name(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return ec.Resolvers.Person().Name(ctx, obj)
		},
		func(ctx context.Context, selections ast.SelectionSet, v string) graphql.Marshaler {
			return ec.marshalNString2string(ctx, selections, v)
		},
		true, true)
}`
	tests := []struct {
		name, middleware string
		want             int
	}{
		{"without directives", "nil", 1},
		{"with directives", "func(ctx context.Context, next graphql.Resolver) graphql.Resolver { return next }", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.NewReplacer("MIDDLEWARE", tt.middleware, "TYPE", "string", "return obj.Name, nil",
				"return ec.Resolvers.Person().Name(ctx, obj)").Replace(plainField)
			var n int
			_, out := rewriteBody(t, src, func(body *ast.BlockStmt) bool {
				n = resolveDirectly(body)
				return n > 0
			})
			want := resolved
			if tt.want == 0 {
				want = src
			}
			if n != tt.want || out != want {
				t.Errorf("rewrote %d calls, want %d:\n%s\nwant:\n%s", n, tt.want, out, want)
			}
		})
	}
}

const objectMarshaller = `func (ec *executionContext) _Talk(ctx context.Context, sel ast.SelectionSet, obj *model.Talk) graphql.Marshaler {
	fields := graphql.CollectFields(ec.OperationContext, sel, talkImplementors)
	out := graphql.NewFieldSet(fields)
	deferred := graphql.NewDeferredGroup(ctx)
	for i, field := range fields {
		switch field.Name {
		case "id":
			FIELD
		}
	}
	out.Dispatch(ctx)
	if n := len(deferred.Defers); n > 0 {
		atomic.AddInt32(&ec.Deferred, int32(min(n, math.MaxInt32)))
		ec.ProcessDeferredGroup(deferred)
	}
	return out
}`

func TestDropUnusedDeferGroup(t *testing.T) {
	tests := []struct {
		name, field string
		want        bool
	}{
		{"fields in order", `out.Values[i] = ec._Talk_id(ctx, field, obj)`, true},
		{"a field resolved concurrently", `out.ResolveConcurrently(ec.OperationContext, &deferred, i, true, true, nil)`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed, out := rewriteBody(t, strings.Replace(objectMarshaller, "FIELD", tt.field, 1), dropUnusedDeferGroup)
			if changed != tt.want {
				t.Fatalf("changed = %v, want %v:\n%s", changed, tt.want, out)
			}
			if strings.Contains(out, "NewDeferredGroup") == tt.want || strings.Contains(out, "ProcessDeferredGroup") == tt.want {
				t.Errorf("rewritten body:\n%s", out)
			}
			if !strings.Contains(out, "out.Dispatch(ctx)") || !strings.Contains(out, "return out") {
				t.Errorf("lost the statements around the group:\n%s", out)
			}
		})
	}
}

const fieldContext = `func (ec *executionContext) fieldContext_Talk_practices(ctx context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	fc = &graphql.FieldContext{Object: "Talk", Field: field}
	ctx = graphql.WithFieldContext(ctx, fc)
	if fc.Args, err = ARGS; err != nil {
		ec.Error(ctx, err)
		return fc, err
	}
	return fc, nil
}`

func TestArgsOnce(t *testing.T) {
	const once = `func (ec *executionContext) fieldContext_Talk_practices(ctx context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	fc = &graphql.FieldContext{Object: "Talk", Field: field}
	if fc.Args, ctx, err = fieldargs.Of(ctx, fc, ec.Variables, ec.field_Talk_practices_args); err != nil {
		ec.Error(ctx, err)
		return fc, err
	}
	return fc, nil
}`
	tests := []struct {
		name, src string
		want      bool
	}{
		{"a field context's arguments",
			strings.Replace(fieldContext, "ARGS", "ec.field_Talk_practices_args(ctx, field.ArgumentMap(ec.Variables))", 1), true},
		{"complexity's raw arguments",
			strings.Replace(fieldContext, "ARGS", "ec.field_Talk_practices_args(ctx, rawArgs)", 1), false},
		{"another method",
			strings.Replace(fieldContext, "ARGS", "ec.unmarshalOPracticeWhere2map(ctx, field.ArgumentMap(ec.Variables))", 1), false},
		{"no field context made before",
			strings.Replace(strings.Replace(fieldContext, "ARGS", "ec.field_Talk_practices_args(ctx, field.ArgumentMap(ec.Variables))", 1),
				"ctx = graphql.WithFieldContext(ctx, fc)", "ctx = withSomethingElse(ctx)", 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed, out := rewriteBody(t, tt.src, argsOnce)
			want := tt.src
			if tt.want {
				want = once
			}
			if changed != tt.want || out != want {
				t.Errorf("changed = %v, want %v:\n%s\nwant:\n%s", changed, tt.want, out, want)
			}
		})
	}
}

func TestCollectOnce(t *testing.T) {
	testCallRewrite(t, collectOnce, []callRewrite{
		{"an object's fields",
			`graphql.CollectFields(ec.OperationContext, sel, talkImplementors)`,
			`selections.Collect(ctx, ec.OperationContext, sel, talkImplementors)`},
		{"another function", `graphql.CollectFieldsCtx(ctx, talkImplementors)`, ""},
	})
}

// callRewrite is a call and what a rewrite makes of it: want, or the call
// left as it is when want is "".
type callRewrite struct{ name, call, want string }

func testCallRewrite(t *testing.T, rewrite func(*ast.CallExpr) bool, cases []callRewrite) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			expr, err := parser.ParseExpr(tt.call)
			if err != nil {
				t.Fatal(err)
			}
			changed := rewrite(expr.(*ast.CallExpr))
			if changed != (tt.want != "") {
				t.Fatalf("changed = %v", changed)
			}
			if got := exprString(expr); changed && got != tt.want {
				t.Errorf("rewritten to %s, want %s", got, tt.want)
			}
			if got := exprString(expr); !changed && got != tt.call {
				t.Errorf("left as %s, want %s", got, tt.call)
			}
		})
	}
}

func TestObjectInOrder(t *testing.T) {
	tests := []struct {
		name, field string
		want        bool
	}{
		{"fields in order", `out.Values[i] = ec._Talk_id(ctx, field, obj)`, true},
		{"a field resolved concurrently", `out.ResolveConcurrently(ec.OperationContext, &deferred, i, true, true, nil)`, false},
		{"a deferred view", `view := out.NewView()`, false},
		{"the field set passed on", `keep(out)`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(objectMarshaller, "FIELD", tt.field, 1)
			changed, out := rewriteBody(t, src, func(body *ast.BlockStmt) bool {
				dropUnusedDeferGroup(body)
				return objectInOrder(body)
			})
			if changed != tt.want {
				t.Fatalf("changed = %v, want %v:\n%s", changed, tt.want, out)
			}
			if strings.Contains(out, "out := inorder.NewObject(fields)") != tt.want || strings.Contains(out, "out.Dispatch(ctx)") == tt.want {
				t.Errorf("rewritten body:\n%s", out)
			}
			if !strings.Contains(out, "return out") {
				t.Errorf("lost the return:\n%s", out)
			}
		})
	}
}

const answerWriter = `func respond(ctx context.Context, data graphql.Marshaler) *graphql.Response {
	var response graphql.Response
	var buf bytes.Buffer
	data.MarshalGQL(&buf)
	response.Data = buf.Bytes()
	return &response
}`

func TestLendAnswerBuffer(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
		body      string
	}{
		{"answer written into its own buffer", answerWriter, true, "\tbuf := answer.Buffer(ctx)\n\tdata.MarshalGQL(buf)\n"},
		{"buffer put to another use", strings.Replace(answerWriter, "data.MarshalGQL(&buf)", "buf.WriteString(`{}`)", 1), false, "var buf bytes.Buffer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed, out := rewriteBody(t, tt.src, lendAnswerBuffer)
			if changed != tt.want || !strings.Contains(out, tt.body) {
				t.Errorf("changed = %v, want %v with %q:\n%s", changed, tt.want, tt.body, out)
			}
		})
	}
}

func TestResolversByValue(t *testing.T) {
	const src = `package gql

func (r *Resolver) Talk() generated.TalkResolver { return &talkResolver{r} }

func (r *talkResolver) Practices(ctx context.Context) ([]*model.Practice, error) { return nil, nil }

func (r *Resolver) other() *withMore { return &withMore{r, 1} }

type (
	talkResolver struct{ *Resolver }
	withMore     struct {
		*Resolver
		n int
	}
)
`
	const want = `package gql

func (r *Resolver) Talk() generated.TalkResolver { return talkResolver{r} }

func (r talkResolver) Practices(ctx context.Context) ([]*model.Practice, error) { return nil, nil }

func (r *Resolver) other() *withMore { return &withMore{r, 1} }

type (
	talkResolver struct{ *Resolver }
	withMore     struct {
		*Resolver
		n int
	}
)
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	byValue := map[string]bool{}
	for name := range resolverTypes(file) {
		byValue[name] = true
	}
	n := resolverValues(file, byValue)
	var out bytes.Buffer
	if err := format.Node(&out, fset, file); err != nil {
		t.Fatal(err)
	}
	if n != 2 || out.String() != want {
		t.Errorf("%d changes, want 2:\n%s\nwant:\n%s", n, out.String(), want)
	}
}
