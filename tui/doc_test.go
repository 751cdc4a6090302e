package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocComments: every exported function, method, type, value and struct field of the
// package (of unexported types too, as the JSON checklist file's fields) has a doc comment that
// starts with its name, the way go vet and godoc expect. A name in a documented group of
// values takes the group's comment.
func TestDocComments(t *testing.T) {
	for _, miss := range undocumented(t) {
		t.Error(miss)
	}
}

// undocumented lists "file:line: name" for each exported name of the package's own files
// without a doc comment that begins with the name.
func undocumented(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []string
	check := func(doc *ast.CommentGroup, name *ast.Ident, what string) {
		if name.IsExported() && (doc == nil || !strings.HasPrefix(doc.Text(), name.Name+" ")) {
			out = append(out, fset.Position(name.Pos()).String()+": "+what+" has no doc comment starting with its name")
		}
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				check(d.Doc, d.Name, d.Name.Name)
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.ValueSpec:
						if d.Doc != nil && len(d.Specs) > 1 && sp.Doc == nil {
							continue
						}
						doc := sp.Doc
						if doc == nil {
							doc = d.Doc
						}
						for _, n := range sp.Names {
							check(doc, n, n.Name)
						}
					case *ast.TypeSpec:
						doc := sp.Doc
						if doc == nil {
							doc = d.Doc
						}
						check(doc, sp.Name, sp.Name.Name)
						if st, ok := sp.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								for _, n := range fl.Names {
									check(fl.Doc, n, sp.Name.Name+"."+n.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}
