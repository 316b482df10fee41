// Command generate writes the GraphQL execution code in graph/gql/generated
// (and the resolver stubs of new fields) from gqlgen.yml and the schema,
// as gqlgen does, but executes below the root fields in order on one
// goroutine: fields of an object one after another, and the elements of a
// list through package inorder, which says why. Run it from the module
// root after a schema change:
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
	"log"
	"os"
	"path/filepath"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"golang.org/x/tools/go/ast/astutil"
)

const inorderPackage = "github.com/civicgraph/civicgraph/graph/gql/inorder"

func main() {
	log.SetFlags(0)
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		log.Fatalf("generate: %v", err)
	}
	if err := api.Generate(cfg, api.AddPlugin(fieldsInOrder{})); err != nil {
		log.Fatalf("generate: %v", err)
	}
	if err := listsInOrder(cfg.Exec.Dir()); err != nil {
		log.Fatalf("generate: %v", err)
	}
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

// listsInOrder rewrites the generated files in dir to marshal lists with
// inorder.MarshalSlice, which gqlgen's templates offer no option for.
func listsInOrder(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.generated.go"))
	if err != nil {
		return err
	}
	rewritten := 0
	for _, name := range files {
		n, err := rewriteFile(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rewritten += n
	}
	if rewritten == 0 {
		return errors.New("no call of graphql.MarshalSliceConcurrently to rewrite: has gqlgen's generated code changed?")
	}
	return nil
}

// rewriteFile replaces the calls of graphql.MarshalSliceConcurrently in one
// file and returns how many there were.
func rewriteFile(name string) (int, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
	if err != nil {
		return 0, err
	}
	n := 0
	ast.Inspect(file, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && isIdent(sel.X, "graphql") && sel.Sel.Name == "MarshalSliceConcurrently" {
			call.Fun = &ast.SelectorExpr{X: ast.NewIdent("inorder"), Sel: ast.NewIdent("MarshalSlice")}
			n++
		}
		return true
	})
	if n == 0 {
		return 0, nil
	}
	astutil.AddImport(fset, file, inorderPackage)
	var out bytes.Buffer
	if err := format.Node(&out, fset, file); err != nil {
		return 0, err
	}
	return n, os.WriteFile(name, out.Bytes(), 0o644)
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
