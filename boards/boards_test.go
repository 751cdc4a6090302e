package boards

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openBuiltin(t *testing.T) *DB {
	t.Helper()
	db, err := Open("")
	if err != nil {
		t.Fatalf("Open(\"\"): %v", err)
	}
	return db
}

func TestBuiltinHasRequiredIDs(t *testing.T) {
	db := openBuiltin(t)
	for _, id := range []string{"asus-tpm-20-1", "pcengines-lpc-2x10", "pcengines-lpc-2x5", "pcengines-debug-9", "pcengines-tpm1a"} {
		if _, err := db.Connector(id); err != nil {
			t.Errorf("Connector(%q): %v", id, err)
		}
	}
	wantConn := map[string]string{
		"alix2d": "pcengines-lpc-2x10", "alix3d2": "pcengines-lpc-2x10", "apu1c": "pcengines-lpc-2x10",
		"apu1d": "pcengines-lpc-2x10", "apu2": "pcengines-lpc-2x10", "apu3": "pcengines-debug-9",
		"apu4": "pcengines-debug-9", "apu6": "pcengines-lpc-2x5", "apu4c": "pcengines-lpc-2x5", "apu2e": "pcengines-lpc-2x10",
	}
	for id, conn := range wantConn {
		c, b, err := db.Resolve(id)
		if err != nil {
			t.Errorf("Resolve(%q): %v", id, err)
			continue
		}
		if c.ID != conn || b == nil {
			t.Errorf("Resolve(%q) = %s, board %v; want connector %s and a board", id, c.ID, b, conn)
		}
	}
}

// TestBuiltinConsistency checks every built-in connector: pin count, numbering, one
// occurrence of each LPC signal, confidence on every pin, modules without supply rails they
// cannot take.
func TestBuiltinConsistency(t *testing.T) {
	db := openBuiltin(t)
	if n := len(db.Connectors()); n < 10 {
		t.Errorf("%d connectors, want the PC Engines, Asus and other vendors' headers (10 or more)", n)
	}
	for _, c := range db.Connectors() {
		g := c.Geometry
		if len(c.Pins) != g.Rows*g.Cols {
			t.Errorf("%s: %d pins, geometry %dx%d", c.ID, len(c.Pins), g.Rows, g.Cols)
		}
		seen := map[Signal]bool{}
		for i, p := range c.Pins {
			if p.Number != i+1 {
				t.Errorf("%s: pin at index %d is numbered %d", c.ID, i, p.Number)
			}
			if p.Confidence == "" || p.Dir == "" {
				t.Errorf("%s pin %d: confidence %q dir %q", c.ID, p.Number, p.Confidence, p.Dir)
			}
			if cls := p.Signal.Class(); (cls == ClassBus || cls == ClassSideband) && seen[p.Signal] {
				t.Errorf("%s: %s twice", c.ID, p.Signal)
			}
			seen[p.Signal] = true
			if p.Signal == V5 && p.Never == "" {
				t.Errorf("%s pin %d is +5V but not marked never-connect", c.ID, p.Number)
			}
		}
		if c.Bus == "lpc" {
			for _, s := range []Signal{LCLK, LFRAME, LRESET, LAD0, LAD1, LAD2, LAD3, GND} {
				if !c.Has(s) {
					t.Errorf("%s: LPC connector without %s", c.ID, s)
				}
			}
		}
	}
}

func TestReferencePins(t *testing.T) {
	db := openBuiltin(t)
	tests := []struct {
		conn   string
		pin    int
		signal Signal
		never  bool
	}{
		{"pcengines-lpc-2x10", 1, LCLK, false},
		{"pcengines-lpc-2x10", 4, GND, false},
		{"pcengines-lpc-2x10", 9, LAD3, false},
		{"pcengines-lpc-2x10", 14, CLK48, true},
		{"pcengines-lpc-2x10", 15, Other, true},
		{"pcengines-lpc-2x10", 16, V5, true},
		{"pcengines-lpc-2x10", 18, V3V3, false},
		{"pcengines-lpc-2x10", 20, LDRQ, true},
		{"asus-tpm-20-1", 4, KEY, false},
		{"asus-tpm-20-1", 9, V3V3, false},
		{"asus-tpm-20-1", 15, V3V3SB, false},
		{"asus-tpm-20-1", 16, SERIRQ, false},
		{"pcengines-debug-9", 8, LCLK, false},
		{"pcengines-lpc-2x5", 10, V3V3, false},
	}
	for _, tt := range tests {
		c, err := db.Connector(tt.conn)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := c.Pin(tt.pin)
		if !ok {
			t.Fatalf("%s has no pin %d", tt.conn, tt.pin)
		}
		if p.Signal != tt.signal || (p.Never != "") != tt.never {
			t.Errorf("%s pin %d = %s never=%q, want %s never=%v", tt.conn, tt.pin, p.Signal, p.Never, tt.signal, tt.never)
		}
	}
	c, _ := db.Connector("pcengines-lpc-2x10")
	if _, ok := c.Pin(21); ok {
		t.Error("pcengines-lpc-2x10 has a pin 21")
	}
	if got := c.PinsWith(GND); len(got) != 7 {
		t.Errorf("pcengines-lpc-2x10 GND pins = %v, want 2,4,6,8,10,12,17", got)
	}
}

func TestLookupErrors(t *testing.T) {
	db := openBuiltin(t)
	tests := []struct {
		lookup  func() error
		suggest string
	}{
		{func() error { _, _, err := db.Resolve("apu1x"); return err }, "apu1"},
		{func() error { _, err := db.Connector("pcengines-lpc-2x11"); return err }, "pcengines-lpc-2x10"},
		{func() error { _, err := db.Module("asus-tpm-20"); return err }, "asus-tpm-20-1"},
		{func() error { _, err := db.Module("pcengines-lpc-2x10"); return err }, "is a board header"},
		{func() error { _, err := db.Module("apu1d"); return err }, "is a board"},
		{func() error { _, _, err := db.ResolveHeader("asus-tpm-20-1"); return err }, "is a TPM module"},
		{func() error { _, err := db.Board("alix3"); return err }, "alix3d2"},
	}
	for i, tt := range tests {
		err := tt.lookup()
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("case %d: err = %v, want ErrNotFound", i, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.suggest) {
			t.Errorf("case %d: %v does not mention %q", i, err, tt.suggest)
		}
	}
}

const goodUserFile = `
connectors:
  - id: my-header
    name: My 2x3 test header
    role: header
    bus: lpc
    geometry: {rows: 2, cols: 5, pitch_mm: 2.54, numbering: odd-even, gender: male, footprint: header}
    confidence: INF
    pins:
      - {pin: 1, signal: LCLK, confidence: INF}
      - {pin: 2, signal: GND, confidence: INF}
      - {pin: 3, signal: LFRAME#, confidence: INF}
      - {pin: 4, signal: LRESET#, confidence: INF}
      - {pin: 5, signal: LAD0, confidence: INF}
      - {pin: 6, signal: LAD1, confidence: INF}
      - {pin: 7, signal: LAD2, confidence: INF}
      - {pin: 8, signal: LAD3, confidence: INF}
      - {pin: 9, signal: +3V3, confidence: INF}
      - {pin: 10, signal: SERIRQ, confidence: INF}
boards:
  - id: my-board
    name: My board
    family: other
    chipset: unknown
    connector: my-header
    confidence: INF
`

func TestOpenUserDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(goodUserFile), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	c, b, err := db.Resolve("my-board")
	if err != nil || c.ID != "my-header" || b.ID != "my-board" {
		t.Fatalf("Resolve(my-board) = %v, %v, %v", c, b, err)
	}
	if p, _ := c.Pin(10); p.Signal != SERIRQ || p.Dir != OpenDrain || p.Level != "3.3V" {
		t.Errorf("pin 10 = %+v, want SERIRQ with default dir od and level 3.3V", p)
	}

	dup := strings.Replace(goodUserFile, "id: my-header", "id: pcengines-lpc-2x10", 1)
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(dup), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "mine.yaml:3:") || !strings.Contains(err.Error(), "already used at boards/data/pcengines.yaml") {
		t.Errorf("duplicate id: err = %v", err)
	}

	if _, err := Open(filepath.Join(dir, "absent")); err == nil {
		t.Error("Open of a missing directory succeeded")
	}
}

func TestParseFileErrors(t *testing.T) {
	// Each case edits the good file and expects the error at the given line.
	tests := []struct {
		name, old, new string
		line           int
		want           string
	}{
		{"unknown key", "    bus: lpc", "    buss: lpc", 6, `unknown key "buss" (did you mean "bus"?)`},
		{"unknown signal", "signal: LAD2", "signal: LAD9", 16, `unknown signal "LAD9"`},
		{"vendor name as signal", "signal: LCLK", "signal: PCICLK", 10, "vendor names go in label"},
		{"pin beyond geometry", "{pin: 10, signal: SERIRQ", "{pin: 11, signal: SERIRQ", 19, "beyond the 2x5 geometry"},
		{"duplicate pin", "{pin: 10, signal: SERIRQ", "{pin: 9, signal: SERIRQ", 19, "pin 9 given twice (first at line 18)"},
		{"bad id", "id: my-header", "id: My_Header", 3, "use lowercase letters"},
		{"rows", "rows: 2", "rows: 3", 7, "rows must be 1 or 2"},
		{"pin number text", "{pin: 1,", "{pin: one,", 10, "pin number must be a whole number"},
		{"missing confidence", "{pin: 2, signal: GND, confidence: INF}", "{pin: 2, signal: GND}", 11, "confidence is missing"},
		{"power dir", "{pin: 9, signal: +3V3, confidence: INF}", "{pin: 9, signal: +3V3, dir: h2d, confidence: INF}", 18, "contradicts signal +3V3"},
		{"signal twice", "signal: LAD3", "signal: LAD2", 17, "signal LAD2 on pins 7 and 8"},
		// The YAML library reports an unclosed bracket at the line before it.
		{"yaml syntax", "    role: header", "    role: [header", 4, "not valid YAML"},
		{"alias", "    bus: lpc", "    bus: &x lpc\n    vendor: *x", 7, "aliases (*x) are not supported in board and connector files"},
		{"family", "family: other", "family: desktop", 23, "must be one of apu, alix, other"},
		{"board without connector", "    connector: my-header\n", "", 21, "connector is missing"},
		{"second document", "    confidence: INF\n", "    confidence: INF\n---\nboards: []\n", 9, "more than one YAML document"},
		{"list expected", "boards:\n", "boards: 3\nextra:\n", 20, "boards must be a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(goodUserFile, tt.old, tt.new, 1)
			if text == goodUserFile {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			_, err := ParseFile("mine.yaml", []byte(text))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			wantPlace := fmt.Sprintf("mine.yaml:%d:", tt.line)
			if !strings.Contains(err.Error(), wantPlace) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant %q and %q", err, wantPlace, tt.want)
			}
		})
	}
}

// TestParseFileAliases checks that aliases give one error for the whole file,
// at the first alias, however many there are and whatever is wrong in the anchor.
func TestParseFileAliases(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"entries", "connectors:\n  - &c\n    id: foo\n    pins: 3\n" + strings.Repeat("  - *c\n", 12),
			"mine.yaml:5: aliases (*c) are not supported in board and connector files; write each entry out (12 aliases in the file, the first here)"},
		{"value", "boards:\n  - {id: a, name: &n A, connector: x}\n  - {id: b, name: *n, connector: x}\n",
			"mine.yaml:3: aliases (*n) are not supported in board and connector files; write each entry out"},
		{"merge key", "boards:\n  - &b {id: a, name: A, connector: x}\n  - {<<: *b, id: c}\n",
			"mine.yaml:3: aliases (*b) are not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFile("mine.yaml", []byte(tt.text))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if strings.Count(err.Error(), "boards: ") != 1 || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant exactly one error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseFileGood(t *testing.T) {
	f, err := ParseFile("mine.yaml", []byte(goodUserFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Connectors) != 1 || len(f.Boards) != 1 || len(f.Connectors[0].Pins) != 10 {
		t.Fatalf("parsed %d connectors, %d boards", len(f.Connectors), len(f.Boards))
	}
	if f.Connectors[0].Pins[4].Line != 14 {
		t.Errorf("pin 5 line = %d, want 14", f.Connectors[0].Pins[4].Line)
	}
	for _, empty := range []string{"", "# only a comment\n", "connectors:\n"} {
		if _, err := ParseFile("empty.yaml", []byte(empty)); err != nil {
			t.Errorf("ParseFile(%q): %v", empty, err)
		}
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte(goodUserFile))
	f.Add([]byte("connectors: [{id: x, pins: [{pin: 1}]}]"))
	f.Add([]byte("boards: [{id: a, connector: b}]\n---\nx: 1"))
	f.Add([]byte("a: &x [*x]"))
	f.Add([]byte("connectors: [{id: x, name: X, role: header, bus: isa, confidence: 3S, pins: [{pin: 0}, {pin: one}, {pin: 2, signal: [a]}]}]"))
	f.Add([]byte("connectors: [{id: y, buss: lpc, geometry: {rows: 2, cols: 1, pitch_mm: 2.54, gender: mail}, pinz: []}]\nboards: [{id: b, name: \"\", famly: apu}]"))
	for _, name := range []string{"data/pcengines.yaml", "data/asus.yaml"} {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile("fuzz.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error is not ErrInvalid: %v", err)
			}
			return
		}
		// Whatever parses must be internally consistent.
		for _, c := range file.Connectors {
			if len(c.Pins) != c.Geometry.Rows*c.Geometry.Cols {
				t.Fatalf("%s: %d pins for %dx%d", c.ID, len(c.Pins), c.Geometry.Rows, c.Geometry.Cols)
			}
		}
		if _, err := New(file); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("New: %v", err)
		}
	})
}
