package decode

import (
	"errors"
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
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= 2 && b[0] == 'P' && b[1] == 'K' {
			return
		}
		checkNoPanic(t, b)
	})
}
