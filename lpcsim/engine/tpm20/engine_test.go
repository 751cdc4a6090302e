package tpm20

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/tpm"
)

type step struct {
	name string
	cmd  []byte // nil: TPM_Init
	rc   uint32
	want string
}

func run(t *testing.T, e *Engine, steps []step) {
	t.Helper()
	for i, s := range steps {
		if s.cmd == nil {
			if err := e.Reset(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		out, err := e.Execute(0, s.cmd)
		if err != nil {
			t.Fatalf("step %d %s: %v", i, s.name, err)
		}
		r, err := tpm.ParseResponse(out)
		if err != nil {
			t.Fatalf("step %d %s: %v", i, s.name, err)
		}
		if r.Code != s.rc {
			t.Errorf("step %d %s: rc 0x%X, want 0x%X", i, s.name, r.Code, s.rc)
		}
		if s.want != "" {
			want, _ := hex.DecodeString(strings.ReplaceAll(s.want, " ", ""))
			if !bytes.Equal(out, want) {
				t.Errorf("step %d %s:\n got % X\nwant % X", i, s.name, out, want)
			}
		}
	}
}

func TestStartupAndInitialize(t *testing.T) {
	run(t, New(), []step{
		{"GetCapability before Startup", tpm.GetCapability2(tpm.Cap2TPMProperties, 0x105, 8), 0x100, "80 01 00 00 00 0A 00 00 01 00"},
		{"PCR_Read before Startup", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA256, 0)), 0x100, ""},
		{"TPM 1.2 command (libtpms: TPM_RC_VALUE)", tpm.Startup(tpm.STClear), 0x84, "80 01 00 00 00 0A 00 00 00 84"},
		{"Startup", tpm.Startup2(tpm.SUClear), 0, "80 01 00 00 00 0A 00 00 00 00"},
		{"second Startup", tpm.Startup2(tpm.SUClear), 0x100, "80 01 00 00 00 0A 00 00 01 00"},
		{"unknown command", []byte{0x80, 1, 0, 0, 0, 10, 0, 0, 0x01, 0x99}, 0x143, ""},
		{"size lies", []byte{0x80, 1, 0, 0, 0, 12, 0, 0, 0x01, 0x7C}, 0x142, ""},
		{"SelfTest", tpm.SelfTest2(true), 0, "80 01 00 00 00 0A 00 00 00 00"},
		{"GetTestResult", tpm.GetTestResult2(), 0, "80 01 00 00 00 10 00 00 00 00 00 00 00 00 00 00"},
		{"NV_ReadPublic", tpm.NVReadPublic2(0x01500000), 0x18B, ""},
		{"unsupported capability", tpm.GetCapability2(tpm.Cap2ECCCurves, 0, 8), 0x1C4, ""},
		{"TPM_Init", nil, 0, ""},
		{"Startup(STATE) without saved state", tpm.Startup2(tpm.SUState), 0x1C4, ""},
		{"Startup after Init", tpm.Startup2(tpm.SUClear), 0, ""},
	})
}

// TestCheckOrder pins libtpms's order of checks and its codes for malformed
// commands, as measured on swtpm --tpm2 (the integration comparison runs
// the same and more against swtpm itself).
func TestCheckOrder(t *testing.T) {
	h := func(s string) []byte { return hexb(t, s) }
	run(t, New(WithIdentity(Libtpms())), []step{
		{"unknown command code before Startup", h("8001 0000000A 000001FF"), 0x143, ""},
		{"extra bytes before Startup", h("8001 0000000B 0000017C 00"), 0x100, ""},
		{"Startup, sessions tag, no authorization area", h("8002 0000000C 00000144 0000"), 0x09A, ""},
		{"Startup with a password session", h("8002 00000019 00000144 00000009 40000009 0000 00 0000 0000"), 0x145, ""},
		{"Startup with 1 parameter byte", h("8001 0000000B 00000144 00"), 0x1DA, ""},
		{"Startup(5) with extra byte", h("8001 0000000D 00000144 0005 00"), 0x1C4, ""},
		{"Startup(STATE) with extra byte", h("8001 0000000D 00000144 0001 00"), 0x095, ""},
		{"Startup", tpm.Startup2(tpm.SUClear), 0, ""},
		{"second Startup, sessions tag", h("8002 0000000C 00000144 0000"), 0x100, ""},
		{"SelfTest(fullTest=2)", h("8001 0000000B 00000143 02"), 0x1C4, ""},
		{"SelfTest(fullTest=2) with extra byte", h("8001 0000000C 00000143 0200"), 0x1C4, ""},
		{"SelfTest without parameter", h("8001 0000000A 00000143"), 0x1DA, ""},
		{"GetTestResult with extra byte", h("8001 0000000B 0000017C 00"), 0x095, ""},
		{"GetCapability without count", h("8001 00000012 0000017A 00000006 00000105"), 0x3DA, ""},
		{"GetCapability(0x99) short", h("8001 00000012 0000017A 00000099 00000105"), 0x1C4, ""},
		{"PCR_Read count 5", h("8001 0000000E 0000017E 00000005"), 0x1D5, ""},
		{"PCR_Read sizeofSelect 4", h("8001 00000015 0000017E 00000001 000B 04 01000000"), 0x1C4, ""},
		{"PCR_Read hash 0x99 with extra byte", h("8001 00000015 0000017E 00000001 0099 03 010000 00"), 0x1C3, ""},
		{"PCR_Read with extra byte", h("8001 00000015 0000017E 00000001 000B 03 010000 00"), 0x095, ""},
		{"NV_ReadPublic with extra byte", h("8001 0000000F 00000169 01500000 00"), 0x18B, ""},
		{"NV_ReadPublic short handle", h("8001 0000000C 00000169 0150"), 0x19A, ""},
		{"GetTestResult, sessions tag, no authorization area", h("8002 0000000A 0000017C"), 0x09A, ""},
		{"GetCapability, sessions tag, no authorization area", h("8002 00000016 0000017A 00000006 00000105 00000001"), 0x095, ""},
		{"NV_ReadPublic, sessions tag, no authorization area", h("8002 0000000E 00000169 01500000"), 0x18B, ""},
		{"GetTestResult with a password session", h("8002 00000017 0000017C 00000009 40000009 0000 00 0000"), 0x98B, ""},
		{"GetTestResult, one byte of a second session", h("8002 00000018 0000017C 0000000A 40000009 0000 00 0000 00"), 0xA9A, ""},
		{"GetTestResult, four password sessions", h("8002 00000032 0000017C 00000024" + strings.Repeat(" 40000009 0000 00 0000", 4)), 0xC95, ""},
		{"GetTestResult, session nonce overruns", h("8002 00000017 0000017C 00000009 40000009 0001 00 0000"), 0x99A, ""},
		{"GetTestResult, HMAC session not loaded", h("8002 00000017 0000017C 00000009 02000000 0000 00 0000"), 0x918, ""},
		{"GetTestResult, transient handle as session", h("8002 00000017 0000017C 00000009 80000000 0000 00 0000"), 0x984, ""},
		{"unknown command code", h("8001 0000000A 000001FF"), 0x143, ""},
	})
}

// TestPCRUpdateCounter checks pcrUpdateCounter after TPM2_Startup(SU_CLEAR):
// the 24 PCR resets count except those of PCRs 16 and 21-23, as swtpm
// answers (0x14), with any bank allocation and after every TPM_Init.
func TestPCRUpdateCounter(t *testing.T) {
	read := tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA256, 0))
	for n, e := range []*Engine{New(), New(WithIdentity(Libtpms())), New(Started())} {
		for range 2 {
			if !e.started {
				if _, err := e.Execute(0, tpm.Startup2(tpm.SUClear)); err != nil {
					t.Fatal(err)
				}
			}
			out, _ := e.Execute(0, read)
			r, err := tpm.ParseResponse(out)
			if err != nil {
				t.Fatal(err)
			}
			var res tpm.PCRRead2Result
			if err := res.Unmarshal(r.Params); err != nil {
				t.Fatal(err)
			}
			if res.UpdateCounter != 20 {
				t.Errorf("engine %d: pcrUpdateCounter after Startup = %d, want 20", n, res.UpdateCounter)
			}
			if err := e.Reset(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestSLB9665Identity(t *testing.T) {
	e := New(Started())
	out, _ := e.Execute(0, tpm.GetCapability2(tpm.Cap2TPMProperties, uint32(tpm.PTManufacturer), 8))
	r, _ := tpm.ParseResponse(out)
	c, err := tpm.ParseGetCapability2(r)
	if err != nil {
		t.Fatal(err)
	}
	get := func(p tpm.PT) uint32 { v, _ := c.Get(p); return v }
	if tpm.PropertyText(get(tpm.PTManufacturer)) != "IFX" || tpm.PropertyText(get(tpm.PTVendorString1)) != "SLB9" ||
		tpm.PropertyText(get(tpm.PTVendorString2)) != "665" || get(tpm.PTFirmwareVersion1) != 0x50000 ||
		get(tpm.PTFirmwareVersion2) != 0x44102 || !c.MoreData || len(c.Properties) != 8 {
		t.Errorf("SLB9665 properties: %+v", c)
	}
	tests := []struct {
		prop, count uint32
		n           int
		more        bool
	}{
		{0x100, 127, 46, false},
		{0x12E, 5, 1, false},
		{0x200, 127, 21, false},
		{0x200, 2, 2, true},
		{0x300, 10, 0, false},
	}
	for _, tt := range tests {
		out, _ := e.Execute(0, tpm.GetCapability2(tpm.Cap2TPMProperties, tt.prop, tt.count))
		r, _ := tpm.ParseResponse(out)
		c, err := tpm.ParseGetCapability2(r)
		if err != nil || len(c.Properties) != tt.n || c.MoreData != tt.more {
			t.Errorf("GetCapability(0x%X, %d): %d properties, more %v, %v", tt.prop, tt.count, len(c.Properties), c.MoreData, err)
		}
	}
}

// TestGetCapabilityHandles: the answers libtpms (swtpm) gives a fresh TPM with no NV indices.
func TestGetCapabilityHandles(t *testing.T) {
	h := func(first, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2Handles, first, count) }
	const empty = "80 01 00 00 00 13 00 00 00 00 00 00 00 00 01 00 00 00 00"
	var pcrs strings.Builder
	for i := range 24 {
		fmt.Fprintf(&pcrs, " 00 00 00 %02X", i)
	}
	run(t, New(), []step{
		{"before Startup", h(0x01000000, 64), 0x100, ""},
		{"Startup", tpm.Startup2(tpm.SUClear), 0, ""},
		{"NV indices", h(0x01000000, 64), 0, empty},
		{"NV indices, count 0", h(0x01000000, 0), 0, empty},
		{"NV indices from the last", h(0x01FFFFFF, 1), 0, empty},
		{"transient objects", h(0x80000000, 10), 0, empty},
		{"persistent objects", h(0x81000000, 10), 0, empty},
		{"HMAC sessions", h(0x02000000, 10), 0, empty},
		{"policy sessions", h(0x03000000, 10), 0, empty},
		{"all PCRs", h(0, 64), 0, "80 01 00 00 00 73 00 00 00 00 00 00 00 00 01 00 00 00 18" + pcrs.String()},
		{"three PCRs, more", h(0, 3), 0, "80 01 00 00 00 1F 00 00 00 00 01 00 00 00 01 00 00 00 03 00 00 00 00 00 00 00 01 00 00 00 02"},
		{"count 0 with PCRs left: more", h(0, 0), 0, "80 01 00 00 00 13 00 00 00 00 01 00 00 00 01 00 00 00 00"},
		{"the last two PCRs", h(0x16, 5), 0, "80 01 00 00 00 1B 00 00 00 00 00 00 00 00 01 00 00 00 02 00 00 00 16 00 00 00 17"},
		{"exactly the last PCR: no more", h(0x17, 1), 0, "80 01 00 00 00 17 00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 17"},
		{"past the PCRs", h(0x18, 1), 0, empty},
		{"permanent handles", h(0x40000000, 100), 0, "80 01 00 00 00 2F 00 00 00 00 00 00 00 00 01 00 00 00 07 " +
			"40 00 00 01 40 00 00 07 40 00 00 09 40 00 00 0A 40 00 00 0B 40 00 00 0C 40 00 00 0D"},
		{"two permanent, more", h(0x40000000, 2), 0, "80 01 00 00 00 1B 00 00 00 00 01 00 00 00 01 00 00 00 02 40 00 00 01 40 00 00 07"},
		{"from TPM_RS_PW", h(0x40000009, 1), 0, "80 01 00 00 00 17 00 00 00 00 01 00 00 00 01 00 00 00 01 40 00 00 09"},
		{"attached components", h(0x90000000, 10), 0x2CB, "80 01 00 00 00 0A 00 00 02 CB"},
		{"reserved type 0x05", h(0x05000000, 1), 0x2CB, ""},
		{"reserved type 0xFF", h(0xFF000000, 1), 0x2CB, ""},
	})
}

// TestGetCapabilityAlgsCommandsPCRs: TPM_CAP_ALGS, TPM_CAP_COMMANDS and TPM_CAP_PCRS as
// libtpms (swtpm --tpm2) encodes them, for the algorithms and commands the model has. The
// answers whose content lies within what the model has are the bytes swtpm gave; the
// integration comparison checks them, and every entry of the full lists, against swtpm itself.
func TestGetCapabilityAlgsCommandsPCRs(t *testing.T) {
	algs := func(first, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2Algs, first, count) }
	cmds := func(first, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2Commands, first, count) }
	pcrs := func(property, count uint32) []byte { return tpm.GetCapability2(tpm.Cap2PCRs, property, count) }
	const banks = "00 00 00 04 00 04 03 FF FF FF 00 0B 03 FF FF FF 00 0C 03 FF FF FF 00 0D 03 FF FF FF"
	run(t, New(WithIdentity(Libtpms())), []step{
		{"algorithms before Startup", algs(0, 8), 0x100, ""},
		{"Startup", tpm.Startup2(tpm.SUClear), 0, ""},
		{"all algorithms", algs(0, 200), 0, "80 01 00 00 00 2B 00 00 00 00 00 00 00 00 00 00 00 00 04 " +
			"00 04 00 00 00 04 00 0B 00 00 00 04 00 0C 00 00 00 04 00 0D 00 00 00 04"},
		{"sha256 and sha384, more", algs(0x0B, 2), 0, "80 01 00 00 00 1F 00 00 00 00 01 00 00 00 00 00 00 00 02 00 0B 00 00 00 04 00 0C 00 00 00 04"},
		{"algorithms, count 0: more", algs(0, 0), 0, "80 01 00 00 00 13 00 00 00 00 01 00 00 00 00 00 00 00 00"},
		{"past the last algorithm", algs(0xFFFF, 5), 0, "80 01 00 00 00 13 00 00 00 00 00 00 00 00 00 00 00 00 00"},
		{"property is a TPM_ALG_ID: 0x10004 is sha1", algs(0x10004, 1), 0, "80 01 00 00 00 19 00 00 00 00 01 00 00 00 00 00 00 00 01 00 04 00 00 00 04"},
		{"all commands", cmds(0, 300), 0, "80 01 00 00 00 33 00 00 00 00 00 00 00 00 02 00 00 00 08 " +
			"00 40 01 43 00 40 01 44 00 40 01 45 02 00 01 69 00 00 01 7A 00 00 01 7B 00 00 01 7C 00 00 01 7E"},
		{"Startup alone, more", cmds(0x144, 1), 0, "80 01 00 00 00 17 00 00 00 00 01 00 00 00 02 00 00 00 01 00 40 01 44"},
		{"three from GetCapability, more", cmds(0x17A, 3), 0, "80 01 00 00 00 1F 00 00 00 00 01 00 00 00 02 00 00 00 03 00 00 01 7A 00 00 01 7B 00 00 01 7C"},
		{"commands, count 0: more", cmds(0, 0), 0, "80 01 00 00 00 13 00 00 00 00 01 00 00 00 02 00 00 00 00"},
		{"past the last command", cmds(0x198, 2), 0, "80 01 00 00 00 13 00 00 00 00 00 00 00 00 02 00 00 00 00"},
		{"bits above the command index", cmds(0x10144, 1), 0, "80 01 00 00 00 13 00 00 00 00 00 00 00 00 02 00 00 00 00"},
		{"vendor commands", cmds(0x20000000, 5), 0, "80 01 00 00 00 13 00 00 00 00 00 00 00 00 02 00 00 00 00"},
		{"PCR banks", pcrs(0, 1), 0, "80 01 00 00 00 2B 00 00 00 00 00 00 00 00 05 " + banks},
		{"PCR banks, any count", pcrs(0, 1000), 0, "80 01 00 00 00 2B 00 00 00 00 00 00 00 00 05 " + banks},
		{"PCR banks, count 0: more", pcrs(0, 0), 0, "80 01 00 00 00 13 00 00 00 00 01 00 00 00 05 00 00 00 00"},
		{"PCR banks, property 5", pcrs(5, 1), 0x2C4, "80 01 00 00 00 0A 00 00 02 C4"},
	})
}

// TestCommandListMatchesCommands: TPM_CAP_COMMANDS lists exactly the commands the model
// dispatches, ascending, as the TPM specification orders TPML_CCA.
func TestCommandListMatchesCommands(t *testing.T) {
	if len(commandList) != len(commands) {
		t.Errorf("TPM_CAP_COMMANDS lists %d commands, the model dispatches %d", len(commandList), len(commands))
	}
	for i, cca := range commandList {
		cc := tpm.CommandCode(cca & 0xFFFF)
		if _, ok := commands[cc]; !ok {
			t.Errorf("TPM_CAP_COMMANDS lists 0x%X, which the model does not dispatch", uint32(cc))
		}
		if i > 0 && cca&0xFFFF <= commandList[i-1]&0xFFFF {
			t.Errorf("TPM_CAP_COMMANDS entry %d (0x%08X) does not ascend", i, cca)
		}
	}
}

func TestPCRRead(t *testing.T) {
	e := New(Started())
	out, _ := e.Execute(0, tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA1, 0, 17), tpm.NewPCRSelection(tpm.AlgSHA256, 0, 1, 2, 3, 4, 5, 6, 7), tpm.NewPCRSelection(tpm.AlgSHA384, 0)))
	r, _ := tpm.ParseResponse(out)
	var res tpm.PCRRead2Result
	if err := res.Unmarshal(r.Params); err != nil {
		t.Fatal(err)
	}
	if len(res.Digests) != 8 || len(res.Digests[0]) != 20 || !bytes.Equal(res.Digests[1], bytes.Repeat([]byte{0xFF}, 20)) ||
		len(res.Digests[2]) != 32 || len(res.Selections) != 3 {
		t.Fatalf("PCR_Read: %d digests, selections %+v", len(res.Digests), res.Selections)
	}
	if got := res.Selections[1].PCRs(); len(got) != 6 || got[5] != 5 {
		t.Errorf("sha256 selection out %v, want 0..5 (8 digests in all)", got)
	}
	if len(res.Selections[2].PCRs()) != 0 {
		t.Errorf("unallocated sha384 bank answered %v", res.Selections[2].PCRs())
	}
}

func TestGetRandom(t *testing.T) {
	a, _ := New(Started()).Execute(0, tpm.GetRandom2(100))
	b, _ := New(Started(), WithSeed(2)).Execute(0, tpm.GetRandom2(100))
	if len(a) != 10+2+64 || bytes.Equal(a, b) {
		t.Errorf("GetRandom(100): % X / % X", a, b)
	}
	if _, err := New().Execute(7, tpm.GetRandom2(1)); err == nil {
		t.Error("locality 7 accepted")
	}
}

// Replays the tpm2-tools traces against the model with swtpm's identity.
func TestReplayTPM2Tools(t *testing.T) {
	ref := reftest.ReferenceDir(t)
	tests := []struct {
		file    string
		started bool
	}{
		{"tpm2-nostartup-tpm2_getcap-properties-fixed.trace", false},
		{"tpm2-nostartup-tpm2_startup.trace", false},
		{"tpm2-tpm2_getcap-properties-fixed.trace", true},
		{"tpm2-tpm2_getcap-properties-variable.trace", true},
		{"tpm2-tpm2_gettestresult.trace", true},
		{"tpm2-tpm2_selftest.trace", true},
		{"tpm2-tpm2_pcrread-sha256-0-7.trace", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			opts := []Option{WithIdentity(Libtpms())}
			if tt.started {
				opts = append(opts, Started())
			}
			e := New(opts...)
			lines, err := reftest.Read(filepath.Join(ref, "tpm2-tools", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var out []byte
			var cc tpm.CommandCode
			for _, l := range lines {
				switch l.Kind {
				case reftest.Command:
					c, _ := tpm.ParseCommand(l.Msg)
					cc = c.CommandCode()
					out, _ = e.Execute(0, l.Msg)
				case reftest.Response:
					if !bytes.Equal(out, l.Msg) {
						t.Errorf("%s:%d %v:\n model % X\nswtpm % X", tt.file, l.Line, cc, out, l.Msg)
					}
				}
			}
		})
	}
}

func FuzzExecute(f *testing.F) {
	for _, c := range [][]byte{tpm.Startup2(0), tpm.GetCapability2(6, 0x100, 127), tpm.GetCapability2(tpm.Cap2Handles, 0, 3),
		tpm.GetCapability2(tpm.Cap2Algs, 0x10004, 2), tpm.GetCapability2(tpm.Cap2Commands, 0x17A, 3), tpm.GetCapability2(tpm.Cap2PCRs, 0, 0), tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA1, 1)), tpm.GetRandom2(9)} {
		f.Add(false, c)
	}
	for _, h := range []string{
		"8002 00000020 0000017C 00000012 02000000 0000 00 0000 40000009 0000 00 0000",
		"8002 00000021 0000017E 00000009 40000009 0000 00 0000 00000001 000B 03 010000",
		"8001 00000015 0000017E 00000001 000B 04 01000000",
	} {
		b, _ := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
		f.Add(true, b)
	}
	f.Fuzz(func(t *testing.T, started bool, cmd []byte) {
		var opts []Option
		if started {
			opts = append(opts, Started())
		}
		out, err := New(opts...).Execute(0, cmd)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tpm.ParseResponse(out); err != nil {
			t.Fatalf("response to % X: %v", cmd, err)
		}
	})
}

func hexb(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
