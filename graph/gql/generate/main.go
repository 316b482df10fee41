// Command generate writes the GraphQL execution code in graph/gql/generated
// (and the resolver stubs of new fields) from gqlgen.yml and the schema,
// as gqlgen does, but executes below the root fields in order on one
// goroutine: fields of an object one after another, and the elements of a
// list through package inorder, which says why. Executing in order makes
// more rewrites of gqlgen's output possible (see rewriteFile). Run it
// from the module root after a schema change:
//
//	go run ./graph/gql/generate
package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"iter"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"golang.org/x/tools/go/ast/astutil"
)

const (
	inorderPackage    = "github.com/civicgraph/civicgraph/graph/gql/inorder"
	fieldargsPackage  = "github.com/civicgraph/civicgraph/graph/gql/fieldargs"
	selectionsPackage = "github.com/civicgraph/civicgraph/graph/gql/selections"
	answerPackage     = "github.com/civicgraph/civicgraph/graph/gql/answer"
)

func main() {
	log.SetFlags(0)
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		log.Fatalf("generate: %v", err)
	}
	if err := api.Generate(cfg, api.AddPlugin(fieldsInOrder{})); err != nil {
		log.Fatalf("generate: %v", err)
	}
	if err := rewriteDir(cfg.Exec.Dir()); err != nil {
		log.Fatalf("generate: %v", err)
	}
	if err := resolversByValue(cfg.Resolver.Dir()); err != nil {
		log.Fatalf("generate: %v", err)
	}
}

// resolversByValue rewrites the resolver files in dir so that the
// resolver of each object type is a value, not a pointer: gqlgen writes
//
//	func (r *Resolver) Talk() generated.TalkResolver { return &talkResolver{r} }
//	func (r *talkResolver) Practices(...)
//
// and the generated code asks for the resolver at every field it resolves,
// an allocation each. talkResolver holds one pointer, which an interface
// value holds as it is: return talkResolver{r}, and value receivers. gqlgen
// keeps the methods' bodies when it writes the files again, whatever their
// receivers, and this rewrites them again.
func resolversByValue(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.resolvers.go"))
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	files := make([]*ast.File, len(names))
	byValue := map[string]bool{} // the resolver types, in any of the files
	for i, name := range names {
		if files[i], err = parser.ParseFile(fset, name, nil, parser.ParseComments); err != nil {
			return err
		}
		for name := range resolverTypes(files[i]) {
			byValue[name] = true
		}
	}
	total := 0
	for i, file := range files {
		n := resolverValues(file, byValue)
		if n == 0 {
			continue
		}
		total += n
		var out bytes.Buffer
		if err := format.Node(&out, fset, file); err != nil {
			return fmt.Errorf("%s: %w", names[i], err)
		}
		if err := os.WriteFile(names[i], out.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if total == 0 {
		return errors.New("no resolver of an object type made as &xResolver{r}: has gqlgen's resolver template changed?")
	}
	return nil
}

// resolverTypes yields the names of the types file declares that embed
// *Resolver alone, as gqlgen's resolver of each object type does.
func resolverTypes(file *ast.File) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				spec := spec.(*ast.TypeSpec)
				st, ok := spec.Type.(*ast.StructType)
				if !ok || len(st.Fields.List) != 1 || len(st.Fields.List[0].Names) != 0 {
					continue
				}
				if star, ok := st.Fields.List[0].Type.(*ast.StarExpr); ok && isIdent(star.X, "Resolver") && !yield(spec.Name.Name) {
					return
				}
			}
		}
	}
}

// resolverValues makes the types byValue names values where gqlgen makes
// them pointers, in file: in &xResolver{r} and as the receivers of their
// methods. It returns how many of each it changed.
func resolverValues(file *ast.File, byValue map[string]bool) int {
	n := 0
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
			if id, ok := star.X.(*ast.Ident); ok && byValue[id.Name] {
				fn.Recv.List[0].Type = id
				n++
			}
		}
		if fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(node ast.Node) bool {
			ret, ok := node.(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				return true
			}
			if addr, ok := ret.Results[0].(*ast.UnaryExpr); ok && addr.Op == token.AND {
				if lit, ok := addr.X.(*ast.CompositeLit); ok {
					if id, ok := lit.Type.(*ast.Ident); ok && byValue[id.Name] {
						ret.Results[0] = lit
						n++
					}
				}
			}
			return true
		})
	}
	return n
}

// fieldsInOrder resolves the fields of every object but the root ones on
// the goroutine that marshals the object. Root fields keep running side
// by side: each makes reads of its own.
type fieldsInOrder struct{}

func (fieldsInOrder) Name() string { return "fieldsinorder" }

func (fieldsInOrder) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if !o.Root {
			o.DisableConcurrency = true
		}
	}
	return nil
}

// rewrites counts the changes made to gqlgen's output, by kind.
type rewrites struct {
	lists, deferGroups, objects, plainFields, plainStrings, resolvedFields, fieldArgs, collects, answerBuffers int
}

func (r *rewrites) add(o rewrites) {
	r.lists += o.lists
	r.deferGroups += o.deferGroups
	r.objects += o.objects
	r.plainFields += o.plainFields
	r.plainStrings += o.plainStrings
	r.resolvedFields += o.resolvedFields
	r.fieldArgs += o.fieldArgs
	r.collects += o.collects
	r.answerBuffers += o.answerBuffers
}

// rewriteDir rewrites the generated files in dir, which gqlgen's templates
// offer no options for. Each kind of rewrite must find something to
// change: none means gqlgen's output has changed under it.
func rewriteDir(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.generated.go"))
	if err != nil {
		return err
	}
	var total rewrites
	for _, name := range files {
		n, err := rewriteFile(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		total.add(n)
	}
	switch {
	case total.lists == 0:
		return errors.New("no call of graphql.MarshalSliceConcurrently to rewrite: has gqlgen's generated code changed?")
	case total.deferGroups == 0:
		return errors.New("no unused graphql.NewDeferredGroup to remove: has gqlgen's generated code changed?")
	case total.objects == 0:
		return errors.New("no field set that dispatches nothing to make an inorder.Object: has gqlgen's generated code changed?")
	case total.plainFields == 0:
		return errors.New("no field read from its struct to marshal directly: has gqlgen's generated code changed?")
	case total.plainStrings == 0:
		return errors.New("no string field read from its struct to marshal with inorder.StringAt: has gqlgen's generated code changed?")
	case total.resolvedFields == 0:
		return errors.New("no field without directives resolved through graphql.ResolveField: has gqlgen's generated code changed?")
	case total.fieldArgs == 0:
		return errors.New("no field's arguments worked out from field.ArgumentMap: has gqlgen's generated code changed?")
	case total.collects == 0:
		return errors.New("no object's fields collected with graphql.CollectFields: has gqlgen's generated code changed?")
	case total.answerBuffers == 0:
		return errors.New("no answer marshalled into a bytes.Buffer of its own: has gqlgen's generated code changed?")
	}
	return nil
}

// rewriteFile makes eight changes to one generated file:
//   - lists are marshalled with inorder.MarshalSlice instead of
//     graphql.MarshalSliceConcurrently;
//   - a field's arguments are worked out through fieldargs.Of, and an
//     object's fields collected through selections.Collect, once per
//     operation instead of once per object;
//   - an object whose fields all resolve in order never fills the group
//     of deferred fields gqlgen makes for it (see dropUnusedDeferGroup),
//     and its fields' values are kept in an inorder.Object (see
//     objectInOrder);
//   - a scalar field read from its struct is marshalled directly, a
//     string from a pointer to it (see marshalPlainField);
//   - any other field without directives is resolved through
//     inorder.ResolveField (see resolveDirectly);
//   - an operation's answer is written into the buffer package answer
//     lends (see lendAnswerBuffer).
func rewriteFile(name string) (rewrites, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
	if err != nil {
		return rewrites{}, err
	}
	var n rewrites
	ast.Inspect(file, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok {
			return true
		}
		if isCallOf(call, "graphql", "MarshalSliceConcurrently") {
			call.Fun = &ast.SelectorExpr{X: ast.NewIdent("inorder"), Sel: ast.NewIdent("MarshalSlice")}
			n.lists++
		}
		if collectOnce(call) {
			n.collects++
		}
		return true
	})
	ast.Inspect(file, func(node ast.Node) bool {
		if block, ok := node.(*ast.BlockStmt); ok && lendAnswerBuffer(block) {
			n.answerBuffers++
		}
		return true
	})
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		if argsOnce(fn.Body) {
			n.fieldArgs++
		}
		if dropUnusedDeferGroup(fn.Body) {
			n.deferGroups++
		}
		if objectInOrder(fn.Body) {
			n.objects++
		}
		switch marshalPlainField(fn.Body) {
		case plainValue:
			n.plainFields++
		case plainString:
			n.plainFields++
			n.plainStrings++
		}
		n.resolvedFields += resolveDirectly(fn.Body)
	}
	if n == (rewrites{}) {
		return n, nil
	}
	if mentions(file, "inorder") {
		astutil.AddImport(fset, file, inorderPackage)
	}
	if n.fieldArgs > 0 {
		astutil.AddImport(fset, file, fieldargsPackage)
	}
	if n.collects > 0 {
		astutil.AddImport(fset, file, selectionsPackage)
	}
	if n.answerBuffers > 0 {
		astutil.AddImport(fset, file, answerPackage)
	}
	for _, path := range []string{"bytes", "math", "sync/atomic"} {
		if !astutil.UsesImport(file, path) {
			astutil.DeleteImport(fset, file, path)
		}
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, file); err != nil {
		return n, err
	}
	return n, os.WriteFile(name, out.Bytes(), 0o644)
}

// argsOnce rewrites, in the body of a field's context function,
//
//	ctx = graphql.WithFieldContext(ctx, fc)
//	if fc.Args, err = ec.field_T_f_args(ctx, field.ArgumentMap(ec.Variables)); err != nil {
//
// to work the arguments out once per operation through fieldargs.Of,
// which makes the field's context value only when it coerces them:
//
//	if fc.Args, ctx, err = fieldargs.Of(ctx, fc, ec.Variables, ec.field_T_f_args); err != nil {
func argsOnce(body *ast.BlockStmt) bool {
	for i := 0; i+1 < len(body.List); i++ {
		withFC, ok := body.List[i].(*ast.AssignStmt)
		if !ok || withFC.Tok != token.ASSIGN || len(withFC.Lhs) != 1 || !isIdent(withFC.Lhs[0], "ctx") || len(withFC.Rhs) != 1 {
			continue
		}
		if call, ok := withFC.Rhs[0].(*ast.CallExpr); !ok || !isCallOf(call, "graphql", "WithFieldContext") {
			continue
		}
		check, ok := body.List[i+1].(*ast.IfStmt)
		if !ok {
			continue
		}
		init, ok := check.Init.(*ast.AssignStmt)
		if !ok || len(init.Lhs) != 2 || len(init.Rhs) != 1 {
			continue
		}
		coerce, variables := argsCoercion(init.Rhs[0])
		if coerce == nil {
			continue
		}
		init.Lhs = []ast.Expr{init.Lhs[0], ast.NewIdent("ctx"), init.Lhs[1]}
		init.Rhs[0] = &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent("fieldargs"), Sel: ast.NewIdent("Of")},
			Args: []ast.Expr{ast.NewIdent("ctx"), ast.NewIdent("fc"), variables, coerce},
		}
		// The if takes the line of the statement it replaces, which would
		// otherwise be left blank.
		check.If = withFC.Pos()
		body.List = slices.Delete(body.List, i, i+1)
		return true
	}
	return false
}

// argsCoercion returns ec.field_T_f_args and the variables if e is
// ec.field_T_f_args(ctx, field.ArgumentMap(variables)), and nils otherwise.
func argsCoercion(e ast.Expr) (coerce, variables ast.Expr) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || !isIdent(call.Args[0], "ctx") {
		return nil, nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "ec") || !strings.HasPrefix(sel.Sel.Name, "field_") || !strings.HasSuffix(sel.Sel.Name, "_args") {
		return nil, nil
	}
	raw, ok := call.Args[1].(*ast.CallExpr)
	if !ok || !isCallOf(raw, "field", "ArgumentMap") || len(raw.Args) != 1 {
		return nil, nil
	}
	return sel, raw.Args[0]
}

// collectOnce rewrites graphql.CollectFields(ec.OperationContext, sel, T)
// to selections.Collect(ctx, ec.OperationContext, sel, T).
func collectOnce(call *ast.CallExpr) bool {
	if !isCallOf(call, "graphql", "CollectFields") || len(call.Args) != 3 {
		return false
	}
	call.Fun = &ast.SelectorExpr{X: ast.NewIdent("selections"), Sel: ast.NewIdent("Collect")}
	call.Args = append([]ast.Expr{ast.NewIdent("ctx")}, call.Args...)
	return true
}

// lendAnswerBuffer rewrites, in the function that writes an operation's
// answer,
//
//	var buf bytes.Buffer
//	data.MarshalGQL(&buf)
//
// to write into the buffer the transport lends: buf := answer.Buffer(ctx)
// and data.MarshalGQL(buf).
func lendAnswerBuffer(block *ast.BlockStmt) bool {
	declared := -1
	for i, stmt := range block.List {
		if isVarOfType(stmt, "buf", "bytes", "Buffer") {
			declared = i
		}
	}
	if declared < 0 || declared+1 >= len(block.List) {
		return false
	}
	marshal, ok := block.List[declared+1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := marshal.X.(*ast.CallExpr)
	if !ok || !isCallOf(call, "data", "MarshalGQL") || len(call.Args) != 1 {
		return false
	}
	if addr, ok := call.Args[0].(*ast.UnaryExpr); !ok || addr.Op != token.AND || !isIdent(addr.X, "buf") {
		return false
	}
	call.Args[0] = ast.NewIdent("buf")
	// At the declaration's position, so that no blank line takes its place.
	block.List[declared] = &ast.AssignStmt{
		Lhs: []ast.Expr{&ast.Ident{Name: "buf", NamePos: block.List[declared].Pos()}},
		Tok: token.DEFINE,
		Rhs: []ast.Expr{&ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent("answer"), Sel: ast.NewIdent("Buffer")},
			Args: []ast.Expr{ast.NewIdent("ctx")},
		}},
	}
	return true
}

// isVarOfType reports whether stmt is var name pkg.typ.
func isVarOfType(stmt ast.Stmt, name, pkg, typ string) bool {
	decl, ok := stmt.(*ast.DeclStmt)
	if !ok {
		return false
	}
	gen, ok := decl.Decl.(*ast.GenDecl)
	if !ok || gen.Tok != token.VAR || len(gen.Specs) != 1 {
		return false
	}
	spec, ok := gen.Specs[0].(*ast.ValueSpec)
	if !ok || len(spec.Names) != 1 || spec.Names[0].Name != name || len(spec.Values) != 0 {
		return false
	}
	sel, ok := spec.Type.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, pkg) && sel.Sel.Name == typ
}

// dropUnusedDeferGroup removes from an object's marshaller the group of
// deferred fields and its processing when nothing else uses the group:
// gqlgen makes one per object (with the path to it and a map), but only
// fields resolved concurrently are ever deferred, and below the root
// fields none are.
func dropUnusedDeferGroup(body *ast.BlockStmt) bool {
	made, processed := -1, -1
	for i, stmt := range body.List {
		switch s := stmt.(type) {
		case *ast.AssignStmt:
			if assignedCall(s, "deferred", "graphql", "NewDeferredGroup") != nil {
				made = i
			}
		case *ast.IfStmt:
			if init, ok := s.Init.(*ast.AssignStmt); ok && len(init.Rhs) == 1 && mentions(init.Rhs[0], "deferred") {
				processed = i
			}
		}
	}
	if made < 0 || processed < 0 {
		return false
	}
	for i, stmt := range body.List {
		if i != made && i != processed && mentions(stmt, "deferred") {
			return false
		}
	}
	body.List = slices.Delete(body.List, processed, processed+1)
	body.List = slices.Delete(body.List, made, made+1)
	return true
}

// objectInOrder rewrites an object's marshaller whose field set only
// holds values,
//
//	out := graphql.NewFieldSet(fields)
//	... out.Values[i] = ...; out.Invalids++ ...
//	out.Dispatch(ctx)
//	...
//	return out
//
// to keep them in an inorder.Object instead, and drops the Dispatch,
// which has nothing to run: out := inorder.NewObject(fields). A field set
// put to any other use (fields resolved concurrently, deferred views) is
// left as it is.
func objectInOrder(body *ast.BlockStmt) bool {
	made, dispatched := -1, -1
	var newFieldSet *ast.CallExpr
	for i, stmt := range body.List {
		switch s := stmt.(type) {
		case *ast.AssignStmt:
			if call := assignedCall(s, "out", "graphql", "NewFieldSet"); call != nil && len(call.Args) == 1 {
				made, newFieldSet = i, call
			}
		case *ast.ExprStmt:
			if call, ok := s.X.(*ast.CallExpr); ok && isCallOf(call, "out", "Dispatch") {
				dispatched = i
			}
		}
	}
	if made < 0 || dispatched < 0 || !onlyValuesOf(body, "out", body.List[made], body.List[dispatched]) {
		return false
	}
	newFieldSet.Fun = &ast.SelectorExpr{X: ast.NewIdent("inorder"), Sel: ast.NewIdent("NewObject")}
	body.List = slices.Delete(body.List, dispatched, dispatched+1)
	return true
}

// assignedCall returns the call if s is name := pkg.fn(...), and nil
// otherwise.
func assignedCall(s *ast.AssignStmt, name, pkg, fn string) *ast.CallExpr {
	if len(s.Lhs) != 1 || !isIdent(s.Lhs[0], name) || len(s.Rhs) != 1 {
		return nil
	}
	if call, ok := s.Rhs[0].(*ast.CallExpr); ok && isCallOf(call, pkg, fn) {
		return call
	}
	return nil
}

// onlyValuesOf reports whether body uses the field set named out only to
// read and write its Values and Invalids, and to return it, besides the
// statements made and dispatched that make and dispatch it.
func onlyValuesOf(body *ast.BlockStmt, out string, made, dispatched ast.Stmt) bool {
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case ast.Stmt:
			if n == made || n == dispatched {
				return false
			}
			if ret, isReturn := n.(*ast.ReturnStmt); isReturn && len(ret.Results) == 1 && isIdent(ret.Results[0], out) {
				return false
			}
		case *ast.SelectorExpr:
			if isIdent(n.X, out) {
				ok = ok && (n.Sel.Name == "Values" || n.Sel.Name == "Invalids")
				return false
			}
		case *ast.Ident:
			ok = ok && n.Name != out
		}
		return ok
	})
	return ok
}

// plainScalars are the Go types of the fields marshalPlainField rewrites:
// their marshallers cannot fail, nor read the field's context.
var plainScalars = map[string]bool{"string": true, "int": true, "bool": true, "*string": true, "[]string": true}

// marshalPlainField rewrites the body of a field's marshaller that reads
// a scalar straight from its struct,
//
//	return graphql.ResolveField(ctx, ec.OperationContext, field, fieldContext,
//		func(ctx context.Context) (any, error) { return obj.Name, nil },
//		nil, func(ctx context.Context, selections ast.SelectionSet, v string) graphql.Marshaler {
//			return ec.marshalNString2string(ctx, selections, v)
//		}, true, true)
//
// to marshal the value directly: return ec.marshalNString2string(ctx,
// field.Selections, obj.Name). ResolveField would make a field context, a
// context value and a closure, box the value twice and run the field
// middleware, for a read that cannot fail: about half the allocations of
// a nested answer. The handler has no field middleware (no
// graphql.FieldInterceptor), which these fields now skip.
//
// A non-null string, which its marshaller only hands to
// graphql.MarshalString, is marshalled from a pointer to it instead:
// return inorder.StringAt(&obj.Name). A pointer fits in an interface
// value; a string is copied to the heap first.
func marshalPlainField(body *ast.BlockStmt) plainForm {
	if len(body.List) != 1 {
		return notPlain
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return notPlain
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	if !ok || !isCallOf(call, "graphql", "ResolveField") || len(call.Args) != 9 || !isIdent(call.Args[5], "nil") {
		return notPlain
	}
	value := structRead(call.Args[4])
	marshal, ok := call.Args[6].(*ast.FuncLit)
	if value == nil || !ok || len(marshal.Type.Params.List) != 3 || !plainScalars[exprString(marshal.Type.Params.List[2].Type)] {
		return notPlain
	}
	inner := singleReturn(marshal.Body)
	marshalCall, ok := inner.(*ast.CallExpr)
	if !ok || len(marshalCall.Args) != 3 || !isIdent(marshalCall.Args[0], "ctx") ||
		!isIdent(marshalCall.Args[1], "selections") || !isIdent(marshalCall.Args[2], "v") {
		return notPlain
	}
	// The closing brace keeps no line of its own after the shorter body.
	body.Rbrace = ret.Pos() + 1
	if exprString(marshal.Type.Params.List[2].Type) == "string" &&
		(isCallOf(marshalCall, "ec", "marshalNString2string") || isCallOf(marshalCall, "ec", "marshalNID2string")) {
		ret.Results[0] = &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("inorder"), Sel: ast.NewIdent("StringAt")},
			Args: []ast.Expr{&ast.UnaryExpr{Op: token.AND, X: value}}}
		return plainString
	}
	ret.Results[0] = &ast.CallExpr{Fun: marshalCall.Fun, Args: []ast.Expr{
		ast.NewIdent("ctx"),
		&ast.SelectorExpr{X: ast.NewIdent("field"), Sel: ast.NewIdent("Selections")},
		value,
	}}
	return plainValue
}

// resolveDirectly rewrites, in body, each call of graphql.ResolveField
// for a field without directives (its middleware chain nil),
//
//	graphql.ResolveField(ctx, ec.OperationContext, field, fieldContext, resolver, nil, marshal, true, true)
//
// to inorder.ResolveField(ctx, ec.OperationContext, field, fieldContext,
// resolver, marshal, true, true), which says why, and returns how many it
// rewrote. It runs after marshalPlainField, which takes the fields that
// need no resolving at all.
func resolveDirectly(body *ast.BlockStmt) int {
	n := 0
	ast.Inspect(body, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok || !isCallOf(call, "graphql", "ResolveField") || len(call.Args) != 9 || !isIdent(call.Args[5], "nil") {
			return true
		}
		call.Fun = &ast.SelectorExpr{X: ast.NewIdent("inorder"), Sel: ast.NewIdent("ResolveField")}
		// The marshaller moves up to the line of the nil, which
		// would otherwise be left blank.
		if marshal, ok := call.Args[6].(*ast.FuncLit); ok {
			marshal.Type.Func = call.Args[5].Pos()
		}
		call.Args = slices.Delete(call.Args, 5, 6)
		n++
		return true
	})
	return n
}

// plainForm says how marshalPlainField rewrote a field's marshaller.
type plainForm int

const (
	notPlain    plainForm = iota // left as it was
	plainValue                   // the value marshalled directly
	plainString                  // a string marshalled from a pointer to it
)

// structRead returns obj.Name if e is func(ctx context.Context) (any,
// error) { return obj.Name, nil }, and nil otherwise.
func structRead(e ast.Expr) ast.Expr {
	lit, ok := e.(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return nil
	}
	ret, ok := lit.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 2 || !isIdent(ret.Results[1], "nil") {
		return nil
	}
	sel, ok := ret.Results[0].(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "obj") {
		return nil
	}
	return sel
}

// singleReturn returns the one value a block of a single return statement
// returns, or nil.
func singleReturn(body *ast.BlockStmt) ast.Expr {
	if len(body.List) != 1 {
		return nil
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil
	}
	return ret.Results[0]
}

func exprString(e ast.Expr) string {
	var b bytes.Buffer
	if err := format.Node(&b, token.NewFileSet(), e); err != nil {
		return ""
	}
	return b.String()
}

// mentions reports whether the identifier name appears in node.
func mentions(node ast.Node, name string) bool {
	found := false
	ast.Inspect(node, func(n ast.Node) bool {
		if isIdent(n, name) {
			found = true
		}
		return !found
	})
	return found
}

func isCallOf(call *ast.CallExpr, pkg, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, pkg) && sel.Sel.Name == name
}

func isIdent(n ast.Node, name string) bool {
	id, ok := n.(*ast.Ident)
	return ok && id.Name == name
}
