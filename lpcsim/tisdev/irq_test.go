package tisdev

import "testing"

// TestInterrupts checks that each transition sets its INT_STATUS bit only
// when enabled, that INT_STATUS is write-1-to-clear, and the IRQ level with
// both polarities.
func TestInterrupts(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	if !d.IRQ() {
		t.Fatal("IRQ() = low with interrupts disabled, want the pull-up (high)")
	}
	request(t, d, 0)
	// Sources enabled, globalIntEnable off: nothing is latched.
	write32(d, reg(0, RegIntEnable), intSources|IntLowLevel)
	d.Write(reg(0, RegSts), StsCommandReady)
	if got := read32(d, reg(0, RegIntStatus)); got != 0 {
		t.Fatalf("INT_STATUS = %#x with globalIntEnable off, want 0", got)
	}
	write32(d, reg(0, RegIntEnable), IntGlobalEnable|intSources|IntLowLevel)
	if got := read32(d, reg(0, RegIntEnable)); got != IntGlobalEnable|intSources|IntLowLevel {
		t.Fatalf("INT_ENABLE = %#x, want %#x", got, IntGlobalEnable|intSources|IntLowLevel)
	}
	if !d.IRQ() {
		t.Fatal("IRQ() = low with nothing pending (low-level polarity), want high")
	}

	steps := []struct {
		name string
		do   func()
		want uint32
	}{
		{"first command byte", func() { d.Write(reg(0, RegDataFIFO), getCapTimeouts[0]) }, IntStsValid},
		{"last command byte", func() {
			for _, b := range getCapTimeouts[1:] {
				d.Write(reg(0, RegDataFIFO), b)
			}
		}, IntStsValid},
		{"tpmGo", func() { d.Write(reg(0, RegSts), StsGo) }, IntDataAvail | IntStsValid},
		{"last response byte", func() {
			for range timeoutsRsp {
				d.Read(reg(0, RegDataFIFO))
			}
		}, IntStsValid},
		{"commandReady", func() { d.Write(reg(0, RegSts), StsCommandReady) }, IntCommandReady},
		{"locality change", func() { d.Write(reg(0, RegAccess), AccessActiveLocality); request(t, d, 0) }, IntLocalityChange},
	}
	for _, s := range steps {
		write32(d, reg(0, RegIntStatus), 0xFFFFFFFF)
		if got := read32(d, reg(0, RegIntStatus)); got != 0 {
			t.Fatalf("%s: INT_STATUS = %#x after clearing, want 0", s.name, got)
		}
		if d.IRQ() != true {
			t.Fatalf("%s: IRQ() low with INT_STATUS clear", s.name)
		}
		s.do()
		if got := read32(d, reg(0, RegIntStatus)); got != s.want {
			t.Errorf("%s: INT_STATUS = %#x, want %#x", s.name, got, s.want)
		}
		if d.IRQ() != false {
			t.Errorf("%s: IRQ() high with an interrupt pending (low-level), want low", s.name)
		}
	}

	// High-level polarity inverts the line.
	write32(d, reg(0, RegIntEnable), IntGlobalEnable|intSources)
	if !d.IRQ() {
		t.Error("IRQ() low with an interrupt pending and high-level polarity, want high")
	}
	write32(d, reg(0, RegIntStatus), 0xFFFFFFFF)
	if d.IRQ() {
		t.Error("IRQ() high with nothing pending and high-level polarity, want low")
	}
}

// TestIntEnableMasks checks that only the interrupt sources the part
// supports, the polarity and globalIntEnable are writable.
func TestIntEnableMasks(t *testing.T) {
	p := SLB9635()
	p.IntfCapability &^= IntLocalityChange
	d, _ := newTestDevice(p)
	request(t, d, 0)
	write32(d, reg(0, RegIntEnable), 0xFFFFFFFF)
	want := uint32(IntGlobalEnable | IntPolarityMask | IntDataAvail | IntStsValid | IntCommandReady)
	if got := read32(d, reg(0, RegIntEnable)); got != want {
		t.Errorf("INT_ENABLE = %#x after writing all ones, want %#x", got, want)
	}
}

// TestIntVector checks INT_VECTOR: writable low nibble, hard-wired on QEMU.
func TestIntVector(t *testing.T) {
	tests := []struct {
		p    Personality
		want uint8
	}{
		{SLB9635(), 0x0B},
		{QEMU(Family12), 0},
	}
	for _, tt := range tests {
		d, _ := newTestDevice(tt.p)
		request(t, d, 0)
		d.Write(reg(0, RegIntVector), 0xFB)
		if got := d.Read(reg(1, RegIntVector)); got != tt.want || d.IntVector() != tt.want {
			t.Errorf("%s: INT_VECTOR = %#x (IntVector %#x), want %#x", tt.p.Name, got, d.IntVector(), tt.want)
		}
	}
}
