package lpcsim

import (
	"bytes"
	"strings"
	"testing"

	"tpmbench/lpcsim/tisdev"
)

// newTestBench builds an apu bench with an SLB9635 register file (no
// engine) on the module and a scratch I/O bank at 0x80 on the board.
func newTestBench(t testing.TB, faults ...Fault) (*Bench, *ScratchIO) {
	t.Helper()
	io := &ScratchIO{Base: 0x80, Regs: make([]uint8, 4)}
	b, err := New(Config{
		Profile: APU,
		Faults:  faults,
		TPM:     tisdev.New(tisdev.SLB9635(), nil),
		Board:   []Target{io},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, io
}

func TestIOCycles(t *testing.T) {
	b, io := newTestBench(t)
	var log bytes.Buffer
	b.SetCycleLog(&log)
	b.Host.IOWrite(0x81, 0xA5)
	if io.Regs[1] != 0xA5 {
		t.Fatalf("port 0x81 = %#x after IOWrite 0xA5", io.Regs[1])
	}
	if c := b.Host.Last(); c.Status != StatusOK || c.Clocks != 13+APU.IdleClocks {
		t.Errorf("write cycle %v: want ok in 13 clocks + idle", c)
	}
	io.Regs[2] = 0x3C
	if v := b.Host.IORead(0x82); v != 0x3C {
		t.Errorf("IORead(0x82) = %#x, want 0x3c", v)
	}
	if v := b.Host.IORead(0x90); v != 0xFF || b.Host.Last().Status != StatusNoSync {
		t.Errorf("IORead of an unclaimed port = %#x %v, want 0xff abort-no-sync", v, b.Host.Last().Status)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "io wr 0x0081 data 0xa5 waits 0 ok") ||
		!strings.Contains(lines[2], "io rd 0x0090 data 0xff waits 0 abort-no-sync") {
		t.Errorf("cycle log:\n%s", log.String())
	}
}

func TestTPMWindow(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		didvid  uint32
		rid     uint8
		status  Status
	}{
		{"apu", APU, 0x000B15D1, 0x10, StatusOK},
		{"alix hypothesis", ALIX, 0xFFFFFFFF, 0xFF, StatusNoSync},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := New(Config{Profile: tt.profile, TPM: tisdev.New(tisdev.SLB9635(), nil)})
			if err != nil {
				t.Fatal(err)
			}
			var regs bytes.Buffer
			b.SetRegLog(&regs)
			v, err := b.Host.Read32(0xF00)
			if err != nil || v != tt.didvid {
				t.Errorf("Read32(DID_VID) = %#x, %v; want %#x", v, err, tt.didvid)
			}
			if tt.profile.TPMCycles == (b.Host.AccessStatus() == StatusNotEmitted) {
				t.Errorf("AccessStatus() = %v for profile %s", b.Host.AccessStatus(), tt.profile.Name)
			}
			r, _ := b.Host.Read8(0xF04)
			if r != tt.rid || b.Host.Last().Status != tt.status {
				t.Errorf("Read8(RID) = %#x %v, want %#x %v", r, b.Host.Last().Status, tt.rid, tt.status)
			}
			if !strings.Contains(regs.String(), " R DID_VID_0 0x0f00 = 0x") {
				t.Errorf("register log:\n%s", regs.String())
			}
			if tt.profile.Hypothesis && !strings.Contains(regs.String(), "hypothesis") {
				t.Errorf("register log does not say the profile is a hypothesis:\n%s", regs.String())
			}
		})
	}
}

func TestOutsideWindow(t *testing.T) {
	b, _ := newTestBench(t)
	if _, err := b.Host.Read32(0x4FFE); err == nil {
		t.Error("Read32(0x4FFE) crosses the window end but gave no error")
	}
}

func TestErrorSync(t *testing.T) {
	io := &ScratchIO{Base: 0x80, Regs: []uint8{0x12, 0x34}, ErrorAt: 2}
	b, err := New(Config{Profile: APU, Board: []Target{io}})
	if err != nil {
		t.Fatal(err)
	}
	if v := b.Host.IORead(0x81); v != 0x34 || b.Host.Last().Status != StatusErrorSync {
		t.Errorf("IORead(0x81) = %#x %v, want 0x34 error-sync (data still follows)", v, b.Host.Last().Status)
	}
	b.Host.IOWrite(0x81, 0x56)
	if io.Regs[1] != 0x56 || b.Host.Last().Status != StatusErrorSync {
		t.Errorf("IOWrite(0x81): port %#x %v, want 0x56 error-sync", io.Regs[1], b.Host.Last().Status)
	}
	if v := b.Host.IORead(0x80); v != 0x12 || b.Host.Last().Status != StatusOK {
		t.Errorf("IORead(0x80) = %#x %v, want 0x12 ok", v, b.Host.Last().Status)
	}
	if st := b.Host.Stats(); st.ErrorSyncs != 2 || st.Aborts != 0 {
		t.Errorf("stats %+v, want 2 error SYNCs and no aborts", st)
	}
}

func TestResetReleasesLocality(t *testing.T) {
	b, _ := newTestBench(t)
	b.Host.Write8(0x000, 0x02) // requestUse
	if a, _ := b.Host.Read8(0x000); a&0x20 == 0 {
		t.Fatalf("ACCESS_0 = %#x after requestUse, want activeLocality", a)
	}
	resets := b.Host.Stats().Resets
	b.Reset()
	if b.Host.Stats().Resets != resets+1 {
		t.Errorf("Resets = %d, want %d", b.Host.Stats().Resets, resets+1)
	}
	if a, _ := b.Host.Read8(0x000); a&0x20 != 0 {
		t.Errorf("ACCESS_0 = %#x after LRESET#, want no active locality", a)
	}
}
