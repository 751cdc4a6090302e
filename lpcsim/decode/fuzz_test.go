package decode

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

// checkNoPanic decodes arbitrary bytes; any error is fine, a panic is not,
// and every error must say it is about the capture's format.
func checkNoPanic(t *testing.T, b []byte) {
	src, err := openBytes(b, nil)
	if err != nil {
		if !errors.Is(err, ErrFormat) && !isMappingError(err) {
			t.Fatalf("open error does not wrap ErrFormat: %v", err)
		}
		return
	}
	defer src.Close()
	if _, err := drain(src); err != nil && !errors.Is(err, ErrFormat) {
		t.Fatalf("decode error does not wrap ErrFormat: %v", err)
	}
	again, err := openBytes(b, nil)
	if err != nil {
		t.Fatalf("second open failed: %v", err)
	}
	defer again.Close()
	if _, err := Diagnose(again); err != nil && !errors.Is(err, ErrFormat) {
		t.Fatalf("diagnose error does not wrap ErrFormat: %v", err)
	}
}

func isMappingError(err error) bool {
	s := err.Error()
	return len(s) > 0 && (contains(s, "no channel for") || contains(s, "is mapped to both"))
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func FuzzSR(f *testing.F) {
	w := sampleWave()
	f.Add(w.sr(f, srOptions{}))
	f.Add(w.sr(f, srOptions{version: 1}))
	f.Add(w.sr(f, srOptions{unitsize: 2, chunk: 9}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 || b[0] != 'P' || b[1] != 'K' {
			return
		}
		checkNoPanic(t, b)
	})
}

func FuzzVCD(f *testing.F) {
	w := sampleWave()
	f.Add(w.vcd(vcdOptions{}))
	f.Add(w.vcd(vcdOptions{vector: true, oneLine: true}))
	f.Add([]byte("$timescale 1ns $end $var wire 4 ! lad $end $enddefinitions $end #0 b1 !"))
	f.Add(wave{}.dmaWrite(7, true, 3, dmaByte{0xDE, 2, 0x9}, dmaByte{0xAD, 0, 0x9}, dmaByte{0xBE, 0, 0xA}, dmaByte{0xEF, 0, 0x0}).
		dmaRead(1, false, 1, dmaByte{0x11, 1, 0x9}, dmaByte{0x22, 0, 0x0}).vcd(vcdOptions{}))
	f.Add(serWave(serCycle(4, []int{5, 17}, 17, 2) + serCycle(5, []int{3}, 21, 3) + "RRH" + serCycle(4, nil, 4, 0)).vcd(vcdOptions{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= 2 && b[0] == 'P' && b[1] == 'K' {
			return
		}
		checkNoPanic(t, b)
	})
}

// FuzzParseChannels feeds arbitrary --channels values to the mapping
// parser and the channel resolution behind it: no panic; an error names
// the package; a parsed mapping holds only known signals with trimmed,
// non-empty channels, parses back the same from its own rendering, and
// resolves to channel indexes inside the capture or to an error.
func FuzzParseChannels(f *testing.F) {
	for _, s := range []string{"", "lad0=2,lclk=4,lframe#=LF", "scope=module", "LAD[0]=board.LAD0", "lad0=1,lad0=2",
		"=", ",", " lframe_n = 3 ", "lclk=99", "lreset#=-1", "serirq=module.SERIRQ,scope=board", "lad3=lad0,lad0=lad3"} {
		f.Add(s)
	}
	names := []string{"board.LCLK", "board.LFRAME#", "board.LAD0", "board.LAD1", "board.LAD2", "board.LAD3", "",
		"module.LCLK", "module.LFRAME#", "module.LAD0", "module.LAD1", "module.LAD2", "module.LAD3", "LF"}
	f.Fuzz(func(t *testing.T, spec string) {
		o, err := ParseChannels(spec)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "decode: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		var parts []string
		for s, v := range o {
			if s != scopeKey && s >= numSignals {
				t.Fatalf("%q: mapped unknown signal %d", spec, s)
			}
			if v == "" || v != strings.TrimSpace(v) {
				t.Fatalf("%q: %s maps to %q", spec, s, v)
			}
			k := s.String()
			if s == scopeKey {
				k = "scope"
			}
			parts = append(parts, k+"="+v)
		}
		again, err := ParseChannels(strings.Join(parts, ","))
		if err != nil || !maps.Equal(again, o) {
			t.Fatalf("%q parsed to %v; its rendering %q parses to %v, %v", spec, o, strings.Join(parts, ","), again, err)
		}
		ch, err := resolve(names, len(names), o)
		if err != nil {
			return
		}
		for s, c := range ch {
			if c < -1 || c >= len(names) || Signal(s).required() && c < 0 {
				t.Fatalf("%q: %s resolved to channel %d of %d", spec, Signal(s), c, len(names))
			}
		}
	})
}
