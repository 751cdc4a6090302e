package yamlsrc

import (
	"errors"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestFirstAlias(t *testing.T) {
	tests := []struct {
		src   string
		first string
		line  int
		count int
	}{
		{"a: 1\nb: 2\n", "", 0, 0},
		{"a: &x 1\nb: *x\nc: [*x, *x]\n", "x", 2, 3},
		{"base: &b {k: 1}\nlist:\n  - <<: *b\n", "b", 3, 1},
	}
	for _, tt := range tests {
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(tt.src), &root); err != nil {
			t.Fatal(err)
		}
		a, n := FirstAlias(&root)
		if n != tt.count || (a == nil) != (tt.count == 0) || (a != nil && (a.Value != tt.first || a.Line != tt.line)) {
			t.Errorf("FirstAlias(%q) = %v, %d; want *%s at line %d, %d aliases", tt.src, a, n, tt.first, tt.line, tt.count)
		}
	}
}

func TestErrorLine(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("yaml: line 7: mapping values are not allowed"), 7},
		{errors.New("yaml: did not find expected key"), 0},
		{errors.New("yaml: line 99999999999999999999: x"), 0},
	}
	for _, tt := range tests {
		if got := ErrorLine(tt.err); got != tt.want {
			t.Errorf("ErrorLine(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
