package tis_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocComments: every exported name of the package, every exported struct field and every
// interface method has a doc or line comment (a name in a group takes the group's comment).
func TestDocComments(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	missing := func(pos token.Pos, what string) { t.Errorf("%s: %s has no doc comment", fset.Position(pos), what) }
	for _, name := range names {
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
				if d.Name.IsExported() && d.Doc == nil {
					missing(d.Pos(), d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					checkSpec(s, d.Doc != nil, missing)
				}
			}
		}
	}
}

func checkSpec(s ast.Spec, groupDoc bool, missing func(token.Pos, string)) {
	switch s := s.(type) {
	case *ast.ValueSpec:
		for _, n := range s.Names {
			if n.IsExported() && s.Doc == nil && s.Comment == nil && !groupDoc {
				missing(n.Pos(), n.Name)
			}
		}
	case *ast.TypeSpec:
		if !s.Name.IsExported() {
			return
		}
		if s.Doc == nil && !groupDoc {
			missing(s.Pos(), s.Name.Name)
		}
		var fields []*ast.Field
		switch ty := s.Type.(type) {
		case *ast.StructType:
			fields = ty.Fields.List
		case *ast.InterfaceType:
			fields = ty.Methods.List
		}
		for _, fl := range fields {
			for _, n := range fl.Names {
				if n.IsExported() && fl.Doc == nil && fl.Comment == nil {
					missing(n.Pos(), s.Name.Name+"."+n.Name)
				}
			}
		}
	}
}
