package tpm20_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"testing"

	"tpmbench/lpcsim/engine/swtpm"
	"tpmbench/lpcsim/engine/tpm20"
	"tpmbench/tpm"
)

// capList is a TPM2_GetCapability answer taken apart: moreData and its entries (each the
// entry's key, the algorithm or command code, and its attributes).
type capList struct {
	more    bool
	entries map[uint32]uint32
	order   []uint32
}

// parseCapList reads the TPMS_CAPABILITY_DATA of a TPM_CAP_ALGS (entries of 6 bytes: ALG_ID,
// TPMA_ALGORITHM) or TPM_CAP_COMMANDS (4 bytes: TPMA_CC, command index in bits 15:0) answer.
func parseCapList(t *testing.T, c tpm.Cap2, out []byte) capList {
	t.Helper()
	r, err := tpm.ParseResponse(out)
	if err != nil || r.Code != 0 {
		t.Fatalf("GetCapability(%v): % X (%v)", c, out, err)
	}
	p := r.Params
	if len(p) < 9 || tpm.Cap2(binary.BigEndian.Uint32(p[1:5])) != c {
		t.Fatalf("GetCapability(%v): capability data % X", c, p)
	}
	l := capList{more: p[0] == 1, entries: map[uint32]uint32{}}
	n, p := binary.BigEndian.Uint32(p[5:9]), p[9:]
	size := 4
	if c == tpm.Cap2Algs {
		size = 6
	}
	if len(p) != int(n)*size {
		t.Fatalf("GetCapability(%v): %d entries in %d bytes", c, n, len(p))
	}
	for ; len(p) > 0; p = p[size:] {
		var key, attrs uint32
		if c == tpm.Cap2Algs {
			key, attrs = uint32(binary.BigEndian.Uint16(p)), binary.BigEndian.Uint32(p[2:])
		} else {
			attrs = binary.BigEndian.Uint32(p)
			key = attrs & 0xFFFF
		}
		l.entries[key] = attrs
		l.order = append(l.order, key)
	}
	return l
}

// TestCapabilitiesMatchSwtpm compares TPM_CAP_ALGS, TPM_CAP_COMMANDS and TPM_CAP_PCRS with a
// swtpm --tpm2 process (TPMBENCH_INTEGRATION=1). The model has fewer algorithms and commands
// than libtpms: every entry it lists must be in swtpm's list with the same attributes, every
// command it dispatches must be listed, and the answers whose content lies within what the
// model has must be byte for byte swtpm's.
func TestCapabilitiesMatchSwtpm(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("integration test: set TPMBENCH_INTEGRATION=1 (needs swtpm)")
	}
	if _, err := exec.LookPath("swtpm"); err != nil {
		t.Fatalf("TPMBENCH_INTEGRATION=1 but swtpm is missing (apt-get install swtpm swtpm-tools): %v", err)
	}
	real, err := swtpm.Start(context.Background(), swtpm.Config{TPM2: true})
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	model := tpm20.New(tpm20.WithIdentity(tpm20.Libtpms()))
	both := func(cmd []byte) (m, s []byte) {
		t.Helper()
		m, err := model.Execute(0, cmd)
		if err != nil {
			t.Fatalf("model: % X: %v", cmd, err)
		}
		s, err = real.Execute(0, cmd)
		if err != nil {
			t.Fatalf("swtpm: % X: %v", cmd, err)
		}
		return m, s
	}

	algs := func(first, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2Algs, first, count) }
	cmds := func(first, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2Commands, first, count) }
	pcrs := func(property, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2PCRs, property, count) }
	same := []struct {
		name string
		cmd  []byte
	}{
		{"algorithms before Startup", algs(0, 8)},
		{"commands before Startup", cmds(0, 8)},
		{"Startup", tpm.Startup2(tpm.SUClear)},
		{"sha1 alone, more", algs(0x04, 1)},
		{"sha256 and sha384, more", algs(0x0B, 2)},
		{"algorithms, count 0", algs(0, 0)},
		{"past the last algorithm", algs(0xFFFF, 5)},
		{"property 0x10004", algs(0x10004, 1)},
		{"SelfTest, Startup, Shutdown, more", cmds(0x143, 3)},
		{"NV_ReadPublic alone, more", cmds(0x169, 1)},
		{"GetCapability, GetRandom, GetTestResult, more", cmds(0x17A, 3)},
		{"commands, count 0", cmds(0, 0)},
		{"past the last command", cmds(0x198, 2)},
		{"bits above the command index", cmds(0x10144, 1)},
		{"vendor commands", cmds(0x20000000, 5)},
		{"PCR banks", pcrs(0, 1)},
		{"PCR banks, count 1000", pcrs(0, 1000)},
		{"PCR banks, count 0", pcrs(0, 0)},
		{"PCR banks, property 5", pcrs(5, 1)},
		{"PCR banks, property 0xFFFFFFFF", pcrs(0xFFFFFFFF, 1)},
	}
	for _, s := range same {
		if m, r := both(s.cmd); !bytes.Equal(m, r) {
			t.Errorf("%s:\n model % X\n swtpm % X", s.name, m, r)
		}
	}

	for _, c := range []tpm.Cap2{tpm.Cap2Algs, tpm.Cap2Commands} {
		m, r := both(tpm.GetCapability2(c, 0, 1000))
		ml, rl := parseCapList(t, c, m), parseCapList(t, c, r)
		if ml.more || rl.more {
			t.Errorf("%v: a list of 1000 was not enough (model more %v, swtpm more %v)", c, ml.more, rl.more)
		}
		for _, k := range ml.order {
			if got, ok := rl.entries[k]; !ok || got != ml.entries[k] {
				t.Errorf("%v: the model lists 0x%X with attributes 0x%08X; swtpm: present %v, 0x%08X", c, k, ml.entries[k], ok, got)
			}
		}
		if c == tpm.Cap2Algs {
			continue
		}
		// Every command the model runs (not TPM_RC_COMMAND_CODE) is listed.
		for cc := range uint32(0x200) {
			out, _ := model.Execute(0, []byte{0x80, 0x01, 0, 0, 0, 10, 0, 0, byte(cc >> 8), byte(cc)})
			if r, err := tpm.ParseResponse(out); err == nil && r.Code != uint32(tpm.RC2CommandCode) {
				if _, ok := ml.entries[cc]; !ok {
					t.Errorf("the model runs command 0x%X (answer 0x%X) but TPM_CAP_COMMANDS does not list it", cc, r.Code)
				}
			}
		}
	}
}
