package tisdev

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestReset checks that Reset returns every register to its power-on value,
// drops the locality and the FIFO, and gives the engine TPM_Init.
func TestReset(t *testing.T) {
	p := SLB9665()
	p.Established = true
	d, e := newTestDevice(p)
	request(t, d, 3)
	write32(d, reg(3, RegIntEnable), IntGlobalEnable|intSources)
	d.Write(reg(3, RegIntVector), 7)
	d.Write(reg(3, RegInterfaceID+2), InterfaceIDIntfSelLock>>16)
	d.Write(reg(3, RegSts+3), Sts3ResetEstablishment)
	d.Write(reg(1, RegAccess), AccessRequestUse)
	sendCommand(t, d, 3, getCapTimeouts)
	if access(d, 3)&AccessEstablishment == 0 {
		t.Fatal("resetEstablishmentBit from locality 3 did not clear the established flag")
	}

	d.Reset()
	if e.resets != 1 {
		t.Errorf("engine Reset called %d times, want 1", e.resets)
	}
	if d.State() != StateIdle || d.ActiveLocality() != -1 {
		t.Errorf("after Reset: state %v, active %d; want IDLE, -1", d.State(), d.ActiveLocality())
	}
	for l := range Localities {
		wantAccess(t, d, l, AccessValid) // established again: tpmEstablishment 0
		if got := read32(d, reg(l, RegIntEnable)); got != IntLowLevel {
			t.Errorf("INT_ENABLE_%d = %#x after Reset, want %#x", l, got, IntLowLevel)
		}
		if got := read32(d, reg(l, RegIntStatus)); got != 0 {
			t.Errorf("INT_STATUS_%d = %#x after Reset, want 0", l, got)
		}
	}
	if got := d.IntVector(); got != 0 {
		t.Errorf("INT_VECTOR = %d after Reset, want 0", got)
	}
	if got := read32(d, RegInterfaceID); got != 0xFFFFFFFF {
		t.Errorf("INTERFACE_ID = %#x after Reset, want 0xffffffff", got)
	}
	if d.Err() != nil {
		t.Errorf("Err() = %v after a clean reset", d.Err())
	}
}

type failingReset struct{ cannedEngine }

func (*failingReset) Reset() error { return errors.New("CMD_INIT refused") }

// TestResetEngineError checks that an engine that fails TPM_Init is reported
// through Err.
func TestResetEngineError(t *testing.T) {
	d := New(SLB9635(), &failingReset{})
	d.Reset()
	if err := d.Err(); !errors.Is(err, ErrEngine) || !strings.Contains(err.Error(), "CMD_INIT refused") {
		t.Errorf("Err() = %v, want an ErrEngine naming the cause", err)
	}
}

// TestInterfaceIDLock checks that IntfSelLock latches in every locality on
// a PTP personality.
func TestInterfaceIDLock(t *testing.T) {
	d, _ := newTestDevice(QEMU(Family20))
	write32(d, reg(0, RegInterfaceID), InterfaceIDIntfSelLock)
	for l := range Localities {
		if got := read32(d, reg(l, RegInterfaceID)); got != 0x2100|InterfaceIDIntfSelLock {
			t.Errorf("INTERFACE_ID_%d = %#x, want %#x", l, got, 0x2100|InterfaceIDIntfSelLock)
		}
	}
}

// TestWaits checks the SYNC wait-state configuration.
func TestWaits(t *testing.T) {
	p := SLB9665()
	p.Timing.Waits = 2
	p.Timing.FIFOWaits = 5
	p.Timing.LongWait = true
	d, _ := newTestDevice(p)
	tests := []struct {
		addr uint16
		want int
	}{
		{reg(0, RegAccess), 2},
		{reg(1, RegSts), 2},
		{reg(0, RegDataFIFO), 7},
		{reg(2, RegDataFIFO+3), 7},
		{reg(0, RegXDataFIFO+0x3F), 7},
		{reg(0, RegDIDVID), 2},
	}
	for _, tt := range tests {
		for _, w := range []bool{false, true} {
			if got := d.Waits(tt.addr, w); got != tt.want {
				t.Errorf("Waits(%#04x, %v) = %d, want %d", tt.addr, w, got, tt.want)
			}
		}
	}
	if !d.LongWait() {
		t.Error("LongWait() = false, want true")
	}
	if fast, _ := newTestDevice(SLB9635()); fast.Waits(RegDataFIFO, false) != 0 || fast.LongWait() {
		t.Error("default personality needs wait states, want none")
	}
}

// TestDecodes checks which TPM cycle addresses the device answers.
func TestDecodes(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	for addr, want := range map[uint16]bool{0x0000: true, 0x4F04: true, 0x4FFF: true, 0x5000: false, 0xF000: false} {
		if got := d.Decodes(addr); got != want {
			t.Errorf("Decodes(%#04x) = %v, want %v", addr, got, want)
		}
	}
	if got := d.Read(0x5F00); got != 0xFF {
		t.Errorf("Read(0x5f00) = %#x, want 0xff", got)
	}
}

// TestUndecodedRegisters checks the bytes between and beside registers.
func TestUndecodedRegisters(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	for addr, want := range map[uint16]uint8{
		0x001: 0, 0x004: 0xFF, 0x00D: 0, 0x01C: 0xFF, 0x028: 0xFF, 0x080: 0xFF,
		0xF05: 0, 0xF08: 0xFF, 0xF90: 0xFF,
	} {
		if got := d.Read(addr); got != want {
			t.Errorf("Read(%#03x) = %#02x, want %#02x", addr, got, want)
		}
	}
}

// TestSelfTestDone checks that TIS 1.3 parts set STS.selfTestDone after a
// successful self-test command and TIS 1.2 parts never do.
func TestSelfTestDone(t *testing.T) {
	selfTest12 := []byte{0x00, 0xC1, 0, 0, 0, 10, 0, 0, 0, 0x53}
	ok12 := []byte{0x00, 0xC4, 0, 0, 0, 10, 0, 0, 0, 0}
	selfTest20 := []byte{0x80, 0x01, 0, 0, 0, 11, 0, 0, 0x01, 0x43, 0x01}
	ok20 := []byte{0x80, 0x01, 0, 0, 0, 10, 0, 0, 0, 0}
	fail20 := []byte{0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x00}
	tests := []struct {
		name     string
		p        Personality
		cmd, rsp []byte
		want     bool
	}{
		{"tis 1.3, 1.2 ContinueSelfTest", QEMU(Family12), selfTest12, ok12, true},
		{"tis 1.2, 1.2 ContinueSelfTest", SLB9635(), selfTest12, ok12, false},
		{"tis 1.3, TPM2_SelfTest", SLB9665(), selfTest20, ok20, true},
		{"tis 1.3, TPM2_SelfTest failing", SLB9665(), selfTest20, fail20, false},
		{"tis 1.3, other command", QEMU(Family12), getCapTimeouts, timeoutsRsp, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(tt.p, &cannedEngine{rsp: tt.rsp})
			request(t, d, 0)
			sendCommand(t, d, 0, tt.cmd)
			if got := sts(d, 0)&StsSelfTestDone != 0; got != tt.want {
				t.Errorf("selfTestDone = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCommandCancel checks that commandCancel during EXECUTION on a TPM 2.0
// answers TPM_RC_CANCELLED, and that a TPM 1.2 ignores it.
func TestCommandCancel(t *testing.T) {
	cancelled := []byte{0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x09, 0x09}
	for _, p := range []Personality{SLB9665(), SLB9635()} {
		p.Timing.ExecAccesses = 100
		d, _ := newTestDevice(p)
		request(t, d, 0)
		sendCommand(t, d, 0, getCapTimeouts)
		d.Write(reg(0, RegSts+3), Sts3CommandCancel)
		if p.Family == Family12 {
			if d.State() != StateExecution {
				t.Errorf("TPM 1.2: commandCancel moved the FIFO to %v", d.State())
			}
			continue
		}
		if got := readResponse(t, d, 0, 0); !bytes.Equal(got, cancelled) {
			t.Errorf("response after cancel % x, want % x", got, cancelled)
		}
	}
}

// TestStsWriteNeedsOneBit checks that an STS write with several of
// commandReady, tpmGo and responseRetry does nothing (as QEMU).
func TestStsWriteNeedsOneBit(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	request(t, d, 0)
	d.Write(reg(0, RegSts), StsCommandReady|StsGo)
	if d.State() != StateIdle {
		t.Errorf("commandReady|tpmGo moved the FIFO to %v, want IDLE", d.State())
	}
}

// TestPersonalityByName checks the scenario names.
func TestPersonalityByName(t *testing.T) {
	for _, name := range []string{"slb9635", "SLB9665", "qemu", "qemu-tpm2"} {
		p, err := PersonalityByName(name)
		if err != nil || !strings.EqualFold(p.Name, name) {
			t.Errorf("PersonalityByName(%q) = %q, %v", name, p.Name, err)
		}
	}
	if _, err := PersonalityByName("slb9670"); err == nil || !strings.Contains(err.Error(), "slb9635") {
		t.Errorf("PersonalityByName(unknown) error %v, want one listing the known names", err)
	}
	if got, want := PersonalityNames(), []string{"qemu", "qemu-tpm2", "slb9635", "slb9665"}; !slices.Equal(got, want) {
		t.Errorf("PersonalityNames() = %q, want %q", got, want)
	}
}

// TestRegisterName checks the names used in register-access logs.
func TestRegisterName(t *testing.T) {
	for addr, want := range map[uint16]string{
		0x0000: "ACCESS", 0x100B: "INT_ENABLE", 0x200C: "INT_VECTOR", 0x0013: "INT_STATUS",
		0x0014: "INTF_CAPABILITY", 0x3019: "STS", 0x0027: "DATA_FIFO", 0x0030: "INTERFACE_ID",
		0x00BF: "XDATA_FIFO", 0x4F02: "DID_VID", 0x0F04: "RID", 0x0004: "", 0x5000: "",
	} {
		if got := RegisterName(addr); got != want {
			t.Errorf("RegisterName(%#04x) = %q, want %q", addr, got, want)
		}
	}
}

// TestNoAllocation checks that a whole command/response round trip through
// the registers allocates nothing in the device.
func TestNoAllocation(t *testing.T) {
	d := New(SLB9635(), staticEngine(timeoutsRsp))
	allocs := testing.AllocsPerRun(100, func() { roundTrip(d, getCapTimeouts, len(timeoutsRsp)) })
	if allocs != 0 {
		t.Errorf("round trip allocates %v times, want 0", allocs)
	}
}
