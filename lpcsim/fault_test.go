package lpcsim

import (
	"errors"
	"testing"

	"tpmbench/lpcsim/tisdev"
)

// maxClocksPerByte bounds one byte cycle under any fault: START, the longest
// header, data, turn-arounds, the wait limit, the no-SYNC limit, the abort
// and idle.
var maxClocksPerByte = uint64(APU.StartClocks + 9 + 2 + 2 + APU.WaitLimit + APU.NoSyncLimit + 4 + 4 + APU.IdleClocks)

func TestEveryFaultEndsBounded(t *testing.T) {
	for _, mode := range []SerIRQMode{SerIRQOff, SerIRQContinuous} {
		faults := SingleLineFaults()
		for _, pair := range [][2]Signal{{LAD0, LAD1}, {LAD2, LAD3}, {LAD0, LFRAME}, {LFRAME, LRESET}, {LCLK, LAD0}, {SERIRQ, LFRAME}} {
			faults = append(faults, Fault{Kind: Bridge, Line: pair[0], Other: pair[1]}, Fault{Kind: Swap, Line: pair[0], Other: pair[1]})
		}
		for _, f := range faults {
			t.Run(mode.String()+"/"+f.String(), func(t *testing.T) {
				b, err := New(Config{Profile: APU, Faults: []Fault{f}, TPM: tisdev.New(tisdev.SLB9635(), nil), SerIRQ: mode})
				if err != nil {
					t.Fatal(err)
				}
				start := b.Clock()
				v, err := b.Host.Read32(0xF00)
				if err != nil {
					t.Fatalf("Read32: %v", err)
				}
				if err := b.Host.Write8(0x000, 0x02); err != nil {
					t.Fatalf("Write8: %v", err)
				}
				if n := b.Clock() - start; n > 5*maxClocksPerByte {
					t.Errorf("5 byte cycles took %d clocks, bound %d", n, 5*maxClocksPerByte)
				}
				_ = v
			})
		}
	}
}

func TestFaultEffects(t *testing.T) {
	const good = 0x000B15D1
	tests := []struct {
		fault   string
		didvid  uint32 // 0 = anything but the right value
		powered bool
	}{
		{"open LCLK", 0xFFFFFFFF, true},
		{"missing-3v3", 0xFFFFFFFF, false},
		{"missing-gnd", 0xFFFFFFFF, false},
		{"stuck-low +3V3", 0xFFFFFFFF, false},
		{"lreset-held", 0xFFFFFFFF, true},
		{"stuck-low LFRAME#", 0xFFFFFFFF, true},
		{"stuck-high LFRAME#", 0xFFFFFFFF, true},
		{"open LFRAME#", 0xFFFFFFFF, true},
		{"open SERIRQ", good, true},
		{"stuck-high SERIRQ", good, true},
		{"open LRESET#", good, true},
		{"swap LAD0 LAD1", 0, true},
		{"open LAD2", 0, true},
		{"bridge LAD1 LAD2", 0, true},
		{"stuck-low LAD3", 0x77777777, true}, // address 0xF00 arrives as 0x700, every nibble loses bit 3
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			f, err := ParseFault(tt.fault)
			if err != nil {
				t.Fatal(err)
			}
			b, err := New(Config{Profile: APU, Faults: []Fault{f}, TPM: tisdev.New(tisdev.SLB9635(), nil)})
			if err != nil {
				t.Fatal(err)
			}
			if b.Powered() != tt.powered {
				t.Errorf("Powered() = %v (%s), want %v", b.Powered(), b.Dead(), tt.powered)
			}
			v, _ := b.Host.Read32(0xF00)
			switch {
			case tt.didvid == 0 && v == good:
				t.Errorf("DID_VID read correctly (%#x) through %s", v, f.Describe())
			case tt.didvid != 0 && v != tt.didvid:
				t.Errorf("DID_VID = %#x through %s, want %#x", v, f.Describe(), tt.didvid)
			}
		})
	}
}

func TestFlipReproducible(t *testing.T) {
	read := func(seed uint64) (uint32, Stats) {
		f := Fault{Kind: Flip, Line: LAD1, Rate: 0.02, Seed: seed}
		b, err := New(Config{Profile: APU, Faults: []Fault{f}, TPM: tisdev.New(tisdev.SLB9635(), nil)})
		if err != nil {
			t.Fatal(err)
		}
		var acc uint32
		for range 20 {
			v, _ := b.Host.Read32(0xF00)
			acc = acc*31 + v
		}
		return acc, b.Host.Stats()
	}
	a1, s1 := read(7)
	a2, s2 := read(7)
	a3, _ := read(8)
	if a1 != a2 || s1 != s2 {
		t.Errorf("same seed gave different runs: %#x %+v vs %#x %+v", a1, s1, a2, s2)
	}
	if a1 == a3 {
		t.Errorf("seeds 7 and 8 gave the same run %#x", a1)
	}
}

func TestParseFaultErrors(t *testing.T) {
	for _, s := range []string{"", "melt LAD0", "open", "open LAD9", "swap LAD0", "swap LAD0 LAD0",
		"flip LAD0", "flip LAD0 2", "flip LAD0 0.1 seed=x", "flip +3V3 0.1", "open LAD0 LAD1", "missing-lclk now"} {
		if _, err := ParseFault(s); !errors.Is(err, ErrBadFault) {
			t.Errorf("ParseFault(%q) = %v, want ErrBadFault", s, err)
		}
	}
	for _, f := range SingleLineFaults() {
		g, err := ParseFault(f.String())
		if err != nil || g != f {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", f.String(), g, err, f)
		}
	}
}

func FuzzParseFault(f *testing.F) {
	for _, x := range SingleLineFaults() {
		f.Add(x.String())
	}
	for _, s := range []string{"missing-lclk", "bridge LAD1 LFRAME#", "flip LCLK 1 seed=0x10", "open vcc3", "stuck-low 3.3V"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseFault(s)
		if err != nil {
			if !errors.Is(err, ErrBadFault) {
				t.Fatalf("ParseFault(%q) error %v does not match ErrBadFault", s, err)
			}
			return
		}
		if err := x.Check(); err != nil {
			t.Fatalf("ParseFault(%q) accepted a fault Check rejects: %v", s, err)
		}
		y, err := ParseFault(x.String())
		if err != nil || y != x {
			t.Fatalf("ParseFault(%q) = %+v; its String %q reads back as %+v, %v", s, x, x.String(), y, err)
		}
	})
}

func TestParseSignal(t *testing.T) {
	for name, want := range map[string]Signal{"LFRAME#": LFRAME, "lframe": LFRAME, "lad3": LAD3, "+3V3": V3P3, "3v3": V3P3,
		"VCC3": V3P3, "+3V3SB": V3P3SB, "GND": GND, "+5V": V5, "serirq": SERIRQ, "CLKRUN": CLKRUN} {
		if got, ok := ParseSignal(name); !ok || got != want {
			t.Errorf("ParseSignal(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{"CLK48", "KEY", "NC", "LAD4", ""} {
		if s, ok := ParseSignal(name); ok {
			t.Errorf("ParseSignal(%q) = %v, want not modelled", name, s)
		}
	}
}

func TestProfileCheck(t *testing.T) {
	for _, p := range Profiles() {
		if err := p.Check(); err != nil {
			t.Errorf("built-in profile %s: %v", p.Name, err)
		}
	}
	bad := APU
	bad.NoSyncLimit = 0
	if _, err := New(Config{Profile: bad}); err == nil {
		t.Error("New accepted a profile with NoSyncLimit 0")
	}
	if _, err := LookupProfile("via"); err == nil {
		t.Error("LookupProfile(via) gave no error")
	}
}
