package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocComments checks the project's rule that every exported name has a doc comment, in every
// package but the command: functions, methods, types, values, struct fields and interface
// methods. A name in a documented group of values takes the group's comment; a struct field or
// interface method may have a line comment instead.
func TestDocComments(t *testing.T) {
	for _, p := range listPackages(t) {
		if strings.HasPrefix(p.ImportPath, "tpmbench/cmd/") {
			continue
		}
		for _, name := range p.GoFiles {
			for _, miss := range undocumented(t, filepath.Join(p.Dir, name)) {
				t.Error(miss)
			}
		}
	}
}

// undocumented lists "file:line: name" for each exported name in the file without a comment.
func undocumented(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	check := func(name *ast.Ident, what string, docs ...*ast.CommentGroup) {
		if !name.IsExported() {
			return
		}
		for _, d := range docs {
			if d != nil && strings.TrimSpace(d.Text()) != "" {
				return
			}
		}
		out = append(out, fset.Position(name.Pos()).String()+": "+what+" has no doc comment")
	}
	fields := func(owner string, list *ast.FieldList) {
		for _, fl := range list.List {
			for _, n := range fl.Names {
				check(n, owner+"."+n.Name, fl.Doc, fl.Comment)
			}
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil && !exportedReceiver(d.Recv) {
				continue
			}
			check(d.Name, d.Name.Name, d.Doc)
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						check(n, n.Name, sp.Doc, sp.Comment, d.Doc)
					}
				case *ast.TypeSpec:
					check(sp.Name, sp.Name.Name, sp.Doc, d.Doc)
					if !sp.Name.IsExported() {
						continue
					}
					switch ty := sp.Type.(type) {
					case *ast.StructType:
						fields(sp.Name.Name, ty.Fields)
					case *ast.InterfaceType:
						fields(sp.Name.Name, ty.Methods)
					}
				}
			}
		}
	}
	return out
}

// exportedReceiver reports whether a method's receiver type is exported: methods of unexported
// types are not part of the package's documentation.
func exportedReceiver(recv *ast.FieldList) bool {
	t := recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if g, ok := t.(*ast.IndexExpr); ok {
		t = g.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}
