package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{`pinmap: boards: no module "x" (known: a, b)`, `boards: no module "x" (known: a, b)`},
		{`scenario: s.yaml:1: pinmap: boards: no board "apu9"`, `s.yaml:1: boards: no board "apu9"`},
		{`pinmap: reading wiring file: open w.yaml: no such file`, `pinmap: reading wiring file: open w.yaml: no such file`},
		{`interrupted: tis: TPM_ACCESS_0 valid: canceled: context canceled`, `interrupted: tis: TPM_ACCESS_0 valid: canceled: context canceled`},
		{`no prefix at all`, `no prefix at all`},
		{`tis: tpm: ends with a package name: tis`, `tpm: ends with a package name: tis`},
		// one problem per line: each line keeps its own prefix
		{"scenario: s.yaml:7: fault: bad fault: unknown kind\nscenario: s.yaml:6: lpcsim: unknown host profile \"x\"",
			"scenario: s.yaml:7: fault: bad fault: unknown kind\ns.yaml:6: lpcsim: unknown host profile \"x\""},
		{"scenario: a.yaml:1: x\nscenario: a.yaml:2: y", "scenario: a.yaml:1: x\nscenario: a.yaml:2: y"},
		{`pinmap: w.yaml:1: not valid YAML: yaml: line 1: did not find expected ','`, `pinmap: w.yaml:1: not valid YAML: line 1: did not find expected ','`},
	}
	for _, tt := range tests {
		if got := cliMessage(tt.in); got != tt.want {
			t.Errorf("cliMessage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestErrorPrefixesOnce: errors that pass through several packages reach the user with one
// package prefix, the innermost, and the file:line they name.
func TestErrorPrefixesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte("board: apu9\nmodule: asus-tpm-20-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// several problems, reported one per line, the engine's first
	many := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(many, []byte("name: many\nboard: apu1d\nmodule: asus-tpm-20-1\npersonality: slb9635\nhost: nosuch\nfaults: [\"bogus X\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badWiring := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(badWiring, []byte("module: asus-tpm-20-1\nboard: [apu1d\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"wire", "nosuch", "apu1d"}, `boards: no module "nosuch"`},
		{[]string{"wire", "asus-tpm-20-1", "nosuch"}, `boards: no board or header "nosuch"`},
		{[]string{"sim", path}, path + `:1: boards: no board or header "apu9"`},
		{[]string{"probe", path}, path + `:1: boards: no board or header "apu9"`},
		{[]string{"probe", "--sim", many}, many + `:6: fault: lpcsim: bad fault: unknown fault kind "bogus"`},
		{[]string{"wire", "--check", badWiring}, "pinmap: " + badWiring + ":1: not valid YAML: line 1: "},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage || !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and a message starting %q", tt.args, code, errOut, tt.want)
		}
	}
}
