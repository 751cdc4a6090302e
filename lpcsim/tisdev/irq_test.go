package tisdev

import "testing"

// TestInterrupts checks that each transition sets its INT_STATUS bit only
// when enabled, that INT_STATUS is write-1-to-clear, and what the device
// drives on SERIRQ with both polarities.
func TestInterrupts(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	if d.IRQ() {
		t.Fatal("IRQ() = true with interrupts disabled, want false (SERIRQ not driven)")
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
	if d.IRQ() {
		t.Fatal("IRQ() = true with nothing pending (low-level polarity), want false")
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
		if d.IRQ() {
			t.Fatalf("%s: IRQ() = true with INT_STATUS clear", s.name)
		}
		s.do()
		if got := read32(d, reg(0, RegIntStatus)); got != s.want {
			t.Errorf("%s: INT_STATUS = %#x, want %#x", s.name, got, s.want)
		}
		if !d.IRQ() {
			t.Errorf("%s: IRQ() = false with an interrupt pending (low-level), want true", s.name)
		}
	}

	// High-level polarity inverts the line: it idles low.
	write32(d, reg(0, RegIntEnable), IntGlobalEnable|intSources)
	if d.IRQ() {
		t.Error("IRQ() = true with an interrupt pending and high-level polarity, want false")
	}
	write32(d, reg(0, RegIntStatus), 0xFFFFFFFF)
	if !d.IRQ() {
		t.Error("IRQ() = false with nothing pending and high-level polarity, want true (line idles low)")
	}
	// globalIntEnable off: SERIRQ is not driven, whatever is pending.
	write32(d, reg(0, RegIntEnable), IntGlobalEnable|intSources|IntLowLevel)
	d.Write(reg(0, RegSts), StsCommandReady)
	if got := read32(d, reg(0, RegIntStatus)); got != IntCommandReady {
		t.Fatalf("INT_STATUS = %#x after commandReady, want %#x", got, IntCommandReady)
	}
	write32(d, reg(0, RegIntEnable), intSources|IntLowLevel)
	if d.IRQ() {
		t.Error("IRQ() = true with globalIntEnable off")
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
