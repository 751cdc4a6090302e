package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// jsonMembers parses a JSON object into its members.
func jsonMembers(t *testing.T, data string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, data)
	}
	return m
}

// TestReportViewsJSON: version, flags and nv list --json print the TPM's identity and their
// members of the probe report, with the same names and the same values as probe --json, for
// TPM 1.2 and TPM 2.0.
func TestReportViewsJSON(t *testing.T) {
	views := []struct {
		cmd  []string
		keys []string
	}{
		{[]string{"version"}, []string{"version"}},
		{[]string{"flags"}, []string{"permanent_flags", "volatile_flags", "enabled", "active", "temp_deactivated", "owned", "nv_locked"}},
		{[]string{"nv", "list"}, []string{"nv_indices"}},
	}
	for _, bench := range []string{"default", "apu2-tpm1a-tpm20"} {
		probeOut, errOut, code := runCmd(t, "probe", "--json", "--sim", bench)
		if code != exitOK {
			t.Fatalf("probe %s: exit %d: %s", bench, code, errOut)
		}
		report := jsonMembers(t, probeOut)
		for _, v := range views {
			t.Run(strings.Join(v.cmd, " ")+" "+bench, func(t *testing.T) {
				out, errOut, code := runCmd(t, append(v.cmd, "--json", "--sim", bench)...)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				got := jsonMembers(t, out)
				want := append(slices.Clone(identityKeys), v.keys...)
				if len(got) != len(want) {
					t.Errorf("members %v, want %v", slices.Sorted(mapKeys(got)), want)
				}
				for _, k := range want {
					if !bytes.Equal(compact(t, got[k]), compact(t, report[k])) {
						t.Errorf("%s = %s, probe --json says %s", k, got[k], report[k])
					}
				}
				if string(got[v.keys[0]]) == "null" {
					t.Errorf("%s is null", v.keys[0])
				}
			})
		}
	}
}

func mapKeys(m map[string]json.RawMessage) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func compact(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return b.Bytes()
}

// TestReportViewJSONFailedProbe: a view whose probe fails exits 1 with the diagnosis on
// stderr and prints no JSON.
func TestReportViewJSONFailedProbe(t *testing.T) {
	out, errOut, code := runCmd(t, "version", "--json", "--sim", "fault-open-lad2")
	if code != exitBench || out != "" || !strings.Contains(errOut, "likely causes:") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestPinsJSON: pins --json prints the connector as boards --json does, and the board when the
// id names one.
func TestPinsJSON(t *testing.T) {
	tests := []struct {
		id, connector string
		board         bool
	}{
		{"apu1d", "pcengines-lpc-2x10", true},
		{"asus-tpm-20-1", "asus-tpm-20-1", false},
	}
	for _, tt := range tests {
		out, errOut, code := runCmd(t, "pins", tt.id, "--json")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tt.id, code, errOut)
		}
		var got struct {
			Board *struct {
				ID string `json:"id"`
			} `json:"board"`
			Connector struct {
				ID   string `json:"id"`
				Pins []struct {
					Pin    int    `json:"pin"`
					Signal string `json:"signal"`
				} `json:"pins"`
			} `json:"connector"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v\n%s", tt.id, err, out)
		}
		if got.Connector.ID != tt.connector || len(got.Connector.Pins) == 0 || got.Connector.Pins[0].Pin != 1 {
			t.Errorf("%s: connector %+v", tt.id, got.Connector)
		}
		if (got.Board != nil) != tt.board || (got.Board != nil && got.Board.ID != tt.id) {
			t.Errorf("%s: board %+v, want present %v", tt.id, got.Board, tt.board)
		}
	}
}

// TestSimJSON: sim --json carries the results, the bus statistics under the probe report's
// "sim" names, and the logs as lines; exit 1 when the TPM does not answer.
func TestSimJSON(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		didvid   string
		answered bool
	}{
		{[]string{"sim", "--json", "--regs", "--cycles"}, exitOK, "0x000b15d1", true},
		{[]string{"sim", "--json", "fault-open-lad2"}, exitBench, "0xffffffff", false},
	}
	for _, tt := range tests {
		out, errOut, code := runCmd(t, tt.args...)
		if code != tt.code {
			t.Errorf("%q: exit %d, want %d: %s", tt.args, code, tt.code, errOut)
		}
		var r struct {
			DIDVID   string   `json:"did_vid"`
			Answered bool     `json:"answered"`
			Faults   []string `json:"faults"`
			Sim      struct {
				Scenario string `json:"scenario"`
				LCLK     uint64 `json:"lclk"`
				Faults   []string
			} `json:"sim"`
			RegisterLog []string `json:"register_log"`
			CycleLog    []string `json:"cycle_log"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%q: %v\n%s", tt.args, err, out)
		}
		if r.DIDVID != tt.didvid || r.Answered != tt.answered || r.Sim.LCLK == 0 || r.Sim.Scenario == "" {
			t.Errorf("%q: %+v", tt.args, r)
		}
		logs := slices.Contains(tt.args, "--regs")
		if logs != (len(r.RegisterLog) > 0 && len(r.CycleLog) > 0) {
			t.Errorf("%q: %d register and %d cycle log lines", tt.args, len(r.RegisterLog), len(r.CycleLog))
		}
		if logs && !strings.Contains(r.RegisterLog[0], "DID_VID_0") {
			t.Errorf("first register log line %q", r.RegisterLog[0])
		}
	}
}

// TestWireJSONShorthand: wire --json prints what --format json prints; both at once is a usage
// error.
func TestWireJSONShorthand(t *testing.T) {
	long, _, code1 := runCmd(t, "wire", "asus-tpm-20-1", "apu1d", "--format", "json")
	short, _, code2 := runCmd(t, "wire", "asus-tpm-20-1", "apu1d", "--json")
	if code1 != code2 || long != short || !json.Valid([]byte(short)) {
		t.Errorf("--json (exit %d) and --format json (exit %d) differ:\n%s\n%s", code2, code1, short, long)
	}
	if _, errOut, code := runCmd(t, "wire", "asus-tpm-20-1", "apu1d", "--json", "--format", "csv"); code != exitUsage {
		t.Errorf("--json --format csv: exit %d, want 2: %s", code, errOut)
	}
}

// TestScenarioList: probe --list and sim --list print the same list, descriptions in one
// column past the longest name.
func TestScenarioList(t *testing.T) {
	simOut, _, code1 := runCmd(t, "sim", "--list")
	probeOut, _, code2 := runCmd(t, "probe", "--list")
	if code1 != exitOK || code2 != exitOK || simOut != probeOut {
		t.Fatalf("sim --list (exit %d) and probe --list (exit %d) differ:\n%s\n%s", code1, code2, simOut, probeOut)
	}
	lines := strings.Split(strings.TrimSuffix(simOut, "\n"), "\n")
	if len(lines) < 10 {
		t.Fatalf("only %d scenarios:\n%s", len(lines), simOut)
	}
	longest, col := 0, -1
	for _, l := range lines {
		name, _, _ := strings.Cut(l, " ")
		longest = max(longest, len(name))
		rest := strings.TrimLeft(l[len(name):], " ")
		at := utf8.RuneCountInString(l) - utf8.RuneCountInString(rest)
		if col >= 0 && at != col {
			t.Errorf("description of %s starts at column %d, others at %d:\n%s", name, at, col, simOut)
		}
		col = at
	}
	if col <= longest {
		t.Errorf("descriptions start at column %d, inside the longest name (%d)", col, longest)
	}
}
