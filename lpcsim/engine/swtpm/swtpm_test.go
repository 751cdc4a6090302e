package swtpm

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/engine/tpm20"
	"tpmbench/tpm"
)

func TestMissingBinary(t *testing.T) {
	_, err := Start(context.Background(), Config{Binary: filepath.Join(t.TempDir(), "no-swtpm")})
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "apt-get install swtpm") {
		t.Errorf("err = %v, want ErrNotInstalled with the fix", err)
	}
}

// needSwtpm runs integration tests only with TPMBENCH_INTEGRATION=1, and
// then fails when swtpm is missing.
func needSwtpm(t *testing.T) {
	t.Helper()
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("integration test: set TPMBENCH_INTEGRATION=1 (needs swtpm)")
	}
	if _, err := exec.LookPath("swtpm"); err != nil {
		t.Fatalf("TPMBENCH_INTEGRATION=1 but swtpm is missing (apt-get install swtpm swtpm-tools): %v", err)
	}
}

// engine is what both implementations offer.
type engine interface {
	Execute(locality int, cmd []byte) ([]byte, error)
	Reset() error
}

// step is a command, a reset (cmd nil) or, with random set, a command
// whose response content is random (only the code and length compare).
type step struct {
	name     string
	cmd      []byte
	locality int
	random   bool
	rcOnly   bool // implementation-specific content: compare the return code only
}

func cmdStep(name string, cmd []byte) step { return step{name: name, cmd: cmd} }

// hexStep is a command written in hex; spaces are ignored.
func hexStep(name, h string) step {
	b, err := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
	if err != nil {
		panic(fmt.Sprintf("step %s: %v", name, err))
	}
	return cmdStep(name, b)
}

// factoryStateDir returns a TPM 1.2 state directory in the TCG factory
// state: the reference one when present, otherwise made now as the
// reference was made (enabled fresh state, deactivate, disable, give up
// command PP).
func factoryStateDir(t *testing.T) string {
	if ref, ok := reftest.Reference(); ok {
		dir := filepath.Join(ref, "swtpm-state", "tpm12-factory-disabled-deactivated")
		if _, err := os.Stat(filepath.Join(dir, "tpm-00.permall")); err == nil {
			return dir
		}
	}
	return makeFactoryState(t)
}

func makeFactoryState(t *testing.T) string {
	dir := t.TempDir()
	if err := CreateFactoryState(context.Background(), Config{}, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// compare runs the same steps on both engines and reports every response
// that differs in return code or (unless random) in bytes.
func compare(t *testing.T, model, real engine, steps []step) {
	t.Helper()
	for i, s := range steps {
		if s.cmd == nil {
			if err := model.Reset(); err != nil {
				t.Fatal(err)
			}
			if err := real.Reset(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		a, err := model.Execute(s.locality, s.cmd)
		if err != nil {
			t.Fatalf("step %d %s: model: %v", i, s.name, err)
		}
		b, err := real.Execute(s.locality, s.cmd)
		if err != nil {
			t.Fatalf("step %d %s: swtpm: %v", i, s.name, err)
		}
		same := bytes.Equal(a, b)
		if s.rcOnly {
			same = len(a) >= tpm.HeaderSize && len(b) >= tpm.HeaderSize && bytes.Equal(a[6:10], b[6:10])
		}
		if s.random {
			same = len(a) == len(b) && bytes.Equal(a[:tpm.HeaderSize], b[:tpm.HeaderSize])
		}
		if !same {
			t.Errorf("step %d %s:\n model % X\n swtpm % X", i, s.name, a, b)
		}
	}
}

var reset = step{name: "TPM_Init"}

// script12 exercises every modelled command from the factory state through
// the physical-presence bring-up, NV and the NV lock.
func script12() []step {
	nvArea := tpm.NewNVDataPublic(0x11000, tpm.NVPerPPRead|tpm.NVPerPPWrite, 8)
	ownerArea := tpm.NewNVDataPublic(0x11001, tpm.NVPerOwnerRead|tpm.NVPerOwnerWrite, 4)
	readPubek := append(tpm.Startup(0)[:0:0], 0, 0xC1, 0, 0, 0, 0x1E, 0, 0, 0, 0x7C)
	readPubek = append(readPubek, make([]byte, 20)...)
	s := []step{
		cmdStep("PCRRead before Startup", tpm.PCRRead(0)),
		cmdStep("GetCapability before Startup", tpm.GetCapProperty(tpm.PropTISTimeout)),
		cmdStep("unknown ordinal before Startup", []byte{0, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0xFF, 0xFF}),
		cmdStep("PP before Startup", tpm.TSCPhysicalPresence(tpm.PPCMDEnable)),
		cmdStep("TPM 2.0 command before Startup", tpm.Startup2(tpm.SUClear)),
		cmdStep("Startup(ST_STATE) with nothing saved", tpm.Startup(tpm.STState)),
		cmdStep("PCRRead after failed ST_STATE", tpm.PCRRead(0)),
		cmdStep("FLAG volatile after failed ST_STATE", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("Startup after failed ST_STATE", tpm.Startup(tpm.STClear)),
		reset,
		cmdStep("Startup(7)", tpm.Startup(7)),
		cmdStep("FLAG volatile after Startup(7)", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("Startup after Startup(7)", tpm.Startup(tpm.STClear)),
		reset,
		cmdStep("Startup(ST_CLEAR) with 2 extra bytes", []byte{0, 0xC1, 0, 0, 0, 0x0E, 0, 0, 0, 0x99, 0, 1, 0, 0}),
		cmdStep("FLAG volatile after Startup with extra bytes", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("Startup after Startup with extra bytes", tpm.Startup(tpm.STClear)),
		reset,
		cmdStep("Startup(ST_STATE) with 2 extra bytes", []byte{0, 0xC1, 0, 0, 0, 0x0E, 0, 0, 0, 0x99, 0, 2, 0, 0}),
		cmdStep("PCRRead after ST_STATE with extra bytes", tpm.PCRRead(0)),
		cmdStep("Startup after ST_STATE with extra bytes", tpm.Startup(tpm.STClear)),
		reset,
		cmdStep("Startup(7) with 2 extra bytes", []byte{0, 0xC1, 0, 0, 0, 0x0E, 0, 0, 0, 0x99, 0, 7, 0, 0}),
		cmdStep("Startup after Startup(7) with extra bytes", tpm.Startup(tpm.STClear)),
		reset,
		cmdStep("Startup with 1 parameter byte", []byte{0, 0xC1, 0, 0, 0, 0x0B, 0, 0, 0, 0x99, 0}),
		cmdStep("Startup after short Startup", tpm.Startup(tpm.STClear)),
		cmdStep("Startup with extra bytes after Startup", []byte{0, 0xC1, 0, 0, 0, 0x0E, 0, 0, 0, 0x99, 0, 1, 0, 0}),
		reset,
		cmdStep("Startup", tpm.Startup(tpm.STClear)),
		cmdStep("second Startup", tpm.Startup(tpm.STClear)),
		cmdStep("unknown ordinal", []byte{0, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0xFF, 0xFF}),
		cmdStep("TPM 2.0 tag", tpm.Startup2(tpm.SUClear)),
		cmdStep("TPM 2.0 tag, 1.2 ordinal", []byte{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0, 0x53}),
		cmdStep("auth tag, no-auth ordinal", []byte{0, 0xC2, 0, 0, 0, 0x0A, 0, 0, 0, 0x53}),
		cmdStep("paramSize lies", []byte{0, 0xC1, 0, 0, 0, 0x0C, 0, 0, 0, 0x53}),
		cmdStep("extra parameter bytes", []byte{0, 0xC1, 0, 0, 0, 0x0B, 0, 0, 0, 0x53, 0}),
		cmdStep("VERSION_VAL", tpm.GetCapVersionVal()),
		cmdStep("VERSION_VAL with 4-byte subCap", tpm.GetCapability(tpm.CapVersionVal, []byte{0, 0, 0, 0})),
		cmdStep("VERSION", tpm.GetCapVersion()),
		cmdStep("MANUFACTURER", tpm.GetCapProperty(tpm.PropManufacturer)),
		cmdStep("PCR", tpm.GetCapProperty(tpm.PropPCR)),
		cmdStep("DIR", tpm.GetCapProperty(tpm.PropDIR)),
		cmdStep("KEYS", tpm.GetCapProperty(tpm.PropKeys)),
		cmdStep("MAX_AUTHSESS", tpm.GetCapProperty(tpm.PropMaxAuthSess)),
		cmdStep("OWNER", tpm.GetCapProperty(tpm.PropOwner)),
		cmdStep("TIS_TIMEOUT", tpm.GetCapProperty(tpm.PropTISTimeout)),
		cmdStep("DURATION", tpm.GetCapProperty(tpm.PropDuration)),
		cmdStep("unknown property", tpm.GetCapProperty(0x1FF)),
		cmdStep("unknown capability", tpm.GetCapability(0x99, nil)),
		cmdStep("FLAG 0x10A", tpm.GetCapFlag(0x10A)),
		cmdStep("FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent)),
		cmdStep("FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("NV_LIST", tpm.GetCapNVList()),
		cmdStep("NV_INDEX undefined", tpm.GetCapNVIndex(0x11000)),
		cmdStep("ORD Startup", tpm.GetCapability(tpm.CapOrd, []byte{0, 0, 0, 0x99})),
		cmdStep("KEY_HANDLE", tpm.GetCapability(tpm.CapKeyHandle, nil)),
		cmdStep("ContinueSelfTest", tpm.ContinueSelfTest()),
		cmdStep("SelfTestFull", tpm.SelfTestFull()),
		cmdStep("PCRRead disabled", tpm.PCRRead(0)),
		cmdStep("PCRRead disabled, short", []byte{0, 0xC1, 0, 0, 0, 0x0C, 0, 0, 0, 0x15, 0, 0}),
		cmdStep("GetRandom disabled, long", []byte{0, 0xC1, 0, 0, 0, 0x0F, 0, 0, 0, 0x46, 0, 0, 0, 8, 0}),
		cmdStep("SetDeactivated disabled, no param", []byte{0, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0, 0x72}),
		cmdStep("PCRRead disabled, auth tag", []byte{0, 0xC2, 0, 0, 0, 0x0E, 0, 0, 0, 0x15, 0, 0, 0, 0}),
		cmdStep("FlushSpecific unknown session", []byte{0, 0xC1, 0, 0, 0, 0x12, 0, 0, 0, 0xBA, 0, 0, 0, 1, 0, 0, 0, 2}),
		cmdStep("FlushSpecific key", []byte{0, 0xC1, 0, 0, 0, 0x12, 0, 0, 0, 0xBA, 0, 0, 0, 1, 0, 0, 0, 1}),
		cmdStep("Extend disabled", tpm.Extend(0, [20]byte{1})),
		{name: "GetRandom disabled", cmd: tpm.GetRandom(8), random: true},
		cmdStep("ReadPubek disabled", readPubek),
		cmdStep("PhysicalEnable without PP", tpm.PhysicalEnable()),
		cmdStep("PhysicalDisable without PP", tpm.PhysicalDisable()),
		cmdStep("SetDeactivated while disabled", tpm.PhysicalSetDeactivated(false)),
		cmdStep("PP 0", tpm.TSCPhysicalPresence(0)),
		cmdStep("PRESENT before CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPPresent)),
		cmdStep("CMD_ENABLE|PRESENT", tpm.TSCPhysicalPresence(tpm.PPCMDEnable|tpm.PPPresent)),
		cmdStep("CMD_ENABLE|CMD_DISABLE", tpm.TSCPhysicalPresence(tpm.PPCMDEnable|tpm.PPCMDDisable)),
		cmdStep("CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPCMDEnable)),
		cmdStep("PRESENT|NOTPRESENT", tpm.TSCPhysicalPresence(tpm.PPPresent|tpm.PPNotPresent)),
		cmdStep("PRESENT|LOCK", tpm.TSCPhysicalPresence(tpm.PPPresent|tpm.PPLock)),
		cmdStep("PRESENT", tpm.TSCPhysicalPresence(tpm.PPPresent)),
		cmdStep("FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("NV define while disabled", tpm.NVDefineSpace(nvArea)),
		cmdStep("NV define owner area", tpm.NVDefineSpace(ownerArea)),
		cmdStep("NV define again", tpm.NVDefineSpace(nvArea)),
		cmdStep("NV define size 0 new", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11005, 0, 0))),
		cmdStep("NV define D bit", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x10000005, 0, 4))),
		cmdStep("NV define D bit PPWRITE", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x10000005, tpm.NVPerPPWrite, 4))),
		cmdStep("NV define new size 0 PPWRITE", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11006, tpm.NVPerPPWrite, 0))),
		cmdStep("NV define index 0", tpm.NVDefineSpace(tpm.NewNVDataPublic(0, tpm.NVPerPPWrite, 4))),
		cmdStep("NV define too big", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11007, tpm.NVPerPPWrite, 100000))),
		cmdStep("NV define WRITEALL only", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11008, tpm.NVPerWriteAll, 4))),
		cmdStep("NV_LIST", tpm.GetCapNVList()),
		cmdStep("NV_INDEX", tpm.GetCapNVIndex(0x11000)),
		cmdStep("NV read", tpm.NVReadValue(0x11000, 0, 8)),
		cmdStep("NV write", tpm.NVWriteValue(0x11000, 0, []byte{0xCA, 0xFE})),
		cmdStep("NV read back", tpm.NVReadValue(0x11000, 0, 8)),
		cmdStep("NV read past end", tpm.NVReadValue(0x11000, 4, 8)),
		cmdStep("NV read undefined", tpm.NVReadValue(0x11009, 0, 1)),
		cmdStep("NV write past end", tpm.NVWriteValue(0x11000, 7, []byte{1, 2})),
		cmdStep("NV read owner area", tpm.NVReadValue(0x11001, 0, 4)),
		cmdStep("PhysicalEnable", tpm.PhysicalEnable()),
		cmdStep("PCRRead deactivated", tpm.PCRRead(0)),
		{name: "GetRandom deactivated", cmd: tpm.GetRandom(8), random: true},
		cmdStep("ReadPubek deactivated", readPubek),
		cmdStep("Extend deactivated", tpm.Extend(1, [20]byte{1})),
		cmdStep("SetDeactivated(FALSE)", tpm.PhysicalSetDeactivated(false)),
		cmdStep("FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent)),
		cmdStep("FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("PCRRead still deactivated", tpm.PCRRead(0)),
		cmdStep("Startup without reset", tpm.Startup(tpm.STClear)),
		cmdStep("NOTPRESENT|LOCK", tpm.TSCPhysicalPresence(tpm.PPNotPresent|tpm.PPLock)),
		cmdStep("PRESENT after LOCK", tpm.TSCPhysicalPresence(tpm.PPPresent)),
		cmdStep("FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		reset,
		cmdStep("Startup", tpm.Startup(tpm.STClear)),
		cmdStep("FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile)),
		cmdStep("PCRRead 0", tpm.PCRRead(0)),
		cmdStep("PCRRead 17", tpm.PCRRead(17)),
		cmdStep("PCRRead 23", tpm.PCRRead(23)),
		cmdStep("PCRRead 24", tpm.PCRRead(24)),
		{name: "GetRandom", cmd: tpm.GetRandom(8), random: true},
		cmdStep("ReadPubek", readPubek),
		cmdStep("Extend 0", tpm.Extend(0, [20]byte{1, 2, 3})),
		cmdStep("PCRRead 0", tpm.PCRRead(0)),
		cmdStep("Extend 17 locality 0", tpm.Extend(17, [20]byte{1})),
		{name: "Extend 17 locality 4", cmd: tpm.Extend(17, [20]byte{1}), locality: 4},
		{name: "Extend 20 locality 1", cmd: tpm.Extend(20, [20]byte{1}), locality: 1},
		{name: "Extend 21 locality 2", cmd: tpm.Extend(21, [20]byte{1}), locality: 2},
		{name: "Extend 22 locality 3", cmd: tpm.Extend(22, [20]byte{1}), locality: 3},
		cmdStep("Extend 24", tpm.Extend(24, [20]byte{1})),
		cmdStep("PCRRead 17", tpm.PCRRead(17)),
		cmdStep("GetTestResult", tpm.GetTestResult()),
		cmdStep("PhysicalDisable without PP", tpm.PhysicalDisable()),
		cmdStep("SetDeactivated without PP", tpm.PhysicalSetDeactivated(true)),
		cmdStep("PCRRead short", []byte{0, 0xC1, 0, 0, 0, 0x0C, 0, 0, 0, 0x15, 0, 0}),
		cmdStep("INPUT_BUFFER", tpm.GetCapProperty(tpm.PropInputBuffer)),
		{name: "MAX_NV_AVAILABLE", cmd: tpm.GetCapProperty(tpm.PropMaxNVAvailable), rcOnly: true},
		cmdStep("CreateEndorsementKeyPair no keyInfo", append([]byte{0, 0xC1, 0, 0, 0, 0x1E, 0, 0, 0, 0x78}, make([]byte, 20)...)),
		cmdStep("PCRRead auth tag", []byte{0, 0xC2, 0, 0, 0, 0x0E, 0, 0, 0, 0x15, 0, 0, 0, 0}),
		cmdStep("CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPCMDEnable)),
		cmdStep("PRESENT", tpm.TSCPhysicalPresence(tpm.PPPresent)),
		cmdStep("SetDeactivated(TRUE)", tpm.PhysicalSetDeactivated(true)),
		cmdStep("PCRRead after SetDeactivated(TRUE)", tpm.PCRRead(0)),
		cmdStep("SetDeactivated(FALSE)", tpm.PhysicalSetDeactivated(false)),
		cmdStep("PhysicalDisable", tpm.PhysicalDisable()),
		cmdStep("PhysicalDisable again", tpm.PhysicalDisable()),
		cmdStep("PCRRead disabled", tpm.PCRRead(0)),
		cmdStep("Extend disabled", tpm.Extend(2, [20]byte{1})),
		cmdStep("PhysicalEnable", tpm.PhysicalEnable()),
		cmdStep("PCRRead 1", tpm.PCRRead(1)),
		cmdStep("PCRRead 2", tpm.PCRRead(2)),
		cmdStep("NV lock", tpm.NVLock()),
		cmdStep("FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent)),
		cmdStep("NV read PPREAD with PP", tpm.NVReadValue(0x11000, 0, 2)),
		cmdStep("NV read owner area after lock", tpm.NVReadValue(0x11001, 0, 4)),
		cmdStep("NV write owner area after lock", tpm.NVWriteValue(0x11001, 0, []byte{1})),
		cmdStep("NV lock again", tpm.NVLock()),
		cmdStep("NV define with PP after lock", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11002, tpm.NVPerPPWrite, 4))),
		cmdStep("NOTPRESENT", tpm.TSCPhysicalPresence(tpm.PPNotPresent)),
		cmdStep("NV read PPREAD without PP", tpm.NVReadValue(0x11000, 0, 2)),
		cmdStep("NV write PPWRITE without PP", tpm.NVWriteValue(0x11000, 0, []byte{1})),
		cmdStep("NV define without PP after lock", tpm.NVDefineSpace(tpm.NewNVDataPublic(0x11003, tpm.NVPerPPWrite, 4))),
		cmdStep("NV_LIST", tpm.GetCapNVList()),
		cmdStep("LIFETIME_LOCK|CMD_ENABLE", tpm.TSCPhysicalPresence(tpm.PPLifetimeLock|tpm.PPCMDEnable)),
		cmdStep("CMD_DISABLE after lifetime lock", tpm.TSCPhysicalPresence(tpm.PPCMDDisable)),
		cmdStep("PRESENT after lifetime lock", tpm.TSCPhysicalPresence(tpm.PPPresent)),
		cmdStep("FLAG permanent", tpm.GetCapFlag(tpm.CapFlagPermanent)),
		reset,
		cmdStep("Startup(ST_DEACTIVATED)", tpm.Startup(tpm.STDeactivated)),
		cmdStep("PCRRead temporarily deactivated", tpm.PCRRead(0)),
		cmdStep("FLAG volatile", tpm.GetCapFlag(tpm.CapFlagVolatile)),
	}
	return s
}

func TestSwtpmMatchesTPM12(t *testing.T) {
	needSwtpm(t)
	real, err := Start(context.Background(), Config{StateDir: factoryStateDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	model := tpm12.New(tpm12.WithIdentity(tpm12.Libtpms()))
	compare(t, model, real, script12())
}

func script20() []step {
	props := func(p, n uint32) []byte { return tpm.GetCapability2(tpm.Cap2TPMProperties, p, n) }
	handles := func(first, n uint32) []byte { return tpm.GetCapability2(tpm.Cap2Handles, first, n) }
	return []step{
		cmdStep("GetCapability before Startup", props(0x105, 8)),
		cmdStep("GetCapability(HANDLES) before Startup", handles(0x01000000, 64)),
		cmdStep("SelfTest before Startup", tpm.SelfTest2(true)),
		cmdStep("TPM 1.2 command", tpm.Startup(tpm.STClear)),
		hexStep("unknown command code before Startup", "8001 0000000A 000001FF"),
		hexStep("vendor command code before Startup", "8001 0000000A 20000199"),
		hexStep("GetTestResult with extra byte before Startup", "8001 0000000B 0000017C 00"),
		hexStep("SelfTest, sessions tag, before Startup", "8002 0000000B 00000143 01"),
		hexStep("Startup, sessions tag, no authorization area", "8002 0000000C 00000144 0000"),
		hexStep("Startup, authorizationSize 0", "8002 0000000E 00000144 00000000"),
		hexStep("Startup with a password session", "8002 00000019 00000144 00000009 40000009 0000 00 0000 0000"),
		hexStep("Startup with 1 parameter byte", "8001 0000000B 00000144 00"),
		hexStep("Startup(5) with extra byte", "8001 0000000D 00000144 0005 00"),
		hexStep("Startup(STATE) with extra byte", "8001 0000000D 00000144 0001 00"),
		cmdStep("Startup(STATE) cold", tpm.Startup2(tpm.SUState)),
		cmdStep("Startup", tpm.Startup2(tpm.SUClear)),
		hexStep("second Startup, sessions tag", "8002 0000000C 00000144 0000"),
		hexStep("SelfTest(fullTest=2)", "8001 0000000B 00000143 02"),
		hexStep("SelfTest(fullTest=0xFF)", "8001 0000000B 00000143 FF"),
		hexStep("SelfTest(fullTest=2) with extra byte", "8001 0000000C 00000143 0200"),
		hexStep("SelfTest(NO)", "8001 0000000B 00000143 00"),
		hexStep("SelfTest without parameter", "8001 0000000A 00000143"),
		hexStep("SelfTest with extra byte", "8001 0000000C 00000143 0100"),
		hexStep("GetTestResult with extra byte", "8001 0000000B 0000017C 00"),
		hexStep("GetRandom with extra byte", "8001 0000000D 0000017B 0008 00"),
		hexStep("GetRandom short", "8001 0000000B 0000017B 00"),
		hexStep("GetCapability with extra byte", "8001 00000017 0000017A 00000006 00000105 00000001 00"),
		hexStep("GetCapability without count", "8001 00000012 0000017A 00000006 00000105"),
		hexStep("GetCapability(0x99)", "8001 00000016 0000017A 00000099 00000105 00000001"),
		hexStep("GetCapability(0x99) with extra byte", "8001 00000017 0000017A 00000099 00000105 00000001 00"),
		hexStep("GetCapability(0x99) short", "8001 00000012 0000017A 00000099 00000105"),
		hexStep("PCR_Read with extra byte", "8001 00000015 0000017E 00000001 000B 03 010000 00"),
		hexStep("PCR_Read short count", "8001 0000000C 0000017E 0000"),
		hexStep("PCR_Read short select", "8001 00000013 0000017E 00000001 000B 03 0100"),
		hexStep("PCR_Read count 0 with extra byte", "8001 0000000F 0000017E 00000000 00"),
		hexStep("PCR_Read count 4", "8001 0000000E 0000017E 00000004"),
		hexStep("PCR_Read count 5", "8001 0000000E 0000017E 00000005"),
		hexStep("PCR_Read sizeofSelect 4", "8001 00000015 0000017E 00000001 000B 04 01000000"),
		hexStep("PCR_Read sizeofSelect 0", "8001 00000011 0000017E 00000001 000B 00"),
		hexStep("PCR_Read hash 0x99 with extra byte", "8001 00000015 0000017E 00000001 0099 03 010000 00"),
		hexStep("NV_ReadPublic with extra byte", "8001 0000000F 00000169 01500000 00"),
		hexStep("NV_ReadPublic short handle", "8001 0000000C 00000169 0150"),
		hexStep("Shutdown with extra byte", "8001 0000000D 00000145 0000 00"),
		hexStep("Shutdown(2)", "8001 0000000C 00000145 0002"),
		hexStep("GetTestResult, sessions tag, no authorization area", "8002 0000000A 0000017C"),
		hexStep("SelfTest, sessions tag, no authorization area", "8002 0000000B 00000143 01"),
		hexStep("GetRandom, sessions tag, no authorization area", "8002 0000000C 0000017B 0008"),
		hexStep("Shutdown, sessions tag, no authorization area", "8002 0000000C 00000145 0000"),
		hexStep("GetCapability, sessions tag, no authorization area", "8002 00000016 0000017A 00000006 00000105 00000001"),
		hexStep("PCR_Read, sessions tag, no authorization area", "8002 00000014 0000017E 00000001 000B 03 010000"),
		hexStep("NV_ReadPublic, sessions tag, no authorization area", "8002 0000000E 00000169 01500000"),
		hexStep("GetTestResult, authorizationSize 0", "8002 0000000E 0000017C 00000000"),
		hexStep("GetTestResult, 2-byte authorization area", "8002 0000000C 0000017C 0000"),
		hexStep("GetTestResult, authorizationSize past the end", "8002 0000000E 0000017C 00000009"),
		hexStep("GetTestResult with a password session", "8002 00000017 0000017C 00000009 40000009 0000 00 0000"),
		hexStep("GetTestResult, password session, extra byte", "8002 00000018 0000017C 00000009 40000009 0000 00 0000 00"),
		hexStep("GetTestResult, two password sessions", "8002 00000020 0000017C 00000012 40000009 0000 00 0000 40000009 0000 00 0000"),
		hexStep("GetTestResult, four password sessions", "8002 00000032 0000017C 00000024 40000009 0000 00 0000 40000009 0000 00 0000 40000009 0000 00 0000 40000009 0000 00 0000"),
		hexStep("GetTestResult, HMAC session then password session", "8002 00000020 0000017C 00000012 02000000 0000 00 0000 40000009 0000 00 0000"),
		hexStep("GetTestResult, password session then transient handle", "8002 00000020 0000017C 00000012 40000009 0000 00 0000 80000000 0000 00 0000"),
		hexStep("GetTestResult, one byte of a second session", "8002 00000018 0000017C 0000000A 40000009 0000 00 0000 00"),
		hexStep("GetTestResult, session nonce overruns", "8002 00000017 0000017C 00000009 40000009 0001 00 0000"),
		hexStep("GetTestResult, HMAC session not loaded", "8002 00000017 0000017C 00000009 02000000 0000 00 0000"),
		hexStep("GetTestResult, policy session not loaded", "8002 00000017 0000017C 00000009 03000000 0000 00 0000"),
		hexStep("GetTestResult, transient handle as session", "8002 00000017 0000017C 00000009 80000000 0000 00 0000"),
		hexStep("SelfTest with a password session", "8002 00000018 00000143 00000009 40000009 0000 00 0000 01"),
		hexStep("GetRandom with a password session", "8002 00000019 0000017B 00000009 40000009 0000 00 0000 0008"),
		hexStep("GetCapability with a password session", "8002 00000023 0000017A 00000009 40000009 0000 00 0000 00000006 00000105 00000001"),
		hexStep("PCR_Read with a password session", "8002 00000021 0000017E 00000009 40000009 0000 00 0000 00000001 000B 03 010000"),
		hexStep("NV_ReadPublic with a password session", "8002 0000001B 00000169 01500000 00000009 40000009 0000 00 0000"),
		hexStep("Shutdown with a password session", "8002 00000019 00000145 00000009 40000009 0000 00 0000 0000"),
		hexStep("unknown command code", "8001 0000000A 000001FF"),
		cmdStep("second Startup", tpm.Startup2(tpm.SUClear)),
		cmdStep("fixed properties", props(0x100, 127)),
		cmdStep("manufacturer and on", props(0x105, 8)),
		cmdStep("last fixed", props(0x12E, 5)),
		cmdStep("variable properties", props(0x200, 127)),
		cmdStep("two variable", props(0x200, 2)),
		cmdStep("group 0x300", props(0x300, 4)),
		cmdStep("PCR banks", tpm.GetCapability2(tpm.Cap2PCRs, 0, 1)),
		cmdStep("PCR_Read sha512 0", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA512, 0))),
		cmdStep("PCR_Read sm3 0", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSM3, 0))),
		cmdStep("PCR_Read two banks", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA1, 1), tpm.NewPCRSelection(tpm.AlgSHA384, 2, 23))),
		cmdStep("PCR_Read nothing", tpm.PCRRead2()),
		cmdStep("SelfTest", tpm.SelfTest2(true)),
		cmdStep("GetTestResult", tpm.GetTestResult2()),
		{name: "GetRandom(8)", cmd: tpm.GetRandom2(8), random: true},
		{name: "GetRandom(100)", cmd: tpm.GetRandom2(100), random: true},
		cmdStep("PCR_Read sha256 0", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA256, 0))),
		cmdStep("PCR_Read sha1 0,17", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA1, 0, 17))),
		cmdStep("PCR_Read 10 PCRs", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA256, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9))),
		cmdStep("NV_ReadPublic undefined", tpm.NVReadPublic2(0x01500000)),
		cmdStep("NV index handles", handles(0x01000000, 64)),
		cmdStep("NV index handles, count 0", handles(0x01000000, 0)),
		cmdStep("transient handles", handles(0x80000000, 8)),
		cmdStep("persistent handles", handles(0x81000000, 8)),
		cmdStep("HMAC session handles", handles(0x02000000, 8)),
		cmdStep("policy session handles", handles(0x03000000, 8)),
		cmdStep("PCR handles", handles(0, 64)),
		cmdStep("PCR handles, three of them", handles(0, 3)),
		cmdStep("PCR handles, count 0", handles(0, 0)),
		cmdStep("PCR handles from 22", handles(22, 8)),
		cmdStep("PCR handle 23 alone", handles(23, 1)),
		cmdStep("PCR handles past the last", handles(24, 8)),
		cmdStep("permanent handles", handles(0x40000000, 64)),
		cmdStep("permanent handles, two", handles(0x40000000, 2)),
		cmdStep("AC handles", handles(0x90000000, 8)),
		cmdStep("reserved handle type", handles(0x05000000, 8)),
		cmdStep("unknown command code", []byte{0x80, 1, 0, 0, 0, 10, 0x20, 0, 0x01, 0x99}),
		reset,
		cmdStep("GetCapability after Init", props(0x105, 1)),
		cmdStep("Startup", tpm.Startup2(tpm.SUClear)),
		cmdStep("PCR_Read sha256 0 after TPM_Init", tpm.PCRRead2(tpm.NewPCRSelection(tpm.AlgSHA256, 0))),
	}
}

func TestSwtpmMatchesTPM20(t *testing.T) {
	needSwtpm(t)
	real, err := Start(context.Background(), Config{TPM2: true})
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	model := tpm20.New(tpm20.WithIdentity(tpm20.Libtpms()))
	compare(t, model, real, script20())
}

// The engine leaves its source state untouched and saves where asked.
func TestSwtpmStateHandling(t *testing.T) {
	needSwtpm(t)
	src := factoryStateDir(t)
	before, err := os.ReadFile(filepath.Join(src, "tpm-00.permall"))
	if err != nil {
		t.Fatal(err)
	}
	saved := t.TempDir()
	e, err := Start(context.Background(), Config{StateDir: src, SaveDir: saved})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]byte{tpm.Startup(tpm.STClear), tpm.TSCPhysicalPresence(tpm.PPCMDEnable)} {
		if rsp, err := e.Execute(0, c); err != nil || rsp[9] != 0 {
			t.Fatalf("% X → % X %v", c, rsp, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(0, tpm.PCRRead(0)); err == nil {
		t.Error("Execute after Close succeeded")
	}
	after, _ := os.ReadFile(filepath.Join(src, "tpm-00.permall"))
	if !bytes.Equal(before, after) {
		t.Error("the source state directory was modified")
	}
	e2, err := Start(context.Background(), Config{StateDir: saved})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	e2.Execute(0, tpm.Startup(tpm.STClear))
	rsp, _ := e2.Execute(0, tpm.GetCapFlag(tpm.CapFlagPermanent))
	var pf tpm.PermanentFlags
	if len(rsp) < 14 || pf.Unmarshal(rsp[14:]) != nil || !pf.PhysicalPresenceCMDEnable || !pf.Disable {
		t.Errorf("saved state lost the change: % X", rsp)
	}
	if err := e2.control(cmdSetLocality, []byte{5}); !errors.Is(err, ErrControl) || !strings.Contains(err.Error(), "TPM_BAD_LOCALITY") {
		t.Errorf("locality 5: %v", err)
	}
}

// The reference factory state and one made here by the same procedure give
// the same flags as the model's factory state.
func TestMadeFactoryStateMatchesModel(t *testing.T) {
	needSwtpm(t)
	e, err := Start(context.Background(), Config{StateDir: makeFactoryState(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	model := tpm12.New()
	for _, c := range [][]byte{tpm.Startup(tpm.STClear), tpm.GetCapFlag(tpm.CapFlagPermanent), tpm.GetCapFlag(tpm.CapFlagVolatile)} {
		a, _ := model.Execute(0, c)
		b, err := e.Execute(0, c)
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("% X:\n model % X\n swtpm % X %v", c, a, b, err)
		}
	}
}

func ExampleStart() {
	e, err := Start(context.Background(), Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer e.Close()
	rsp, _ := e.Execute(0, tpm.Startup(tpm.STClear))
	r, _ := tpm.ParseResponse(rsp)
	fmt.Println(r.Err())
}

// A swtpm process that dies gives transport errors, not TPM responses.
func TestSwtpmProcessDies(t *testing.T) {
	needSwtpm(t)
	e, err := Start(context.Background(), Config{TPM2: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.run(tpm.Startup2(tpm.SUClear)); err != nil {
		t.Fatal(err)
	}
	if err := e.proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-e.exited
	if _, err := e.Execute(0, tpm.GetRandom2(8)); err == nil || !strings.HasPrefix(err.Error(), "swtpm: ") {
		t.Errorf("Execute after the process died: %v", err)
	}
	if err := e.Reset(); err == nil {
		t.Error("Reset after the process died succeeded")
	}
}
