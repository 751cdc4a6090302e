package tisdev

import (
	"bytes"
	"testing"
)

const idle = AccessValid | AccessEstablishment

// TestLocalities checks the identity registers of every locality of every
// built-in personality (QEMU qtest check_localities).
func TestLocalities(t *testing.T) {
	tests := []struct {
		p                    Personality
		cap, ifaceID, didvid uint32
		rid                  uint8
		sts3                 uint8
	}{
		{SLB9635(), 0x00000097, 0xFFFFFFFF, 0x000B15D1, 0x10, 0},
		{SLB9665(), 0x30000697, 0xFFFFFFFF, 0x001A15D1, 0x10, Sts3Family20},
		{QEMU(Family12), 0x20000697, 0xFFFFFFFF, 0x00011014, 0x01, 0},
		{QEMU(Family20), 0x30000697, 0x00002100, 0x00011014, 0x01, Sts3Family20},
	}
	for _, tt := range tests {
		t.Run(tt.p.Name, func(t *testing.T) {
			d, _ := newTestDevice(tt.p)
			for l := range Localities {
				wantAccess(t, d, l, idle)
				if got := read32(d, reg(l, RegIntfCapability)); got != tt.cap {
					t.Errorf("INTF_CAPABILITY_%d = %#08x, want %#08x", l, got, tt.cap)
				}
				if got := read32(d, reg(l, RegInterfaceID)); got != tt.ifaceID {
					t.Errorf("INTERFACE_ID_%d = %#08x, want %#08x", l, got, tt.ifaceID)
				}
				if got := read32(d, reg(l, RegDIDVID)); got != tt.didvid {
					t.Errorf("DID_VID_%d = %#08x, want %#08x", l, got, tt.didvid)
				}
				if got := d.Read(reg(l, RegRID)); got != tt.rid {
					t.Errorf("RID_%d = %#02x, want %#02x", l, got, tt.rid)
				}
				if got := read32(d, reg(l, RegIntEnable)); got != IntLowLevel {
					t.Errorf("INT_ENABLE_%d = %#08x, want %#08x", l, got, IntLowLevel)
				}
			}
			request(t, d, 0)
			if got := d.Read(reg(0, RegSts+3)); got != tt.sts3 {
				t.Errorf("STS byte 3 = %#02x, want %#02x (tpmFamily)", got, tt.sts3)
			}
		})
	}
}

// TestAccessRequestRelease requests and relinquishes each of localities 0-3
// (QEMU qtest check_access_reg).
func TestAccessRequestRelease(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	for l := range Localities - 1 {
		wantAccess(t, d, l, idle)
		d.Write(reg(l, RegAccess), AccessRequestUse)
		wantAccess(t, d, l, idle|AccessActiveLocality)
		if d.ActiveLocality() != l {
			t.Fatalf("ActiveLocality() = %d, want %d", d.ActiveLocality(), l)
		}
		d.Write(reg(l, RegAccess), AccessActiveLocality)
		wantAccess(t, d, l, idle)
	}
	if d.ActiveLocality() != -1 {
		t.Errorf("ActiveLocality() = %d after releasing all, want -1", d.ActiveLocality())
	}
}

// TestAccessSeize checks that lower localities can neither request nor seize
// an active locality, that higher ones seize it, that the loser sees
// beenSeized until it writes 1 to it, and that releases then walk down the
// waiting localities (QEMU qtest access_reg_seize).
func TestAccessSeize(t *testing.T) {
	for locty := range Localities - 1 {
		d, _ := newTestDevice(QEMU(Family20))
		var pending uint8
		d.Write(reg(locty, RegAccess), AccessRequestUse)
		wantAccess(t, d, locty, idle|AccessActiveLocality)

		for l := range locty {
			wantAccess(t, d, l, idle|pending)
			d.Write(reg(l, RegAccess), AccessRequestUse)
			wantAccess(t, d, l, idle|AccessRequestUse|pending)
			wantAccess(t, d, locty, idle|AccessActiveLocality|AccessPendingRequest)
			d.Write(reg(l, RegAccess), AccessSeize)
			wantAccess(t, d, l, idle|AccessRequestUse|pending)
			wantAccess(t, d, locty, idle|AccessActiveLocality|AccessPendingRequest)
			pending = AccessPendingRequest
		}

		l := locty + 1
		for ; l < Localities-1; l++ {
			d.Write(reg(l, RegAccess), AccessRequestUse)
			wantAccess(t, d, l, idle|AccessRequestUse|pending)
			wantAccess(t, d, l-1, idle|AccessActiveLocality|AccessPendingRequest)
			d.Write(reg(l, RegAccess), AccessSeize)
			wantAccess(t, d, l, idle|AccessActiveLocality|pending)
			wantAccess(t, d, l-1, idle|AccessBeenSeized|pending)
			d.Write(reg(l-1, RegAccess), AccessBeenSeized)
			wantAccess(t, d, l-1, idle|pending)
		}

		// Releasing the top locality hands the TPM down the waiting ones.
		if locty <= 1 {
			pending = 0
		}
		l--
		d.Write(reg(l, RegAccess), AccessActiveLocality)
		wantAccess(t, d, l, idle|pending)
		for l = locty - 1; l >= 0; l-- {
			wantAccess(t, d, l, idle|AccessActiveLocality|pending)
			d.Write(reg(l, RegAccess), AccessActiveLocality)
			if l == 1 {
				pending = 0
			}
		}
		for l := range Localities - 1 {
			wantAccess(t, d, l, idle)
		}
	}
}

// TestAccessRelease has every other locality request use while one is
// active; each release grants the highest waiting one (QEMU qtest
// access_reg_release).
func TestAccessRelease(t *testing.T) {
	for locty := Localities - 2; locty >= 0; locty-- {
		d, _ := newTestDevice(SLB9635())
		var pending uint8
		d.Write(reg(locty, RegAccess), AccessRequestUse)
		wantAccess(t, d, locty, idle|AccessActiveLocality)
		for l := range Localities - 1 {
			if l == locty {
				continue
			}
			d.Write(reg(l, RegAccess), AccessRequestUse)
			wantAccess(t, d, l, idle|AccessRequestUse|pending)
			pending = AccessPendingRequest
		}
		d.Write(reg(locty, RegAccess), AccessActiveLocality)
		for l := Localities - 2; l >= 0; l-- {
			if l == locty {
				continue
			}
			wantAccess(t, d, l, idle|AccessActiveLocality|pending)
			d.Write(reg(l, RegAccess), AccessActiveLocality)
			if l == 1 || (locty <= 1 && l == 2) {
				pending = 0
			}
			wantAccess(t, d, l, idle|pending)
		}
		if d.ActiveLocality() != -1 {
			t.Errorf("locty %d: ActiveLocality() = %d at the end, want -1", locty, d.ActiveLocality())
		}
	}
}

// TestRelinquishClearsRequest checks that writing activeLocality to a
// locality that is not active withdraws its pending request.
func TestRelinquishClearsRequest(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	request(t, d, 0)
	d.Write(reg(2, RegAccess), AccessRequestUse)
	wantAccess(t, d, 0, idle|AccessActiveLocality|AccessPendingRequest)
	d.Write(reg(2, RegAccess), AccessActiveLocality)
	wantAccess(t, d, 2, idle)
	wantAccess(t, d, 0, idle|AccessActiveLocality)
	d.Write(reg(0, RegAccess), AccessActiveLocality)
	if d.ActiveLocality() != -1 {
		t.Errorf("ActiveLocality() = %d, want -1: the withdrawn request was granted", d.ActiveLocality())
	}
}

// TestLocality4 checks that locality 4 reads like any other but ignores
// every write: only hardware may use it.
func TestLocality4(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	wantAccess(t, d, 4, idle)
	d.Write(reg(4, RegAccess), AccessRequestUse)
	wantAccess(t, d, 4, idle)
	d.Write(reg(4, RegAccess), AccessSeize)
	wantAccess(t, d, 4, idle)
	if d.ActiveLocality() != -1 {
		t.Fatalf("ActiveLocality() = %d after locality-4 writes, want -1", d.ActiveLocality())
	}
	request(t, d, 0)
	d.Write(reg(4, RegAccess), AccessSeize)
	wantAccess(t, d, 0, idle|AccessActiveLocality)
	if got := read32(d, reg(4, RegDIDVID)); got != 0x000B15D1 {
		t.Errorf("DID_VID_4 = %#08x, want 0x000b15d1", got)
	}
}

// TestInactiveLocality checks that STS and the FIFO of a locality that is
// not active read 0xFF and ignore writes, as do INT_ENABLE and INT_STATUS.
func TestInactiveLocality(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	for l := range Localities {
		for _, off := range []uint16{RegSts, RegSts + 1, RegSts + 2, RegSts + 3, RegDataFIFO} {
			if got := d.Read(reg(l, off)); got != 0xFF {
				t.Errorf("no active locality: read %#04x = %#02x, want 0xff", reg(l, off), got)
			}
		}
	}
	request(t, d, 0)
	d.Write(reg(1, RegSts), StsCommandReady)
	if d.State() != StateIdle {
		t.Fatalf("commandReady from inactive locality 1 moved the FIFO to %v", d.State())
	}
	d.Write(reg(1, RegIntEnable), IntDataAvail)
	if got := d.Read(reg(1, RegIntEnable)); got != IntLowLevel {
		t.Errorf("INT_ENABLE_1 = %#02x after write from inactive locality, want %#02x", got, IntLowLevel)
	}
	if got := sts(d, 1); got != 0xFF {
		t.Errorf("STS_1 = %#02x while locality 0 is active, want 0xff", got)
	}
	wantSts(t, d, 0, 0)
	d.Write(reg(0, RegSts), StsCommandReady)
	d.Write(reg(1, RegDataFIFO), 0x00)
	wantSts(t, d, 0, StsCommandReady) // the byte went nowhere
}

// TestNeverGrant checks the fault where no locality is ever granted.
func TestNeverGrant(t *testing.T) {
	p := SLB9635()
	p.Faults.NeverGrant = true
	d, _ := newTestDevice(p)
	d.Write(reg(0, RegAccess), AccessRequestUse)
	wantAccess(t, d, 0, idle|AccessRequestUse)
	d.Write(reg(2, RegAccess), AccessSeize)
	wantAccess(t, d, 2, idle|AccessPendingRequest)
	if d.ActiveLocality() != -1 {
		t.Errorf("ActiveLocality() = %d, want -1", d.ActiveLocality())
	}
}

// TestRegValid checks tpmRegValidSts during startup and under the
// never-valid fault: Timing.StartupAccesses = N makes exactly the first N
// accesses after reset read tpmRegValidSts = 0, writes counting too.
func TestRegValid(t *testing.T) {
	tests := []struct {
		startup int
		writes  int // ACCESS writes of 0 (no effect) before the reads
		want    []uint8
	}{
		{0, 0, []uint8{idle, idle}},
		{1, 0, []uint8{AccessEstablishment, idle, idle}},
		{2, 0, []uint8{AccessEstablishment, AccessEstablishment, idle}},
		{3, 0, []uint8{AccessEstablishment, AccessEstablishment, AccessEstablishment, idle, idle}},
		{3, 2, []uint8{AccessEstablishment, idle, idle}},
		{2, 2, []uint8{idle, idle}},
	}
	for _, tt := range tests {
		p := SLB9635()
		p.Timing.StartupAccesses = tt.startup
		d, _ := newTestDevice(p)
		for range tt.writes {
			d.Write(reg(0, RegAccess), 0)
		}
		var got []uint8
		for range tt.want {
			got = append(got, access(d, 0))
		}
		if !bytes.Equal(got, tt.want) {
			t.Errorf("StartupAccesses %d, %d writes: ACCESS reads after reset = %#02x, want %#02x",
				tt.startup, tt.writes, got, tt.want)
		}
		d.Reset()
		if got := access(d, 0); tt.startup > 0 && got != AccessEstablishment {
			t.Errorf("StartupAccesses %d: first ACCESS read after Reset = %#02x, want %#02x",
				tt.startup, got, AccessEstablishment)
		}
	}

	p := SLB9635()
	p.Faults.NeverValid = true
	d, _ := newTestDevice(p)
	d.Write(reg(0, RegAccess), AccessRequestUse)
	wantAccess(t, d, 0, AccessEstablishment|AccessActiveLocality)
}
