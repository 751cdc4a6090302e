package tpm12

import (
	"bytes"
	"path/filepath"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/tpm"
)

// randomContent lists the commands whose response content is random; only
// their return code and length are compared.
var randomContent = map[tpm.Ordinal]bool{tpm.OrdGetRandom: true, tpm.OrdOIAP: true}

// replay sends the commands of reference traces to e (a CMD_INIT control
// line resets it) and compares every response with the recorded one.
func replay(t *testing.T, e *Engine, files ...string) {
	t.Helper()
	ref := reftest.ReferenceDir(t)
	for _, name := range files {
		lines, err := reftest.Read(filepath.Join(ref, name))
		if err != nil {
			t.Fatal(err)
		}
		replayLines(t, e, name, lines)
	}
}

func replayLines(t *testing.T, e *Engine, name string, lines []reftest.Line) {
	t.Helper()
	{
		var rsp []byte
		var ord tpm.Ordinal
		// Session handles are random: commands carry the recorded handle,
		// which is swapped for the model's.
		handles := map[[4]byte][4]byte{}
		for _, l := range lines {
			switch l.Kind {
			case reftest.Ctrl:
				if len(l.Msg) >= 4 && l.Msg[3] == 0x02 {
					if err := e.Reset(); err != nil {
						t.Fatal(err)
					}
				}
			case reftest.Command:
				c, err := tpm.ParseCommand(l.Msg)
				if err != nil {
					t.Fatalf("%s:%d: %v", name, l.Line, err)
				}
				ord = c.Ordinal()
				msg := append([]byte(nil), l.Msg...)
				if len(msg) >= 14 {
					if h, ok := handles[[4]byte(msg[10:14])]; ok {
						copy(msg[10:14], h[:])
					}
				}
				if rsp, err = e.Execute(0, msg); err != nil {
					t.Fatalf("%s:%d: %v", name, l.Line, err)
				}
			case reftest.Response:
				if rsp == nil {
					t.Fatalf("%s:%d: response without command", name, l.Line)
				}
				if ord == tpm.OrdOIAP && len(rsp) >= 14 && len(l.Msg) >= 14 {
					handles[[4]byte(l.Msg[10:14])] = [4]byte(rsp[10:14])
				}
				same := bytes.Equal(rsp, l.Msg)
				if randomContent[ord] {
					same = len(rsp) == len(l.Msg) && bytes.Equal(rsp[:HeaderLen], l.Msg[:HeaderLen])
				}
				if !same {
					t.Errorf("%s:%d %s %v:\n model % X\nswtpm % X", name, l.Line, l.Name, ord, rsp, l.Msg)
				}
				rsp = nil
			}
		}
	}
}

// HeaderLen is the TPM response header length.
const HeaderLen = tpm.HeaderSize

// referenceNV is the NV area of the reference "disabled" and "enabled"
// states: 0x11000, PPREAD|PPWRITE, 8 bytes, CA FE written.
func referenceNV() Option {
	return WithState(State{
		Permanent: factoryFlags(),
		Identity:  Libtpms(),
		NV: []NVState{{
			Public: tpm.NewNVDataPublic(0x11000, tpm.NVPerPPRead|tpm.NVPerPPWrite, 8),
			Data:   []byte{0xCA, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
		}},
	})
}

func TestReplaySwtpmBios(t *testing.T) {
	tests := []struct {
		name  string
		files []string
	}{
		{"first boot, same cycle, after reset", []string{
			"swtpm_bios/tpm12-factory-swtpm_bios.trace",
			"swtpm_bios/tpm12-factory-swtpm_bios-ea-samecycle.trace",
			"!reset",
			"swtpm_bios/tpm12-factory-swtpm_bios-ea-afterreset.trace",
		}},
		{"-ea -cs -u, second boot", []string{
			"swtpm_bios/tpm12-factory-swtpm_bios-ea.trace",
			"!reset",
			"swtpm_bios/tpm12-factory-swtpm_bios-ea-second-boot.trace",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(WithIdentity(Libtpms()))
			for _, f := range tt.files {
				if f == "!reset" {
					if err := e.Reset(); err != nil {
						t.Fatal(err)
					}
					continue
				}
				replay(t, e, f)
			}
		})
	}
}

func TestReplayTrousers(t *testing.T) {
	tests := []struct {
		file string
		opts []Option
	}{
		{"trousers/tcsd-startup.trace", []Option{Enabled()}},
		{"trousers/tpm12-fresh-tpm_version.trace", []Option{Enabled()}},
		{"trousers/tpm12-fresh-tpm_nvinfo.trace", []Option{Enabled()}},
		{"trousers/tpm12-fresh-tpm_nvinfo-n.trace", []Option{Enabled()}},
		{"trousers/tpm12-fresh-tpm_selftest.trace", []Option{Enabled()}},
		{"trousers/tpm12-fresh-tpm_getpubek.trace", []Option{Enabled()}},
		{"trousers/tpm12-disabled-tpm_version.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_nvinfo.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_nvinfo-n.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_nvread.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_selftest.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_getpubek.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_takeownership.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_setactive-a.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_setenable-e-f.trace", []Option{referenceNV()}},
		{"trousers/tpm12-enabled-tpm_version.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-enabled-tpm_nvinfo.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-enabled-tpm_nvinfo-n.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-enabled-tpm_nvread.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-enabled-tpm_selftest.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-enabled-tpm_getpubek.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-fresh-tpm_setactive-s.trace", []Option{Enabled()}},
		{"trousers/tpm12-disabled-tpm_setactive-s.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_setenable-s.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_setpresence-s.trace", []Option{referenceNV()}},
		{"trousers/tpm12-disabled-tpm_createek.trace", []Option{referenceNV()}},
		{"trousers/tpm12-enabled-tpm_setactive-s.trace", []Option{referenceNV(), Enabled()}},
		{"trousers/tpm12-enabled-tpm_setenable-s.trace", []Option{referenceNV(), Enabled()}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			opts := append([]Option{WithIdentity(Libtpms())}, tt.opts...)
			replay(t, New(append(opts, Started())...), tt.file)
		})
	}
}

// The raw swtpm session from CMD_INIT on a fresh state through NV, making
// the factory state, the physical-presence bring-up and the restart that
// clears deactivation (sections B to G2; the trousers runs in between sent
// their commands through tcsd and are replayed too).
func TestReplayRawSession(t *testing.T) {
	const name = "raw-transcripts/tpm12-raw-session.txt"
	lines, err := reftest.Read(filepath.Join(reftest.ReferenceDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	var sel []reftest.Line
	for _, l := range lines {
		if l.Section >= "B." && l.Section < "I." {
			sel = append(sel, l)
		}
	}
	if len(sel) < 100 {
		t.Fatalf("only %d lines in sections B-H of %s", len(sel), name)
	}
	replayLines(t, New(Enabled(), WithIdentity(Libtpms())), name, sel)
}
