package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tpmbench/lpcsim"
)

func TestBuiltinScenarios(t *testing.T) {
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	kinds := map[lpcsim.FaultKind]bool{}
	for _, s := range all {
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			if seen[n] {
				t.Errorf("scenario name %q used twice", n)
			}
			seen[n] = true
		}
		if s.Description == "" {
			t.Errorf("%s: no description", s.File)
		}
		for _, f := range s.Faults {
			kinds[f.Kind] = true
		}
	}
	for _, want := range []string{"default", "apu1d-asus", "alix3d2-asus", "apu2-tpm1a-tpm20"} {
		if !seen[want] {
			t.Errorf("no built-in scenario %q", want)
		}
	}
	for _, k := range []lpcsim.FaultKind{lpcsim.Open, lpcsim.StuckLow, lpcsim.StuckHigh, lpcsim.Swap, lpcsim.Bridge, lpcsim.Flip} {
		if !kinds[k] {
			t.Errorf("no built-in scenario for fault class %s", k)
		}
	}
}

func TestLoad(t *testing.T) {
	for name, want := range map[string]string{"": "default", "apu1d-asus": "default", "APU2-TPM20": "apu2-tpm1a-tpm20"} {
		s, err := Load(name)
		if err != nil || s.Name != want {
			t.Errorf("Load(%q) = %v, %v; want %s", name, s, err, want)
		}
	}
	if _, err := Load("apu9"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "default") {
		t.Errorf("Load(apu9) = %v, want ErrInvalid listing the built-ins", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "x.yaml: empty file"},
		{"syntax", "board: apu1d\nmodule: [\n", "x.yaml:2: not valid YAML"},
		{"list", "- a\n- b\n", "x.yaml:1: a scenario is a mapping"},
		{"unknown key", "board: apu1d\nmodule: m\nboard2: x\n", "x.yaml:3: unknown key \"board2\""},
		{"duplicate", "board: apu1d\nboard: apu2\nmodule: m\n", "x.yaml:2: key \"board\" given twice"},
		{"missing module", "board: apu1d\n", "x.yaml:1: missing key module"},
		{"bad fault", "board: a\nmodule: m\nfaults:\n  - open LAD2\n  - melt LAD1\n", "x.yaml:5: fault: lpcsim: bad fault: unknown fault kind \"melt\""},
		{"bad host", "board: a\nmodule: m\nhost: via\n", "x.yaml:3: lpcsim: unknown host profile \"via\""},
		{"bad engine", "board: a\nmodule: m\nengine: tpm3\n", "x.yaml:3: unknown engine \"tpm3\""},
		{"bad wire", "board: a\nmodule: m\nwires:\n  - {module: 1, board: x}\n", "x.yaml:4: wires: board pin \"x\" is not a pin number"},
		{"half wire", "board: a\nmodule: m\nwires:\n  - {module: 1}\n", "x.yaml:4: wires: this wire has no board pin number"},
		{"bad serirq", "board: a\nmodule: m\nserirq: loud\n", "x.yaml:3: lpcsim: unknown SERIRQ mode"},
		{"two docs", "board: a\nmodule: m\n---\nboard: b\n", "x.yaml:3: more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.text))
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v\nwant an ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}

// TestParseErrorsOnce checks that one problem gives one error, at its own
// line, and is not reported again as a consequence.
func TestParseErrorsOnce(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"bad pin", "board: a\nmodule: m\nwires:\n  - {module: 1, board: x}\n",
			[]string{"x.yaml:4: wires: board pin \"x\" is not a pin number"}},
		{"bad pin on its own line", "board: a\nmodule: m\nwires:\n  - module: 1\n    board: 0\n",
			[]string{"x.yaml:5: wires: board pin \"0\" is not a pin number"}},
		{"misspelt key", "board: a\nmodule: m\nwires:\n  - {module: 1, bord: 2}\n",
			[]string{"x.yaml:4: wires: unknown key \"bord\""}},
		{"misspelt key with a bad pin", "board: a\nmodule: m\nwires:\n  - {module: 1, bord: x}\n",
			[]string{"x.yaml:4: wires: unknown key \"bord\""}},
		{"two bad pins", "board: a\nmodule: m\nwires:\n  - {module: y, board: x}\n",
			[]string{"wires: module pin \"y\"", "wires: board pin \"x\""}},
		{"aliased wires", "board: a\nmodule: m\nwires:\n  - &w {module: 1, board: x}\n" + strings.Repeat("  - *w\n", 12),
			[]string{"x.yaml:5: aliases (*w) are not supported in scenario files; write each value out (12 aliases in the file, the first here)"}},
		{"aliased faults", "board: a\nmodule: m\nfaults: [&f melt LAD1, *f, *f]\n",
			[]string{"x.yaml:3: aliases (*f) are not supported in scenario files"}},
		{"aliased value", "board: &b apu1d\nmodule: *b\n",
			[]string{"x.yaml:2: aliases (*b) are not supported in scenario files; write each value out"}},
		{"empty wire", "board: a\nmodule: m\nwires:\n  - {}\n",
			[]string{"x.yaml:4: wires: a wire needs both module and board pin numbers"}},
		{"no module pin", "board: a\nmodule: m\nwires:\n  - {board: 3}\n",
			[]string{"x.yaml:4: wires: this wire has no module pin number (write {module: PIN, board: 3})"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.text))
			got := splitErrors(err)
			if len(got) != len(tt.want) {
				t.Fatalf("Parse gave %d errors, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, e := range got {
				if !strings.Contains(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e, tt.want[i])
				}
			}
		})
	}
}

// splitErrors returns the errors an errors.Join holds, or err alone.
func splitErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"board: apu9\nmodule: asus-tpm-20-1\nengine: none\n", "x.yaml:1: pinmap: board"},
		{"board: apu1d\nmodule: asus-tpm-20-1\nengine: none\npersonality: slb1234\n", "x.yaml:4:"},
		{"board: apu1d\nmodule: asus-tpm-20-1\nengine: none\nwires:\n  - {module: 40, board: 1}\n", "x.yaml:5: module asus-tpm-20-1 has no pin 40"},
	}
	for _, tt := range tests {
		s, err := Parse("x.yaml", []byte(tt.text))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(s); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Build(%q) = %v, want %q", tt.text, err, tt.want)
		}
	}
}

func TestBareBench(t *testing.T) {
	s, err := Load("bare")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Host.Read32(0xF00); v != 0x000B15D1 {
		t.Errorf("DID_VID = %#x, want 0x000b15d1", v)
	}
}

func FuzzLoad(f *testing.F) {
	all, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range all {
		data, err := builtinFS.ReadFile(s.File)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("board: a\nmodule: m\nfaults: [flip LAD0 0.5 seed=3]\n"))
	f.Add([]byte("{board: &a x, module: *a}"))
	f.Add([]byte("board: a\nmodule: m\nwires: [{module: 1, bord: x}, {board: 2}, {module: 0, board: 3}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if s.Board == "" || s.Module == "" {
			t.Fatalf("parsed a scenario without board or module: %+v", s)
		}
	})
}

func TestBuildBuiltins(t *testing.T) {
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			b, err := Build(s)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			v, _ := b.Host.Read32(0xF00)
			if slices.ContainsFunc(s.Faults, func(f lpcsim.Fault) bool { return f.Kind == lpcsim.Flip }) {
				return // an intermittent fault may let four cycles through
			}
			healthy := len(s.Faults) == 0 && !strings.HasPrefix(s.Name, "wiring-") && s.Host == "apu"
			if healthy != (v == 0x000B15D1 || v == 0x001A15D1) {
				t.Errorf("DID_VID = %#x on a bench that is %s", v, map[bool]string{true: "healthy", false: "broken"}[healthy])
			}
		})
	}
}

func TestTPM12States(t *testing.T) {
	for _, tt := range []struct {
		state string
		ok    bool
	}{{"factory", true}, {"enabled+started", true}, {"owned", true}, {"melted", false}, {"missing/state.json", false}} {
		s, err := Parse("x.yaml", []byte("board: apu1d\nmodule: asus-tpm-20-1\nstate: "+tt.state+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Build(s)
		if (err == nil) != tt.ok || (err != nil && !strings.Contains(err.Error(), "x.yaml:3:")) {
			t.Errorf("state %q: Build = %v, want ok %v (errors at x.yaml:3)", tt.state, err, tt.ok)
		}
	}
}

func TestWiringFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wiring := func(lad1, lad2 int) string {
		return fmt.Sprintf(`module: asus-tpm-20-1
board: apu1d
wires:
  - {module: 1, board: 1}
  - {module: 2, board: 2}
  - {module: 3, board: 11}
  - {module: 5, board: 13}
  - {module: 7, board: 9}
  - {module: 8, board: %d}
  - {module: 9, board: 18}
  - {module: 10, board: %d}
  - {module: 11, board: 3}
  - {module: 16, board: 19}
  - {module: 17, board: 17}
`, lad2, lad1)
	}
	write("good.yaml", wiring(5, 7))
	write("swapped.yaml", wiring(7, 5)) // LAD1 and LAD2 crossed: START 0101 arrives as 0011
	tests := []struct {
		scenario string
		didvid   uint32 // 0: build must fail
		want     string
	}{
		{"wiring: good.yaml\nengine: none\n", 0x000B15D1, ""},
		{"wiring: swapped.yaml\nengine: none\n", 0xFFFFFFFF, ""},
		{"wiring: good.yaml\nboard: apu2\nengine: none\n", 0, "s.yaml:2: board apu2, but the wiring file good.yaml wires apu1d"},
		{"wiring: nothere.yaml\nengine: none\n", 0, "s.yaml:1: pinmap: reading wiring file"},
	}
	for _, tt := range tests {
		path := write("s.yaml", tt.scenario)
		data, _ := os.ReadFile(path)
		s, err := Parse(path, data)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Build(s)
		if tt.didvid == 0 {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%q: Build = %v, want %q", tt.scenario, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.scenario, err)
		}
		if v, _ := b.Host.Read32(0xF00); v != tt.didvid {
			t.Errorf("%q: DID_VID = %#x, want %#x", tt.scenario, v, tt.didvid)
		}
	}
}
