package pinmap

import (
	"slices"
	"strings"
	"testing"
)

// clkrunToCLK48 is the reference pair wired in full, plus the module's CLKRUN# (pin 18) taken
// to the board's never-connect CLK48 pin.
const clkrunToCLK48 = `module: asus-tpm-20-1
board: apu1d
wires:
  - {module: 1, board: 1}
  - {module: 2, board: 2}
  - {module: 3, board: 11}
  - {module: 5, board: 13}
  - {module: 7, board: 9}
  - {module: 8, board: 7}
  - {module: 9, board: 18}
  - {module: 15, board: 18}
  - {module: 10, board: 5}
  - {module: 11, board: 3}
  - {module: 16, board: 19}
  - {module: 17, board: 17}
  - {module: 18, board: 14}
`

// TestCheckFileCLKRUNWired: a checked file that wires CLKRUN# to a never-connect pin gets the
// error for that wire, and the CLKRUN# note says where the pin goes instead of "not wired".
func TestCheckFileCLKRUNWired(t *testing.T) {
	s, w, err := ParseWiring(openDB(t), "clkrun.yaml", []byte(clkrunToCLK48))
	if err != nil {
		t.Fatal(err)
	}
	fs := Check(s, w)
	if f := find(fs, CodeNeverConnect); f.Severity != Error || !slices.Equal(f.BoardPins, []int{14}) {
		t.Errorf("never-connect finding %+v, want an error on board pin 14", f)
	}
	f := find(fs, CodeNoCLKRUN)
	if strings.Contains(f.Message, "not wired") || !strings.Contains(f.Message, "module pin 18 goes to board pin 14") {
		t.Errorf("no-clkrun message %q does not say where module pin 18 goes", f.Message)
	}
	if !strings.Contains(f.Fix, "take the wire off board pin 14") {
		t.Errorf("no-clkrun fix %q does not say to take the wire off board pin 14", f.Fix)
	}
}

// TestCheckSidebandFollowsWiring: the findings about an optional or required signal that is
// not carried describe what the wiring does with the module pin: tied to a level, sent to
// the wrong board pin, or left open.
func TestCheckSidebandFollowsWiring(t *testing.T) {
	db := openDB(t)
	base := setup(t, db, "asus-tpm-20-1", "apu1d")
	gen := Generate(base)
	with := func(edit func([]Wire) []Wire) Wiring {
		w := gen
		w.Wires = edit(slices.Clone(gen.Wires))
		return w
	}
	add := func(m, b int) func([]Wire) []Wire {
		return func(ws []Wire) []Wire { return append(ws, Wire{ModulePin: m, BoardPin: b}) }
	}
	move := func(m, b int) func([]Wire) []Wire {
		return func(ws []Wire) []Wire {
			for i := range ws {
				if ws[i].ModulePin == m {
					ws[i].BoardPin = b
				}
			}
			return ws
		}
	}
	tests := []struct {
		name      string
		wiring    Wiring
		code      string
		severity  Severity
		mpins     []int
		bpins     []int
		msg       string // the message contains it
		notMsg    string // the message does not contain it
		mismatch  bool   // a signal-mismatch finding is expected as well
		hasErrors bool
	}{
		{"CLKRUN# open", gen, CodeNoCLKRUN, Info, []int{18}, nil, "CLKRUN# is not wired (module pin 18)", "goes to", false, false},
		{"CLKRUN# to ground", with(add(18, 6)), CodeNoCLKRUN, Info, []int{18}, []int{6}, "tied to ground at board pin 6", "not wired", false, false},
		{"CLKRUN# to 3.3 V", with(add(18, 18)), CodeNoCLKRUN, Warning, []int{18}, []int{18}, "open-drain", "not wired", false, false},
		{"CLKRUN# to LAD0", with(add(18, 3)), CodeNoCLKRUN, Info, []int{18}, []int{3}, "module pin 18 goes to board pin 3 (LAD0)", "not wired", true, true},
		{"LPCPD# open", gen, CodeNoLPCPD, Warning, []int{19}, nil, "stays open", "goes to", false, false},
		{"LPCPD# to 3.3 V", with(add(19, 18)), CodeNoLPCPD, Info, []int{19}, []int{18}, "held inactive", "stays open", false, false},
		{"LPCPD# to ground", with(add(19, 8)), CodeNoLPCPD, Warning, []int{19}, []int{8}, "module pin 19 goes to board pin 8 (GND)", "stays open", true, true},
		{"SERIRQ to ground", with(move(16, 10)), CodeNoSerirq, Warning, []int{16}, []int{19}, "module pin 16 goes to board pin 10 (GND)", "not wired", true, true},
		{"LCLK to LAD0", with(move(1, 3)), CodeMissingSignal, Error, []int{1}, []int{1}, "module pin 1 goes to board pin 3 (LAD0)", "not wired", true, true},
		{"LCLK left off", with(func(ws []Wire) []Wire { return slices.DeleteFunc(ws, func(w Wire) bool { return w.ModulePin == 1 }) }), CodeMissingSignal, Error, []int{1}, []int{1}, "LCLK is not wired", "goes to", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Check(base, tt.wiring)
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
			if !strings.Contains(f.Message, tt.msg) || strings.Contains(f.Message, tt.notMsg) {
				t.Errorf("message %q: want %q in it and not %q", f.Message, tt.msg, tt.notMsg)
			}
			if got := find(fs, CodeSignalMismatch).Code != ""; got != tt.mismatch {
				t.Errorf("signal-mismatch finding present = %v, want %v: %+v", got, tt.mismatch, fs)
			}
			if HasErrors(fs) != tt.hasErrors {
				t.Errorf("HasErrors = %v, want %v: %+v", HasErrors(fs), tt.hasErrors, fs)
			}
		})
	}
}
