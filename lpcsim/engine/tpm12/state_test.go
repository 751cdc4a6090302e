package tpm12

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/tpm"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with fixtures/tpm/name at the repository root, or
// rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "..", "..", "fixtures", "tpm", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the engine's output (go test -update rewrites it):\n%s", path, got)
	}
}

func TestFactoryStateGolden(t *testing.T) {
	b, err := New().SaveState()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "tpm12-factory-state.json", b)
}

func TestStateSurvivesPowerCycle(t *testing.T) {
	e := New(Started())
	for _, c := range [][]byte{
		tpm.TSCPhysicalPresence(tpm.PPCMDEnable), tpm.TSCPhysicalPresence(tpm.PPPresent),
		tpm.PhysicalEnable(), tpm.PhysicalSetDeactivated(false),
		tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11000, tpm.NVPerPPRead|tpm.NVPerPPWrite, 8)),
		tpm.NVWriteValue(0x11000, 0, []byte{0xCA, 0xFE}), tpm.NVLock(),
	} {
		if rsp, _ := e.Execute(0, c); rsp[9] != 0 {
			t.Fatalf("setup % X → % X", c, rsp)
		}
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := e.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	s, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e2 := New(WithState(s))
	run(t, e2, []step{
		{"needs Startup", tpm.PCRRead(0), tpm.RCInvalidPostinit, ""},
		{"Startup", tpm.Startup(tpm.STClear), 0, ""},
		{"enabled and active", tpm.PCRRead(0), 0, ""},
		{"NV kept, PP needed now", tpm.NVReadValue(0x11000, 0, 2), tpm.RCBadPresence, ""},
		{"PRESENT (CMD_ENABLE kept)", tpm.TSCPhysicalPresence(tpm.PPPresent), 0, ""},
		{"NV data kept", tpm.NVReadValue(0x11000, 0, 2), 0, "00 C4 00 00 00 10 00 00 00 00 00 00 00 02 CA FE"},
	})
	a, _ := e.SaveState()
	b, _ := e2.SaveState()
	if !bytes.Equal(a, b) {
		t.Errorf("state changed across save/load:\n%s\n%s", a, b)
	}
}

func TestParseStateErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{`, "tpm12: decoding state"},
		{`{"nv":[{"public":{"Index":69632,"DataSize":8},"data":"yv4="}]}`, "holds 2 bytes, dataSize says 8"},
		{`{"identity":{"TestResult":"` + strings.Repeat("A", 400) + `"}}`, "test result, at most 256"},
	}
	for _, tt := range tests {
		if _, err := ParseState([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseState(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("LoadFile of a missing file: %v", err)
	}
}

// FuzzExecute: any bytes from any state give a well-formed response and no
// panic.
func FuzzExecute(f *testing.F) {
	for _, c := range [][]byte{tpm.Startup(tpm.STClear), tpm.GetCapNVIndex(0x11000), tpm.NVLock(),
		tpm.NVWriteValue(0x11000, 2, []byte{1}), tpm.TSCPhysicalPresence(tpm.PPCMDEnable), tpm.Extend(3, [20]byte{})} {
		f.Add(uint8(0), c)
	}
	f.Fuzz(func(t *testing.T, opt uint8, cmd []byte) {
		opts := []Option{Started(), referenceNV()}
		if opt&1 != 0 {
			opts = append(opts, Enabled())
		}
		if opt&2 != 0 {
			opts = append(opts, NVLocked())
		}
		e := New(opts...)
		e.Execute(0, tpm.TSCPhysicalPresence(tpm.PPCMDEnable))
		e.Execute(0, tpm.TSCPhysicalPresence(tpm.PPPresent))
		rsp, err := e.Execute(int(opt>>4)%5, cmd)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tpm.ParseResponse(rsp); err != nil {
			t.Fatalf("response to % X: %v", cmd, err)
		}
	})
}

// FuzzParseState: a state file never panics the parser, and what it
// accepts gives a working engine.
func FuzzParseState(f *testing.F) {
	b, _ := New().SaveState()
	f.Add(b)
	f.Add([]byte(`{"nv":[{"public":{"Index":69632,"DataSize":2},"data":"yv4="}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := ParseState(in)
		if err != nil {
			return
		}
		e := New(WithState(s), Started())
		for _, c := range [][]byte{tpm.GetCapNVList(), tpm.NVReadValue(0x11000, 0, 2), tpm.GetCapVersionVal()} {
			rsp, err := e.Execute(0, c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tpm.ParseResponse(rsp); err != nil {
				t.Fatalf("% X: %v", rsp, err)
			}
		}
	})
}
