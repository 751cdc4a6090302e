package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/tis/devmem"
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
		{[]string{"txt", "decode"}, "txt decode needs a TXT.ERRORCODE VALUE"},
		{[]string{"txt", "decode", "0xzz"}, "byte 2 ('z') is not a hex digit"},
		{[]string{"txt", "decode", "0x123456789"}, "more than 32 bits"},
		{[]string{"txt", "decode", "1", "2"}, "txt decode takes one argument, got 2"},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}

// withTXTSpace makes --mmio open what open returns instead of this machine's TXT page.
func withTXTSpace(t *testing.T, open func() (*devmem.TXTSpace, error)) {
	t.Helper()
	saved := openTXTSpace
	openTXTSpace = open
	t.Cleanup(func() { openTXTSpace = saved })
}

// txtPage is TXT public space memory holding the given STS, ESTS and ERRORCODE.
func txtPage(sts, ests, errorCode uint32) []byte {
	mem := make([]byte, devmem.TXTSize)
	binary.LittleEndian.PutUint32(mem[devmem.TXTStatusOffset:], sts)
	binary.LittleEndian.PutUint32(mem[devmem.TXTErrorStatusOffset:], ests)
	binary.LittleEndian.PutUint32(mem[devmem.TXTErrorCodeOffset:], errorCode)
	return mem
}

func TestTXTDecodeMMIORefuses(t *testing.T) {
	tests := []struct {
		name     string
		euid     int
		lockdown string
		want     []string
	}{
		{"not root", 1000, "", []string{"not root", "euid 1000", "sudo"}},
		{"lockdown", 0, "none [integrity] confidentiality\n", []string{"lockdown", "lockdown=none", "Secure Boot"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			sys := devmem.System{SysClassTPM: filepath.Join(dir, "tpm"), ProcIomem: filepath.Join(dir, "iomem"),
				Lockdown: filepath.Join(dir, "lockdown"), EUID: tt.euid}
			if tt.lockdown != "" {
				if err := os.WriteFile(sys.Lockdown, []byte(tt.lockdown), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			withTXTSpace(t, func() (*devmem.TXTSpace, error) { return devmem.OpenTXT(sys) })
			out, errOut, code := runCmd(t, "txt", "decode", "--mmio")
			if code != exitBench || out != "" {
				t.Fatalf("exit %d, stdout %q; want %d and nothing decoded", code, out, exitBench)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
		})
	}
}

func TestTXTDecodeMMIO(t *testing.T) {
	withTXTSpace(t, func() (*devmem.TXTSpace, error) {
		return devmem.TXTFromBytes(txtPage(0x00000090, 0x00000001, 0xc0021041)), nil
	})
	out, errOut, code := runCmd(t, "txt", "decode", "--mmio")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"read from 0xfed30000", "TXT.STS  0x00000090\n", "TXT.ESTS 0x00000001  TXT_RESET.STS\n",
		"TXT.ERRORCODE 0xc0021041", "TPM NV is unlocked", "tpmbench nv lock"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SENTER.DONE") || strings.Contains(out, "SEXIT.DONE") || strings.Contains(out, "WAKE_ERROR") {
		t.Errorf("names a bit that is clear:\n%s", out)
	}

	withTXTSpace(t, func() (*devmem.TXTSpace, error) {
		return devmem.TXTFromBytes(txtPage(0x00000001, 0x00000041, 0)), nil
	})
	out, errOut, code = runCmd(t, "txt", "decode", "--mmio", "--json")
	if code != exitOK {
		t.Fatalf("--json: exit %d: %s", code, errOut)
	}
	var d struct {
		Value string `json:"value"`
		Valid bool   `json:"valid"`
		MMIO  *struct {
			Address string   `json:"address"`
			STS     string   `json:"sts"`
			STSSet  []string `json:"sts_set"`
			ESTS    string   `json:"ests"`
			ESTSSet []string `json:"ests_set"`
		} `json:"mmio"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if d.Value != "0x00000000" || d.Valid || d.MMIO == nil || d.MMIO.Address != "0xfed30000" || d.MMIO.STS != "0x00000001" ||
		strings.Join(d.MMIO.STSSet, ",") != "SENTER.DONE" || d.MMIO.ESTS != "0x00000041" ||
		strings.Join(d.MMIO.ESTSSet, ",") != "TXT_RESET.STS,WAKE_ERROR.STS" {
		t.Errorf("JSON %+v mmio %+v", d, d.MMIO)
	}
}

func TestTXTDecodeMMIOErrors(t *testing.T) {
	tests := []struct {
		name string
		mem  []byte
		args []string
		code int
		want string
	}{
		{"no TXT answers", txtPage(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF), []string{"--mmio"}, exitBench, "no TXT"},
		{"short mapping", make([]byte, 0x10), []string{"--mmio"}, exitBench, "TXT.ERRORCODE at offset 0x30 is outside"},
		{"value and --mmio", txtPage(0, 0, 0), []string{"--mmio", "0xc0021041"}, exitUsage, "drop the argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withTXTSpace(t, func() (*devmem.TXTSpace, error) { return devmem.TXTFromBytes(tt.mem), nil })
			out, errOut, code := runCmd(t, append([]string{"txt", "decode"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, tt.code, tt.want)
			}
		})
	}
}
