package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

// wireReferenceNoGround is the reference write-up's wiring: every signal, no ground wire.
const wireReferenceNoGround = `module: asus-tpm-20-1
board: apu1d
wires:
  - {module: 1, board: 1, signal: LCLK}
  - {module: 3, board: 11, signal: LFRAME#}
  - {module: 5, board: 13, signal: LRESET#}
  - {module: 7, board: 9, signal: LAD3}
  - {module: 8, board: 7, signal: LAD2}
  - {module: 9, board: 18, signal: +3V3}
  - {module: 15, board: 18, signal: +3V3SB}
  - {module: 10, board: 5, signal: LAD1}
  - {module: 11, board: 3, signal: LAD0}
  - {module: 16, board: 19, signal: SERIRQ}
`

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWireCommand(t *testing.T) {
	noGround := writeTemp(t, "reference.yaml", wireReferenceNoGround)
	withGround := writeTemp(t, "fixed.yaml", wireReferenceNoGround+"  - {module: 2, board: 2}\n  - {module: 17, board: 17}\n")
	badLabel := writeTemp(t, "bad.yaml", strings.Replace(wireReferenceNoGround, "signal: LAD2", "signal: LAD1", 1))
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		stderr  []string
		noColor bool
	}{
		{"reference table", []string{"wire", "asus-tpm-20-1", "apu1d"}, exitOK,
			[]string{"1           LCLK (PCICLK)      1          LCLK", "15          +3V3SB (+3VSB)     18", "17          GND                17", "0 errors, 4 warnings"}, nil, false},
		{"markdown", []string{"wire", "asus-tpm-20-1", "apu1d", "--format", "md"}, exitOK, []string{"| 16 | SERIRQ | 19 | SERIRQ |"}, nil, false},
		{"csv", []string{"wire", "asus-tpm-20-1", "apu1d", "-f", "csv"}, exitOK, []string{"module_pin,board_pin,signal,note\n1,1,LCLK,\n"}, nil, false},
		{"wireviz", []string{"wire", "asus-tpm-20-1", "apu1d", "-f", "wireviz"}, exitOK, []string{"Board: [1, 2, 11, 13, 9, 7, 18, 5, 3, 18, 19, 17]"}, nil, false},
		{"svg", []string{"wire", "asus-tpm-20-1", "apu1d", "-f", "svg"}, exitOK, []string{"<svg", "</svg>"}, nil, false},
		{"direct fit", []string{"wire", "pcengines-tpm1a", "apu2"}, exitOK, []string{"direct-fit"}, nil, false},
		{"check without ground", []string{"wire", "--check", noGround}, exitBench, []string{"ERROR [no-ground]", "module pin 2 → board pin 2 and module pin 17 → board pin 17"}, nil, false},
		{"check csv shows errors on stderr", []string{"wire", "--check", noGround, "-f", "csv"}, exitBench, []string{"1,1,LCLK"}, []string{"ERROR [no-ground]"}, false},
		{"check fixed", []string{"wire", "--check", withGround}, exitOK, []string{"0 errors"}, nil, false},
		{"check with matching args", []string{"wire", "asus-tpm-20-1", "apu1d", "--check", withGround}, exitOK, nil, nil, false},
		{"check with other args", []string{"wire", "pcengines-tpm1a", "apu2", "--check", withGround}, exitUsage, nil, []string{"drop MODULE BOARD"}, false},
		{"check bad label", []string{"wire", "--check", badLabel}, exitUsage, nil, []string{"bad.yaml:8: the wire 8→7 is labelled LAD1"}, false},
		{"check missing file", []string{"wire", "--check", filepath.Join(t.TempDir(), "absent.yaml")}, exitUsage, nil, []string{"absent.yaml"}, false},
		{"spi header", []string{"wire", "asus-tpm-20-1", "asus-tpm-spi-14-1"}, exitBench, []string{"ERROR [bus-mismatch]"}, nil, false},
		{"unknown board", []string{"wire", "asus-tpm-20-1", "apu1x"}, exitUsage, nil, []string{"did you mean apu1c or apu1d", "known: alix2d"}, false},
		{"unknown module", []string{"wire", "asus-20-1", "apu1d"}, exitUsage, nil, []string{"did you mean asus-tpm-20-1"}, false},
		{"swapped arguments", []string{"wire", "apu1d", "asus-tpm-20-1"}, exitUsage, nil, []string{"apu1d is a board; name the TPM module first"}, false},
		{"one argument", []string{"wire", "asus-tpm-20-1"}, exitUsage, nil, []string{"name a module and a board", "asus-tpm-20-1, asus-tpm-m-14-1"}, false},
		{"bad format", []string{"wire", "asus-tpm-20-1", "apu1d", "-f", "pdf"}, exitUsage, nil, []string{"table, md, csv, json, svg, wireviz"}, false},
		{"NO_COLOR plain", []string{"wire", "asus-tpm-20-1", "apu1d"}, exitOK, []string{"MODULE PIN  MODULE SIGNAL"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.noColor {
				t.Setenv("NO_COLOR", "1")
			}
			out, errOut, code := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("escape codes in output to a non-terminal:\n%q", out)
			}
		})
	}
}

func TestWireJSON(t *testing.T) {
	out, errOut, code := runCmd(t, "wire", "asus-tpm-20-1", "apu1d", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Module struct{ ID string } `json:"module"`
		Board  struct {
			ID        string `json:"id"`
			Connector string `json:"connector"`
			Family    string `json:"family"`
		} `json:"board"`
		Wires []struct {
			ModulePin int    `json:"module_pin"`
			BoardPin  int    `json:"board_pin"`
			Signal    string `json:"signal"`
		} `json:"wires"`
		Findings []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
		} `json:"findings"`
		OK bool `json:"ok"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Module.ID != "asus-tpm-20-1" || got.Board.ID != "apu1d" || got.Board.Connector != "pcengines-lpc-2x10" || got.Board.Family != "apu" || !got.OK {
		t.Errorf("header fields: %+v", got)
	}
	if len(got.Wires) != 12 || got.Wires[2].ModulePin != 3 || got.Wires[2].BoardPin != 11 || got.Wires[2].Signal != "LFRAME#" {
		t.Errorf("wires: %+v", got.Wires)
	}
	if len(got.Findings) == 0 || got.Findings[0].Severity != "warning" {
		t.Errorf("findings: %+v", got.Findings)
	}
}

func TestWireOutputFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.svg")
	out, errOut, code := runCmd(t, "wire", "asus-tpm-20-1", "apu1d", "-f", "svg", "-o", path)
	if code != exitOK || !strings.Contains(out, "wrote "+path) {
		t.Fatalf("exit %d stdout %q stderr %q", code, out, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("<svg")) {
		t.Errorf("file: %v %.40q", err, data)
	}
	if _, errOut, code := runCmd(t, "wire", "asus-tpm-20-1", "apu1d", "-o", filepath.Join(path, "no", "dir")); code != exitUsage {
		t.Errorf("unwritable output: exit %d (%s)", code, errOut)
	}
}

func TestWireUserBoards(t *testing.T) {
	dir := t.TempDir()
	user := `connectors:
  - id: bench-header
    name: Bench 1x10 header
    role: header
    bus: lpc
    geometry: {rows: 1, cols: 10, pitch_mm: 2.54, numbering: single-row, gender: male, footprint: header}
    confidence: INF
    pins:
      - {pin: 1, signal: LCLK, confidence: INF}
      - {pin: 2, signal: LFRAME#, confidence: INF}
      - {pin: 3, signal: LRESET#, confidence: INF}
      - {pin: 4, signal: LAD0, confidence: INF}
      - {pin: 5, signal: LAD1, confidence: INF}
      - {pin: 6, signal: LAD2, confidence: INF}
      - {pin: 7, signal: LAD3, confidence: INF}
      - {pin: 8, signal: +3V3, confidence: INF}
      - {pin: 9, signal: GND, confidence: INF}
      - {pin: 10, signal: +5V, confidence: INF, never: "5 V"}
`
	if err := os.WriteFile(filepath.Join(dir, "bench.yaml"), []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "--boards", dir, "wire", "pcengines-tpm1a", "bench-header")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "the header has no SERIRQ") {
		t.Errorf("user header without SERIRQ not reported:\n%s", out)
	}
	bad := strings.Replace(user, "signal: LAD3", "signal: LAD7", 1)
	if err := os.WriteFile(filepath.Join(dir, "bench.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCmd(t, "--boards", dir, "wire", "pcengines-tpm1a", "bench-header")
	if code != exitUsage || !strings.Contains(errOut, "bench.yaml:15:") || !strings.Contains(errOut, `unknown signal "LAD7"`) {
		t.Errorf("malformed user file: exit %d, stderr %q", code, errOut)
	}
}

// TestStyledWiring renders the terminal table into a buffer: the rows and findings are there.
func TestStyledWiring(t *testing.T) {
	db, err := boards.Open("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := pinmap.Resolve(db, "asus-tpm-20-1", "apu1d")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeStyledWiring(&b, pinmap.NewReport(s, pinmap.Generate(s))); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LFRAME# (FRAME)", "+3V3SB (+3VSB)", "standby-rail", "12 wires"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("styled table lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Count(b.String(), "\n") < 12+4 {
		t.Errorf("styled table too short:\n%s", b.String())
	}
}
