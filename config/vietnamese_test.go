package config

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/internal/bilingual"
)

// TestEveryProblemFormatHasVietnamese reads every problem format written in
// the package (problems.add, hookError, the decode messages) and requires
// its Vietnamese, itself by the rule.
func TestEveryProblemFormatHasVietnamese(t *testing.T) {
	var formats []string
	files, _ := filepath.Glob("*.go")
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "add" && len(n.Args) >= 3 {
					if lit, ok := n.Args[2].(*ast.BasicLit); ok {
						formats = append(formats, unquote(t, lit))
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "hookError" && len(n.Elts) == 1 {
					if lit, ok := n.Elts[0].(*ast.BasicLit); ok {
						formats = append(formats, unquote(t, lit))
					}
				}
			}
			return true
		})
	}
	formats = append(formats, "invalid size (want e.g. 1GiB, 500MB or a number of bytes)")
	for _, typ := range []reflect.Type{nil, durationType, byteSizeType, reflect.TypeFor[string](), reflect.TypeFor[bool](),
		reflect.TypeFor[int](), reflect.TypeFor[float64](), reflect.TypeFor[[]string](), reflect.TypeFor[map[string]int]()} {
		formats = append(formats, "want "+describe(typ))
	}
	if len(formats) < 60 {
		t.Fatalf("found only %d formats", len(formats))
	}
	for _, f := range formats {
		if f == "%s" {
			continue
		}
		vi, ok := vietnamese[f]
		if !ok {
			t.Errorf("no Vietnamese for %q", f)
			continue
		}
		if err := bilingual.Check(vi + " / " + f); err != nil {
			t.Error(err)
		}
	}
}

func unquote(t *testing.T, lit *ast.BasicLit) string {
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestProblemsVietnameseFirst loads the bad sample configs and checks that
// every problem check-config prints is Vietnamese first, then English.
func TestProblemsVietnameseFirst(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad-*.yaml")
	n := 0
	for _, f := range files {
		_, err := load(t, f, nil)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			continue // syntax errors: a ParseError
		}
		for _, p := range ve.Problems {
			n++
			if err := bilingual.Check(p.Message); err != nil {
				t.Errorf("%s: %s: %v", f, p.Key, err)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d problems checked", n)
	}
}
