package pinmap

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"tpmbench/boards"
)

// referenceFile is the reference bench's wiring as published: no ground wire.
const referenceFile = `# the reference write-up's wiring, Asus module pin -> PC Engines header pin
module: asus-tpm-20-1
board: apu1d
wires:
  - {module: 1, board: 1, signal: PCICLK}
  - {module: 3, board: 11, signal: LFRAME#}
  - {module: 5, board: 13, signal: LRESET#}
  - {module: 7, board: 9, signal: LAD3}
  - {module: 8, board: 7, signal: LAD2}
  - {module: 9, board: 18, signal: 3.3V}
  - {module: 15, board: 18, signal: 3.3V}
  - {module: 10, board: 5, signal: LAD1}
  - {module: 11, board: 3, signal: LAD0}
  - {module: 16, board: 19, signal: SERIRQ}
`

func TestCheckReferenceFile(t *testing.T) {
	db := openDB(t)
	s, w, err := ParseWiring(db, "reference.yaml", []byte(referenceFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Wires) != 10 || w.Wires[0].Line != 5 || w.Wires[5].Signal != "+3V3" {
		t.Fatalf("parsed %+v", w.Wires)
	}
	fs := Check(s, w)
	f := find(fs, CodeNoGround)
	if f.Severity != Error {
		t.Fatalf("no ground: finding %+v, want an error; all: %+v", f, fs)
	}
	if !strings.Contains(f.Fix, "module pin 2 → board pin 2") || !strings.Contains(f.Fix, "module pin 17 → board pin 17") {
		t.Errorf("no-ground fix %q does not name the ground wires 2→2 and 17→17", f.Fix)
	}
	if fs[0].Severity != Error {
		t.Errorf("errors are not listed first: %+v", fs[0])
	}
}

// TestCheckCases edits the reference wiring and checks what each mistake is reported as.
func TestCheckCases(t *testing.T) {
	db := openDB(t)
	base, err := Resolve(db, "asus-tpm-20-1", "apu1d")
	if err != nil {
		t.Fatal(err)
	}
	gen := Generate(base)
	edit := func(f func([]Wire) []Wire) Wiring {
		w := gen
		w.Wires = f(slices.Clone(gen.Wires))
		return w
	}
	drop := func(m int) func([]Wire) []Wire {
		return func(ws []Wire) []Wire {
			return slices.DeleteFunc(ws, func(w Wire) bool { return w.ModulePin == m })
		}
	}
	add := func(m, b int) func([]Wire) []Wire {
		return func(ws []Wire) []Wire { return append(ws, Wire{ModulePin: m, BoardPin: b}) }
	}
	tests := []struct {
		name     string
		setup    [2]string // module, board; empty means the reference pair
		wiring   func(Setup) Wiring
		code     string
		severity Severity
		mpins    []int
		bpins    []int
		fix      string
	}{
		{"generated is clean", [2]string{}, func(Setup) Wiring { return gen }, CodeStandbyRail, Warning, []int{15}, []int{18}, "standby"},
		{"5 V on the module", [2]string{}, func(Setup) Wiring { return edit(add(9, 16)) }, CodeFiveVolt, Error, []int{9}, []int{16}, "remove the wire to board pin 16"},
		{"CLK48 wired", [2]string{}, func(Setup) Wiring { return edit(add(6, 14)) }, CodeNeverConnect, Error, []int{6}, []int{14}, "remove"},
		{"LAD swapped", [2]string{}, func(Setup) Wiring {
			return edit(func(ws []Wire) []Wire {
				for i := range ws {
					if ws[i].ModulePin == 7 {
						ws[i].BoardPin = 7
					}
				}
				return ws
			})
		}, CodeSignalMismatch, Error, []int{7}, []int{7}, "move it to board pin 9"},
		{"LCLK missing", [2]string{}, func(Setup) Wiring { return edit(drop(1)) }, CodeMissingSignal, Error, []int{1}, []int{1}, "add a wire from module pin 1 to board pin 1"},
		{"no power", [2]string{}, func(Setup) Wiring { return edit(func(ws []Wire) []Wire { return drop(15)(drop(9)(ws)) }) }, CodeNoPower, Error, []int{9, 15}, []int{18}, "module pin 9 to board pin 18"},
		{"standby left open", [2]string{}, func(Setup) Wiring { return edit(drop(15)) }, CodeUnfedRail, Warning, []int{15}, nil, "module pin 15 to board pin 18"},
		{"one ground", [2]string{}, func(Setup) Wiring { return edit(drop(17)) }, CodeOneGround, Info, []int{2}, []int{2}, "second ground"},
		{"SERIRQ left off", [2]string{}, func(Setup) Wiring { return edit(drop(16)) }, CodeNoSerirq, Warning, []int{16}, []int{19}, "polling"},
		{"pin beyond header", [2]string{}, func(Setup) Wiring { return edit(add(2, 21)) }, CodeBadPin, Error, nil, []int{21}, "1 to 20"},
		{"wire to the key", [2]string{}, func(Setup) Wiring { return edit(add(4, 4)) }, CodeBadPin, Error, []int{4}, []int{4}, "pin numbers"},
		{"duplicate", [2]string{}, func(Setup) Wiring { return edit(add(1, 1)) }, CodeDuplicate, Warning, []int{1}, []int{1}, "delete"},
		{"NC wired", [2]string{}, func(Setup) Wiring { return edit(add(13, 10)) }, CodeSignalMismatch, Warning, []int{13}, []int{10}, "remove"},
		{"key conflict", [2]string{}, func(Setup) Wiring { return gen }, CodeKeyConflict, Warning, []int{4}, []int{4}, "clip the board's pin 4"},
		{"never pins listed", [2]string{}, func(Setup) Wiring { return gen }, CodeNeverPins, Info, nil, []int{14, 15, 16, 20}, "unconnected"},
		{"LPCPD# open", [2]string{}, func(Setup) Wiring { return gen }, CodeNoLPCPD, Warning, []int{19}, nil, "10 kΩ"},
		{"CLKRUN# open", [2]string{}, func(Setup) Wiring { return gen }, CodeNoCLKRUN, Info, []int{18}, nil, "GND"},
		{"debug holes", [2]string{"pcengines-tpm1a", "apu3"}, Generate, CodeFootprint, Warning, nil, nil, "solder thin wires"},
		{"debug holes lack SERIRQ", [2]string{"pcengines-tpm1a", "apu4"}, Generate, CodeNoSerirq, Warning, []int{19}, nil, "poll"},
		{"SPI header", [2]string{"asus-tpm-20-1", "asus-tpm-spi-14-1"}, Generate, CodeBusMismatch, Error, nil, nil, "LPC TPM header"},
		{"5 V next to LAD on MSI", [2]string{"asus-tpm-20-1", "msi-jtpm1-14-1"}, func(s Setup) Wiring {
			w := Generate(s)
			w.Wires = append(w.Wires, Wire{ModulePin: 9, BoardPin: 8})
			return w
		}, CodeFiveVolt, Error, []int{9}, []int{8}, "remove the wire to board pin 8"},
		{"direct fit on apu2", [2]string{"pcengines-tpm1a", "apu2"}, Generate, CodeDirectFit, Info, nil, nil, ""},
		{"plugs onto Asus header", [2]string{"asus-tpm-20-1", "asus-20-1-header"}, Generate, CodeDirectFit, Info, nil, nil, ""},
		{"one-source pins", [2]string{"pcengines-tpm4a", "apu6"}, Generate, CodeLowConfidence, Info, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "meter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			if tt.setup[0] != "" {
				s = setup(t, db, tt.setup[0], tt.setup[1])
			}
			fs := Check(s, tt.wiring(s))
			f := find(fs, tt.code)
			if f.Code == "" {
				t.Fatalf("no %s finding; got %+v", tt.code, fs)
			}
			if f.Severity != tt.severity {
				t.Errorf("severity %v, want %v", f.Severity, tt.severity)
			}
			if !slices.Equal(f.ModulePins, tt.mpins) || !slices.Equal(f.BoardPins, tt.bpins) {
				t.Errorf("pins module %v board %v, want %v %v", f.ModulePins, f.BoardPins, tt.mpins, tt.bpins)
			}
			if !strings.Contains(f.Fix, tt.fix) {
				t.Errorf("fix %q does not contain %q", f.Fix, tt.fix)
			}
			if tt.severity == Error && !HasErrors(fs) {
				t.Error("HasErrors is false")
			}
		})
	}
}

// TestGeneratedWiringsHaveNoErrors: the generator never produces an error on a pair where
// the module can work (same bus, header has every LPC line).
func TestGeneratedWiringsHaveNoErrors(t *testing.T) {
	db := openDB(t)
	for _, m := range db.Connectors() {
		if m.Role != boards.RoleModule {
			continue
		}
		for _, target := range targets(db) {
			s := setup(t, db, m.ID, target)
			fs := Check(s, Generate(s))
			workable := s.Header.Bus == "lpc"
			if HasErrors(fs) == workable {
				t.Errorf("%s on %s: errors=%v, workable=%v: %+v", m.ID, target, HasErrors(fs), workable, fs)
			}
		}
	}
}

func TestParseWiringErrors(t *testing.T) {
	db := openDB(t)
	tests := []struct {
		name, old, new string
		want           string
		notFound       bool
	}{
		{"unknown module", "module: asus-tpm-20-1", "module: asus-tpm-20", "reference.yaml:2: module: boards: no module \"asus-tpm-20\"; did you mean asus-tpm-20-1", true},
		{"unknown board", "board: apu1d", "board: apu1x", "reference.yaml:3: board", true},
		{"header as module", "module: asus-tpm-20-1", "module: pcengines-lpc-2x10", "no module", true},
		{"pin beyond header", "board: 19, signal: SERIRQ", "board: 21", "reference.yaml:14: board pin 21: pcengines-lpc-2x10 has pins 1 to 20", false},
		{"pin not a number", "{module: 1, board: 1,", "{module: one, board: 1,", "reference.yaml:5: module pin must be a number", false},
		{"label contradicts", "{module: 8, board: 7, signal: LAD2}", "{module: 8, board: 7, signal: LAD3}", "reference.yaml:9: the wire 8→7 is labelled LAD3, but module pin 8 is LAD2 and board pin 7 is LAD2", false},
		{"unknown key", "{module: 7, board: 9, signal: LAD3}", "{module: 7, pin: 9}", "reference.yaml:8: unknown wire key \"pin\"", false},
		{"no wires", "wires:", "wirez:", "unknown key \"wirez\"", false},
		{"syntax", "  - {module: 1, board: 1, signal: PCICLK}", "  - {module: 1, board: [1, signal: PCICLK}", "not valid YAML", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(referenceFile, tt.old, tt.new, 1)
			if text == referenceFile {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			_, _, err := ParseWiring(db, "reference.yaml", []byte(text))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrBadWiring) {
				t.Errorf("not ErrBadWiring: %v", err)
			}
			if errors.Is(err, boards.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v", !tt.notFound, tt.notFound)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, tt.want)
			}
		})
	}
	if _, _, err := ParseWiring(db, "empty.yaml", nil); !errors.Is(err, ErrBadWiring) {
		t.Errorf("empty file: %v", err)
	}
}

func FuzzParseWiring(f *testing.F) {
	db := openDB(f)
	f.Add([]byte(referenceFile))
	f.Add([]byte("module: pcengines-tpm1a\nboard: apu3\nwires: [{module: 1, board: 8}]"))
	f.Add([]byte("module: x\nboard: y\nwires: [[1, 2]]"))
	f.Add([]byte("wires: &a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, w, err := ParseWiring(db, "fuzz.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrBadWiring) {
				t.Fatalf("error is not ErrBadWiring: %v", err)
			}
			return
		}
		// A parsed wiring can always be checked and rendered.
		r := NewReport(s, w)
		var sb strings.Builder
		if err := r.WriteText(&sb); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteSVG(&sb); err != nil {
			t.Fatal(err)
		}
	})
}
