package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// bringupGolden compares got with fixtures/bringup/name, or rewrites the file with -update.
func bringupGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "..", "fixtures", "bringup", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/tpmbench -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/tpmbench -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestTXTDecodeGolden(t *testing.T) {
	tests := []struct {
		value, golden string
	}{
		{"0xc0021041", "txt-decode-c0021041.txt"}, // the reference write-up's Ivy Bridge SINIT error
		{"80000007", "txt-decode-80000007.txt"},   // processor-induced
		{"0xC0033451", "txt-decode-c0033451.txt"}, // an ACM error not in the table
		{"0", "txt-decode-00000000.txt"},          // nothing recorded
		{"0xc0008000", "txt-decode-c0008000.txt"}, // written by other software
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			out, errOut, code := runCmd(t, "txt", "decode", tt.value)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			bringupGolden(t, tt.golden, out)
		})
	}
}

// TestTXTDecodeSuggestsNVLock: the reference write-up's error leads to the fix.
func TestTXTDecodeSuggestsNVLock(t *testing.T) {
	out, _, _ := runCmd(t, "txt", "decode", "0xc0021041")
	for _, want := range []string{"TPM access", "TPM NV is unlocked", "tpmbench nv lock", "Ivy Bridge SINIT"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, "txt", "decode", "0xc0021441") // major 0x5
	if strings.Contains(out, "nv lock") {
		t.Errorf("another major code suggests nv lock:\n%s", out)
	}
}

func TestTXTDecodeJSON(t *testing.T) {
	out, errOut, code := runCmd(t, "txt", "decode", "--json", "0xc0021041")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Value          string  `json:"value"`
		Valid          bool    `json:"valid"`
		External       bool    `json:"external"`
		Reserved       uint32  `json:"reserved"`
		Minor          uint32  `json:"minor"`
		SoftwareSource bool    `json:"software_source"`
		Major          uint32  `json:"major"`
		Class          uint32  `json:"class"`
		ModuleType     uint32  `json:"module_type"`
		Module         string  `json:"module"`
		ProcessorCode  *uint32 `json:"processor_code"`
		Meaning        *struct {
			ACM     string `json:"acm"`
			Command string `json:"command"`
		} `json:"meaning"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if d.Value != "0xc0021041" || !d.Valid || !d.External || d.Reserved != 0 || d.Minor != 2 || d.SoftwareSource ||
		d.Major != 4 || d.Class != 4 || d.ModuleType != 1 || d.Module != "SINIT" || d.ProcessorCode != nil {
		t.Errorf("fields %+v", d)
	}
	if d.Meaning == nil || d.Meaning.ACM != "Ivy Bridge SINIT" || d.Meaning.Command != "tpmbench nv lock --yes" {
		t.Errorf("meaning %+v", d.Meaning)
	}

	out, _, _ = runCmd(t, "txt", "decode", "--json", "0x80000007")
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.ProcessorCode == nil || *d.ProcessorCode != 7 || d.Meaning != nil {
		t.Errorf("processor error: code %v meaning %+v", d.ProcessorCode, d.Meaning)
	}
}

func TestTXTDecodeUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"txt", "decode"}, "accepts 1 arg"},
		{[]string{"txt", "decode", "0xzz"}, "byte 2 ('z') is not a hex digit"},
		{[]string{"txt", "decode", "0x123456789"}, "more than 32 bits"},
		{[]string{"txt", "decode", "1", "2"}, "accepts 1 arg"},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}
