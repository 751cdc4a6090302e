package tpm12

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"tpmbench/tpm"
)

// step is one command of a scripted sequence, or a reset when cmd is nil.
type step struct {
	name string
	cmd  []byte
	rc   tpm.RC
	want string // expected full response in hex, when the content is fixed
}

func reset() step { return step{name: "TPM_Init"} }

func run(t *testing.T, e *Engine, steps []step) {
	t.Helper()
	for i, s := range steps {
		if s.cmd == nil {
			if err := e.Reset(); err != nil {
				t.Fatalf("step %d: Reset: %v", i, err)
			}
			continue
		}
		rsp, err := e.Execute(0, s.cmd)
		if err != nil {
			t.Fatalf("step %d %s: %v", i, s.name, err)
		}
		r, err := tpm.ParseResponse(rsp)
		if err != nil {
			t.Fatalf("step %d %s: %v", i, s.name, err)
		}
		if tpm.RC(r.Code) != s.rc {
			t.Errorf("step %d %s: rc %v, want %v", i, s.name, tpm.RC(r.Code), s.rc)
		}
		if s.want != "" {
			want, _ := hex.DecodeString(strings.ReplaceAll(s.want, " ", ""))
			if !bytes.Equal(rsp, want) {
				t.Errorf("step %d %s:\n got % X\nwant % X", i, s.name, rsp, want)
			}
		}
	}
}

func TestPostInit(t *testing.T) {
	run(t, New(), []step{
		{"PCRRead before Startup", tpm.PCRRead(0), tpm.RCInvalidPostinit, "00 C4 00 00 00 0A 00 00 00 26"},
		{"GetCapability before Startup", tpm.GetCapProperty(tpm.PropTISTimeout), tpm.RCInvalidPostinit, ""},
		{"unknown ordinal before Startup", []byte{0, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0xFF, 0xFF}, tpm.RCBadOrdinal, ""},
		{"Startup", tpm.Startup(tpm.STClear), 0, "00 C4 00 00 00 0A 00 00 00 00"},
		{"second Startup", tpm.Startup(tpm.STClear), tpm.RCInvalidPostinit, "00 C4 00 00 00 0A 00 00 00 26"},
		{"unknown ordinal", []byte{0, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0xFF, 0xFF}, tpm.RCBadOrdinal, ""},
		{"TPM 2.0 command", tpm.Startup2(tpm.SUClear), tpm.RCBadOrdinal, "00 C4 00 00 00 0A 00 00 00 0A"},
		{"TPM 2.0 tag, 1.2 ordinal", []byte{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0, 0x53}, tpm.RCBadTag, "00 C4 00 00 00 0A 00 00 00 1E"},
		{"size lies", []byte{0, 0xC1, 0, 0, 0, 0x20, 0, 0, 0, 0x53}, tpm.RCBadParamSize, ""},
		{"extra parameter", append(tpm.ContinueSelfTest()[:5:5], 0x0B, 0, 0, 0, 0x53, 0), tpm.RCBadParamSize, ""},
		reset(),
		{"Startup after Init", tpm.Startup(tpm.STClear), 0, ""},
	})
}

// The factory state and the physical-presence bring-up, with the return
// codes swtpm gave for the same sequence.
func TestFactoryBringUp(t *testing.T) {
	e := New()
	run(t, e, []step{
		{"Startup", tpm.Startup(tpm.STClear), 0, ""},
		{"VERSION_VAL works while disabled", tpm.GetCapVersionVal(), 0,
			"00 C4 00 00 00 22 00 00 00 00 00 00 00 14 00 30 01 02 03 13 00 02 02 49 46 58 00 00 05 03 13 00 0B 00"},
		{"MANUFACTURER", tpm.GetCapProperty(tpm.PropManufacturer), 0, "00 C4 00 00 00 12 00 00 00 00 00 00 00 04 49 46 58 00"},
		{"FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent), 0,
			"00 C4 00 00 00 24 00 00 00 00 00 00 00 16 00 1F 01 01 01 01 00 01 00 00 00 00 00 00 00 00 01 00 00 00 00 00"},
		{"FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile), 0, "00 C4 00 00 00 15 00 00 00 00 00 00 00 07 00 20 01 00 00 00 00"},
		{"ContinueSelfTest works while disabled", tpm.ContinueSelfTest(), 0, ""},
		{"PCRRead disabled", tpm.PCRRead(0), tpm.RCDisabled, "00 C4 00 00 00 0A 00 00 00 07"},
		{"GetRandom disabled", tpm.GetRandom(8), tpm.RCDisabled, ""},
		{"PhysicalEnable without PP", tpm.PhysicalEnable(), tpm.RCBadPresence, ""},
		{"PRESENT before CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPPresent), tpm.RCBadParameter, ""},
		{"SetDeactivated while disabled", tpm.PhysicalSetDeactivated(false), tpm.RCDisabled, ""},
		{"CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPCMDEnable), 0, ""},
		{"PRESENT", tpm.TSCPhysicalPresence(tpm.PPPresent), 0, ""},
		{"FLAG volatile PP", tpm.GetCapFlag(tpm.CapFlagVolatile), 0, "00 C4 00 00 00 15 00 00 00 00 00 00 00 07 00 20 01 00 01 00 00"},
		{"PhysicalEnable", tpm.PhysicalEnable(), 0, ""},
		{"PCRRead deactivated", tpm.PCRRead(0), tpm.RCDeactivated, "00 C4 00 00 00 0A 00 00 00 06"},
		{"GetRandom deactivated", tpm.GetRandom(8), tpm.RCDeactivated, ""},
		{"SetDeactivated(FALSE)", tpm.PhysicalSetDeactivated(false), 0, ""},
		{"FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent), 0,
			"00 C4 00 00 00 24 00 00 00 00 00 00 00 16 00 1F 00 01 00 01 00 01 00 00 01 00 00 00 00 00 01 00 00 00 00 00"},
		{"still deactivated", tpm.PCRRead(0), tpm.RCDeactivated, ""},
		{"Startup without reset", tpm.Startup(tpm.STClear), tpm.RCInvalidPostinit, ""},
		{"CMD_ENABLE again", tpm.TSCPhysicalPresence(tpm.PPCMDEnable), 0, ""},
		{"NOTPRESENT|LOCK", tpm.TSCPhysicalPresence(tpm.PPNotPresent | tpm.PPLock), 0, ""},
		{"PRESENT after LOCK", tpm.TSCPhysicalPresence(tpm.PPPresent), tpm.RCBadParameter, ""},
		reset(),
		{"Startup", tpm.Startup(tpm.STClear), 0, ""},
		{"FLAG volatile cleared", tpm.GetCapFlag(tpm.CapFlagVolatile), 0, "00 C4 00 00 00 15 00 00 00 00 00 00 00 07 00 20 00 00 00 00 00"},
		{"PCRRead 0", tpm.PCRRead(0), 0, "00 C4 00 00 00 1E 00 00 00 00" + strings.Repeat("00", 20)},
		{"PCRRead 17", tpm.PCRRead(17), 0, "00 C4 00 00 00 1E 00 00 00 00" + strings.Repeat("FF", 20)},
		{"PCRRead 24", tpm.PCRRead(24), tpm.RCBadIndex, ""},
		{"GetRandom", tpm.GetRandom(8), 0, ""},
	})
	if st := e.State(); st.Permanent.Disable || st.Permanent.Deactivated || !st.Permanent.PhysicalPresenceCMDEnable {
		t.Errorf("permanent flags after bring-up: %+v", st.Permanent)
	}
}

// Making the factory state from an enabled TPM, as done for the reference
// state file: deactivate first, then disable.
func TestDisableDeactivate(t *testing.T) {
	run(t, New(Enabled(), Started()), []step{
		{"CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPCMDEnable), 0, ""},
		{"PRESENT", tpm.TSCPhysicalPresence(tpm.PPPresent), 0, ""},
		{"SetDeactivated(TRUE)", tpm.PhysicalSetDeactivated(true), 0, ""},
		{"PhysicalDisable", tpm.PhysicalDisable(), 0, ""},
		{"SetDeactivated while disabled", tpm.PhysicalSetDeactivated(true), tpm.RCDisabled, ""},
		{"PCRRead disabled at once", tpm.PCRRead(0), tpm.RCDisabled, ""},
		{"CMD_DISABLE", tpm.TSCPhysicalPresence(tpm.PPCMDDisable), 0, ""},
		reset(),
		{"Startup", tpm.Startup(tpm.STClear), 0, ""},
		{"FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent), 0,
			"00 C4 00 00 00 24 00 00 00 00 00 00 00 16 00 1F 01 01 01 01 00 01 00 00 00 00 00 00 00 00 01 00 00 00 00 00"},
		{"FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile), 0, "00 C4 00 00 00 15 00 00 00 00 00 00 00 07 00 20 01 00 00 00 00"},
	})
}

// Startup variants, with libtpms's return codes: a failed Startup still
// uses up the one Startup after TPM_Init.
func TestStartupVariants(t *testing.T) {
	run(t, New(Enabled()), []step{
		{"Startup(ST_DEACTIVATED)", tpm.Startup(tpm.STDeactivated), 0, ""},
		{"PCRRead", tpm.PCRRead(0), tpm.RCDeactivated, ""},
		reset(),
		{"Startup(ST_STATE) with nothing saved", tpm.Startup(tpm.STState), tpm.RCFailedSelfTest, ""},
		{"failure mode", tpm.PCRRead(0), tpm.RCFailedSelfTest, ""},
		{"failure mode GetCapability", tpm.GetCapVersion(), tpm.RCFailedSelfTest, ""},
		{"Startup in failure mode", tpm.Startup(tpm.STClear), tpm.RCInvalidPostinit, ""},
		reset(),
		{"Startup(7)", tpm.Startup(7), tpm.RCBadParameter, ""},
		{"Startup after a failed Startup", tpm.Startup(tpm.STClear), tpm.RCInvalidPostinit, ""},
		reset(),
		{"Startup(ST_CLEAR) with 2 extra bytes", hexb("00C10000000E0000009900010000"), tpm.RCBadParamSize, ""},
		{"Startup after one with extra bytes", tpm.Startup(tpm.STClear), tpm.RCInvalidPostinit, ""},
		{"started by it", tpm.PCRRead(0), 0, ""},
		reset(),
		{"Startup(ST_STATE) with 2 extra bytes", hexb("00C10000000E0000009900020000"), tpm.RCBadParamSize, ""},
		{"no failure mode", tpm.PCRRead(0), 0, ""},
		reset(),
		{"Startup with 1 parameter byte", hexb("00C10000000B0000009900"), tpm.RCBadParamSize, ""},
		{"Startup after a short one", tpm.Startup(tpm.STClear), tpm.RCInvalidPostinit, ""},
		{"Startup with extra bytes once started", hexb("00C10000000E0000009900010000"), tpm.RCBadParamSize, ""},
		reset(),
		{"Startup(ST_CLEAR)", tpm.Startup(tpm.STClear), 0, ""},
		{"PCRRead", tpm.PCRRead(0), 0, ""},
	})
	// On a deactivated TPM a failed Startup leaves the STCLEAR flags clear.
	run(t, New(), []step{
		{"Startup(7)", tpm.Startup(7), tpm.RCBadParameter, ""},
		{"FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile), 0, "00 C4 00 00 00 15 00 00 00 00 00 00 00 07 00 20 00 00 00 00 00"},
		reset(),
		{"Startup(ST_CLEAR) with 2 extra bytes", hexb("00C10000000E0000009900010000"), tpm.RCBadParamSize, ""},
		{"FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile), 0, "00 C4 00 00 00 15 00 00 00 00 00 00 00 07 00 20 00 00 00 00 00"},
	})
}

func TestPhysicalPresenceRules(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		pp   tpm.PhysicalPresence
		rc   tpm.RC
	}{
		{"zero", nil, 0, tpm.RCBadParameter},
		{"unknown bit", nil, 0x8000, tpm.RCBadParameter},
		{"CMD_ENABLE|CMD_DISABLE", nil, tpm.PPCMDEnable | tpm.PPCMDDisable, tpm.RCBadParameter},
		{"HW_ENABLE", nil, tpm.PPHWEnable, 0},
		{"permanent with PRESENT", nil, tpm.PPCMDEnable | tpm.PPPresent, tpm.RCBadParameter},
		{"LIFETIME_LOCK|CMD_ENABLE", nil, tpm.PPLifetimeLock | tpm.PPCMDEnable, 0},
		{"CMD_ENABLE after lifetime lock", []Option{LifetimeLocked()}, tpm.PPCMDEnable, tpm.RCBadParameter},
		{"PRESENT after lifetime lock with CMD enabled", []Option{LifetimeLocked()}, tpm.PPPresent, 0},
		{"PRESENT|NOTPRESENT", []Option{LifetimeLocked()}, tpm.PPPresent | tpm.PPNotPresent, tpm.RCBadParameter},
		{"PRESENT|LOCK", []Option{LifetimeLocked()}, tpm.PPPresent | tpm.PPLock, tpm.RCBadParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(append(tt.opts, Started())...)
			run(t, e, []step{{tt.name, tpm.TSCPhysicalPresence(tt.pp), tt.rc, ""}})
		})
	}
}

func TestExtend(t *testing.T) {
	digest := [20]byte{1, 2, 3}
	// SHA1(20 zero bytes || 01 02 03 00...)
	run(t, New(Enabled(), Started()), []step{
		{"Extend 0", tpm.Extend(0, digest), 0, ""},
		{"Extend 17 from locality 0", tpm.Extend(17, digest), tpm.RCBadLocality, ""},
		{"Extend 24", tpm.Extend(24, digest), tpm.RCBadIndex, ""},
	})
	e := New(Enabled(), Started())
	a, _ := e.Execute(0, tpm.Extend(0, digest))
	b, _ := e.Execute(0, tpm.PCRRead(0))
	if !bytes.Equal(a[10:], b[10:]) || bytes.Equal(b[10:], make([]byte, 20)) {
		t.Errorf("Extend answered % X, PCRRead % X", a, b)
	}
	if rsp, _ := e.Execute(4, tpm.Extend(17, digest)); tpm.RC(rsp[9]) != 0 {
		t.Errorf("Extend 17 from locality 4: % X", rsp)
	}
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	e.Execute(0, tpm.Startup(tpm.STClear))
	if rsp, _ := e.Execute(0, tpm.PCRRead(0)); !bytes.Equal(rsp[10:], make([]byte, 20)) {
		t.Errorf("PCR 0 not reset by TPM_Init: % X", rsp)
	}
	if _, err := e.Execute(5, tpm.PCRRead(0)); err == nil {
		t.Error("locality 5 accepted")
	}
}

func TestGetRandomReproducible(t *testing.T) {
	get := func(seed uint64) []byte {
		e := New(Enabled(), Started(), WithSeed(seed))
		rsp, _ := e.Execute(0, tpm.GetRandom(16))
		return rsp
	}
	a, b, c := get(1), get(1), get(2)
	if len(a) != 10+4+16 || !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Errorf("GetRandom: % X / % X / % X", a, b, c)
	}
}

func TestCapabilities(t *testing.T) {
	e := New(Started())
	tests := []struct {
		name string
		cmd  []byte
		rc   tpm.RC
		want string
	}{
		{"VERSION", tpm.GetCapVersion(), 0, "00 C4 00 00 00 12 00 00 00 00 00 00 00 04 01 01 00 00"},
		{"PCR", tpm.GetCapProperty(tpm.PropPCR), 0, "00 C4 00 00 00 12 00 00 00 00 00 00 00 04 00 00 00 18"},
		{"OWNER", tpm.GetCapProperty(tpm.PropOwner), 0, "00 C4 00 00 00 0F 00 00 00 00 00 00 00 01 00"},
		{"TIS_TIMEOUT", tpm.GetCapProperty(tpm.PropTISTimeout), 0,
			"00 C4 00 00 00 1E 00 00 00 00 00 00 00 10 00 0B 71 B0 00 1E 84 80 00 0B 71 B0 00 0B 71 B0"},
		{"DURATION", tpm.GetCapProperty(tpm.PropDuration), 0,
			"00 C4 00 00 00 1A 00 00 00 00 00 00 00 0C 00 1E 84 80 01 31 2D 00 03 93 87 00"},
		{"NV_LIST empty", tpm.GetCapNVList(), 0, "00 C4 00 00 00 0E 00 00 00 00 00 00 00 00"},
		{"NV_INDEX undefined", tpm.GetCapNVIndex(0x11000), tpm.RCBadIndex, ""},
		{"ORD Startup", tpm.GetCapability(tpm.CapOrd, []byte{0, 0, 0, 0x99}), 0, "00 C4 00 00 00 0F 00 00 00 00 00 00 00 01 01"},
		{"ORD SaveKeyContext", tpm.GetCapability(tpm.CapOrd, []byte{0, 0, 0, 0xB4}), 0, "00 C4 00 00 00 0F 00 00 00 00 00 00 00 01 01"},
		{"ORD unknown", tpm.GetCapability(tpm.CapOrd, []byte{0, 0, 0xFF, 0xB4}), 0, "00 C4 00 00 00 0F 00 00 00 00 00 00 00 01 00"},
		{"KEY_HANDLE", tpm.GetCapability(tpm.CapKeyHandle, nil), 0, "00 C4 00 00 00 10 00 00 00 00 00 00 00 02 00 00"},
		{"VERSION_VAL with go-tpm's 4-byte subCap", tpm.GetCapability(tpm.CapVersionVal, []byte{0, 0, 0, 0}), 0, ""},
		{"unknown area", tpm.GetCapability(0x99, nil), tpm.RCBadMode, ""},
		{"unknown property", tpm.GetCapProperty(0x1FF), tpm.RCBadMode, ""},
		{"subCapSize lies", []byte{0, 0xC1, 0, 0, 0, 0x12, 0, 0, 0, 0x65, 0, 0, 0, 5, 0, 0, 0, 4}, tpm.RCBadParamSize, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { run(t, e, []step{{tt.name, tt.cmd, tt.rc, tt.want}}) })
	}
}

func TestNV(t *testing.T) {
	area := tpm.NewNVDataPublic(0x11000, tpm.NVPerPPRead|tpm.NVPerPPWrite, 8)
	e := New(Started())
	run(t, e, []step{
		{"define while disabled, nvLocked FALSE", tpm.NVDefineSpace(area), 0, "00 C4 00 00 00 0A 00 00 00 00"},
		{"NV_LIST", tpm.GetCapNVList(), 0, "00 C4 00 00 00 12 00 00 00 00 00 00 00 04 00 01 10 00"},
		{"NV_INDEX", tpm.GetCapNVIndex(0x11000), 0, "00 C4 00 00 00 55 00 00 00 00 00 00 00 47" + hex.EncodeToString(area.Marshal())},
		{"read fresh", tpm.NVReadValue(0x11000, 0, 8), 0, "00 C4 00 00 00 16 00 00 00 00 00 00 00 08 FF FF FF FF FF FF FF FF"},
		{"write", tpm.NVWriteValue(0x11000, 0, []byte{0xCA, 0xFE}), 0, ""},
		{"read back", tpm.NVReadValue(0x11000, 0, 8), 0, "00 C4 00 00 00 16 00 00 00 00 00 00 00 08 CA FE FF FF FF FF FF FF"},
		{"read past end", tpm.NVReadValue(0x11000, 4, 8), tpm.RCNoSpace, ""},
		{"read undefined", tpm.NVReadValue(0x11001, 0, 1), tpm.RCBadIndex, ""},
		{"define again replaces", tpm.NVDefineSpace(area), 0, ""},
		{"replaced area is blank", tpm.NVReadValue(0x11000, 0, 2), 0, "00 C4 00 00 00 10 00 00 00 00 00 00 00 02 FF FF"},
		{"write again", tpm.NVWriteValue(0x11000, 0, []byte{0xCA, 0xFE}), 0, ""},
		{"define without write permission", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11003, tpm.NVPerWriteAll, 4)), tpm.RCPerNoWrite, ""},
		{"define index 0", tpm.NVDefineSpace(tpm.NewNVDataPublic(0, tpm.NVPerPPWrite, 4)), tpm.RCBadIndex, ""},
		{"define new with size 0", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11004, tpm.NVPerPPWrite, 0)), tpm.RCBadParamSize, ""},
		{"define too big", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11005, tpm.NVPerPPWrite, nvCapacity)), tpm.RCNoSpace, ""},
		{"define D bit (not checked)", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x10000002, tpm.NVPerPPWrite, 4)), 0, ""},
		{"NV_LIST: new area in the first free slot", tpm.GetCapNVList(), 0, "00 C4 00 00 00 16 00 00 00 00 00 00 00 08 10 00 00 02 00 01 10 00"},
		{"delete", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11000, 0, 0)), 0, ""},
		{"redefine", tpm.NVDefineSpace(area), 0, ""},
		{"NV_LIST: slot reused", tpm.GetCapNVList(), 0, "00 C4 00 00 00 16 00 00 00 00 00 00 00 08 10 00 00 02 00 01 10 00"},
		{"write again", tpm.NVWriteValue(0x11000, 0, []byte{0xCA, 0xFE}), 0, ""},
		{"NV lock", tpm.NVLock(), 0, ""},
		{"read after lock while disabled", tpm.NVReadValue(0x11000, 0, 2), tpm.RCDisabled, ""},
	})
	if !e.State().Permanent.NVLocked {
		t.Fatal("nvLocked not set by defining TPM_NV_INDEX_LOCK")
	}
	rsp, _ := e.Execute(0, tpm.GetCapFlag(tpm.CapFlagPermanent))
	if rsp[14+2+15] != 1 {
		t.Errorf("FLAG permanent does not show nvLocked: % X", rsp)
	}
	// Enabled, locked: PP permissions now need physical presence.
	e2 := New(WithState(e.State()), Enabled(), Started())
	run(t, e2, []step{
		{"read PPREAD without PP", tpm.NVReadValue(0x11000, 0, 2), tpm.RCBadPresence, ""},
		{"define without PP", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11001, 0, 4)), tpm.RCBadPresence, ""},
		{"CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPCMDEnable), 0, ""},
		{"PRESENT", tpm.TSCPhysicalPresence(tpm.PPPresent), 0, ""},
		{"read with PP", tpm.NVReadValue(0x11000, 0, 2), 0, "00 C4 00 00 00 10 00 00 00 00 00 00 00 02 CA FE"},
	})
}

func TestNVWriteLocks(t *testing.T) {
	e := New(Enabled(), Started())
	run(t, e, []step{
		{"define WRITEDEFINE|WRITEALL", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11002, tpm.NVPerPPWrite|tpm.NVPerWriteDefine|tpm.NVPerWriteAll, 4)), 0, ""},
		{"partial write", tpm.NVWriteValue(0x11002, 0, []byte{1}), tpm.RCNotFullWrite, ""},
		{"full write", tpm.NVWriteValue(0x11002, 0, []byte{1, 2, 3, 4}), 0, ""},
		{"lock by empty write", tpm.NVWriteValue(0x11002, 0, nil), 0, ""},
		{"write locked", tpm.NVWriteValue(0x11002, 0, []byte{1, 2, 3, 4}), tpm.RCAreaLocked, ""},
		reset(),
		{"Startup", tpm.Startup(tpm.STClear), 0, ""},
		{"WRITEDEFINE survives reset", tpm.NVWriteValue(0x11002, 0, []byte{1, 2, 3, 4}), tpm.RCAreaLocked, ""},
		{"delete by size 0", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11002, 0, 0)), 0, ""},
		{"gone", tpm.NVReadValue(0x11002, 0, 1), tpm.RCBadIndex, ""},
	})
}

func TestMaxNVWritesWithoutOwner(t *testing.T) {
	e := New(Enabled(), Started(), NVLocked())
	e.Execute(0, tpm.TSCPhysicalPresence(tpm.PPCMDEnable))
	e.Execute(0, tpm.TSCPhysicalPresence(tpm.PPPresent))
	e.Execute(0, tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11000, tpm.NVPerPPWrite, 4))) // write 1
	var last tpm.RC
	n := 1
	for ; n < 100; n++ {
		rsp, _ := e.Execute(0, tpm.NVWriteValue(0x11000, 0, []byte{byte(n)}))
		if last = tpm.RC(rsp[9]); last != 0 {
			break
		}
	}
	if last != tpm.RCMaxNVWrites || n != maxNoOwnerNVWrites {
		t.Errorf("write %d answered %v, want TPM_MAXNVWRITES at write %d", n, last, maxNoOwnerNVWrites)
	}
}

func TestOwnedAndReadPubek(t *testing.T) {
	run(t, New(Owned(), Started()), []step{
		{"OWNER", tpm.GetCapProperty(tpm.PropOwner), 0, "00 C4 00 00 00 0F 00 00 00 00 00 00 00 01 01"},
		{"ReadPubek", append(tpm.PCRRead(0)[:0:0], hexb("00C10000001E0000007C"+strings.Repeat("00", 20))...), tpm.RCNoEndorsement, ""},
	})
	run(t, New(Started()), []step{
		{"ReadPubek disabled", hexb("00C10000001E0000007C" + strings.Repeat("00", 20)), tpm.RCDisabled, ""},
		{"OIAP", hexb("00C10000000A0000000A"), 0, ""},
		{"GetCapabilityOwner disabled", hexb("00C20000003700000066" + strings.Repeat("00", 45)), tpm.RCDisabled, ""},
		{"FlushSpecific unknown session", hexb("00C100000012000000BA" + "0000000100000002"), tpm.RCInvalidAuthHandle, ""},
		{"FlushSpecific key", hexb("00C100000012000000BA" + "0000000100000001"), tpm.RCBadParameter, ""},
		{"PCRRead with auth tag while disabled", hexb("00C20000000E0000001500000000"), tpm.RCDisabled, ""},
		{"PCRRead short while disabled", hexb("00C10000000C000000150000"), tpm.RCBadParamSize, ""},
		{"PCRRead long while disabled", hexb("00C10000000F0000001500000000" + "00"), tpm.RCDisabled, ""},
		{"OSAP is not modelled", hexb("00C10000000A0000000B"), tpm.RCBadOrdinal, ""},
		{"auth tag", hexb("00C20000000A00000053"), tpm.RCBadTag, ""},
	})
}

func hexb(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestExecuteErrorsAreRare(t *testing.T) {
	e := New()
	if _, err := e.Execute(-1, tpm.PCRRead(0)); err == nil || !strings.Contains(err.Error(), "tpm12: locality -1") {
		t.Errorf("err = %v", err)
	}
	rsp, err := e.Execute(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := tpm.ParseResponse(rsp); err != nil || !errors.Is(r.Err(), tpm.RCBadParamSize) {
		t.Errorf("empty command: % X %v", rsp, err)
	}
}

func TestAuthSessions(t *testing.T) {
	getCapOwner := func(h []byte) []byte {
		return append(append(hexb("00C20000003700000066"), h...), make([]byte, 41)...)
	}
	flush := func(h []byte) []byte { return append(append(hexb("00C100000012000000BA"), h...), 0, 0, 0, 2) }
	for _, tt := range []struct {
		name      string
		opts      []Option
		rc        tpm.RC
		flushedRC tpm.RC
	}{
		{"no owner", []Option{Enabled()}, tpm.RCNoSRK, 0},
		{"owned", []Option{Owned()}, tpm.RCAuthFail, tpm.RCInvalidAuthHandle},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := New(append(tt.opts, Started())...)
			rsp, _ := e.Execute(0, hexb("00C10000000A0000000A"))
			if len(rsp) != 10+4+20 || rsp[9] != 0 {
				t.Fatalf("OIAP: % X", rsp)
			}
			h := rsp[10:14]
			run(t, e, []step{
				{"GetCapabilityOwner", getCapOwner(h), tt.rc, ""},
				{"FlushSpecific", flush(h), tt.flushedRC, ""},
				{"FlushSpecific again", flush(h), tpm.RCInvalidAuthHandle, ""},
			})
		})
	}
	e := New(Started())
	for i := range maxAuthSessions + 1 {
		rsp, _ := e.Execute(0, hexb("00C10000000A0000000A"))
		if want := tpm.RC(0); i == maxAuthSessions {
			if tpm.RC(rsp[9]) != tpm.RCResources {
				t.Errorf("session %d: % X, want TPM_RESOURCES", i, rsp)
			}
		} else if tpm.RC(rsp[9]) != want {
			t.Errorf("session %d: % X", i, rsp)
		}
	}
}

func TestParameterSizes(t *testing.T) {
	e := New(Enabled(), Started())
	tests := []struct {
		name string
		cmd  string
		rc   tpm.RC
	}{
		{"PCRRead short", "00C10000000C0000001500", tpm.RCBadParamSize},
		{"GetRandom long", "00C1000000120000004600000008000000", tpm.RCBadParamSize},
		{"SetDeactivated no param", "00C10000000A00000072", tpm.RCBadParamSize},
		{"PP no param", "00C10000000A4000000A", tpm.RCBadParamSize},
		{"Startup no param", "00C10000000A00000099", tpm.RCBadParamSize},
		{"Extend short", "00C10000000E0000001400000000", tpm.RCBadParamSize},
		{"NV_ReadValue short", "00C10000000E000000CF00011000", tpm.RCBadParamSize},
		{"NV_WriteValue size lies", "00C100000017000000CD00011000000000000000000201", tpm.RCBadParamSize},
		{"NV_DefineSpace short", "00C10000000E000000CC00180001", tpm.RCBadParamSize},
		{"GetCapability short", "00C10000000E0000006500000005", tpm.RCBadParamSize},
		{"FlushSpecific short", "00C10000000E000000BA00000001", tpm.RCBadParamSize},
		{"ReadPubek short", "00C10000000E0000007C00000001", tpm.RCBadParamSize},
		{"GetCapabilityOwner short", "00C20000000E0000006600000001", tpm.RCBadParamSize},
		{"CreateEndorsementKeyPair short", "00C10000000E0000007800000001", tpm.RCBadParamSize},
		{"CreateEndorsementKeyPair no keyInfo", "00C10000001E00000078" + strings.Repeat("00", 20), tpm.RCBadParamSize},
		{"CreateEndorsementKeyPair enabled (not modelled)", "00C10000002A00000078" + strings.Repeat("00", 32), tpm.RCBadOrdinal},
		{"PCRRead with auth tag", "00C20000000E0000001500000000", tpm.RCBadTag},
		{"OIAP with a parameter", "00C10000000B0000000A00", tpm.RCBadParamSize},
		{"PhysicalDisable without PP", "00C10000000A00000070", tpm.RCBadPresence},
		{"SetDeactivated without PP", "00C10000000B0000007200", tpm.RCBadPresence},
		{"FLAG unknown", "00C1000000160000006500000004000000040000010A", tpm.RCBadMode},
		{"PROPERTY INPUT_BUFFER", "00C10000001600000065000000050000000400000124", 0},
		{"PROPERTY MAX_NV_AVAILABLE", "00C10000001600000065000000050000000400000123", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { run(t, e, []step{{tt.name, hexb(tt.cmd), tt.rc, ""}}) })
	}
}
