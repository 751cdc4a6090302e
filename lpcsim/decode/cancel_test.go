package decode

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/tisdev"
)

// newBench is a simulated APU bench with an SLB9635 and SERIRQ in mode.
func newBench(t testing.TB, mode lpcsim.SerIRQMode) *lpcsim.Bench {
	t.Helper()
	b, err := lpcsim.New(lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(tisdev.SLB9635(), nil), SerIRQ: mode})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// benchVCD runs fn on a new bench (see newBench), recording the board's
// lines, and returns the VCD.
func benchVCD(t testing.TB, mode lpcsim.SerIRQMode, fn func(b *lpcsim.Bench)) []byte {
	t.Helper()
	return recordVCD(t, newBench(t, mode), fn)
}

// recordVCD runs fn on b, recording the board's lines, and returns the VCD.
func recordVCD(t testing.TB, b *lpcsim.Bench, fn func(b *lpcsim.Bench)) []byte {
	t.Helper()
	var vcd bytes.Buffer
	v := b.AttachVCD(&vcd)
	fn(b)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	return vcd.Bytes()
}

// longSource is the real VultureProg capture when it is present, else a
// simulator VCD of a few thousand cycles: either spans many chunks.
func longSource(t *testing.T) Source {
	if dir, ok := reftest.Captures(); ok {
		p := filepath.Join(dir, "lpc", "vultureprog", "lpc_vultureprog.sr")
		if _, err := os.Stat(p); err == nil {
			o, err := ParseChannels(vultureMap)
			if err != nil {
				t.Fatal(err)
			}
			src, err := Open(p, o)
			if err != nil {
				t.Fatal(err)
			}
			return src
		}
	}
	t.Log("real VultureProg capture absent: using a long simulator VCD")
	vcd := benchVCD(t, lpcsim.SerIRQOff, func(b *lpcsim.Bench) {
		for i := range 4000 {
			b.Host.IOWrite(0x80, uint8(i))
		}
	})
	src, err := openBytes(vcd, nil)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestRunContextStops cancels a decode before it starts and in the middle:
// it must stop at the next chunk, say at which sample, and report
// context.Canceled.
func TestRunContextStops(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		src := longSource(t)
		defer src.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		n := 0
		st, err := RunContext(ctx, src, Handlers{Cycle: func(*Cycle) error { n++; return nil }})
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "decode: stopped at sample 0:") {
			t.Fatalf("error %v, want context.Canceled at sample 0", err)
		}
		if n != 0 || st.Samples != 0 {
			t.Errorf("%d cycles, %d samples decoded after the context was canceled", n, st.Samples)
		}
	})
	t.Run("midway", func(t *testing.T) {
		src := longSource(t)
		defer src.Close()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		const at = 1000
		n := 0
		st, err := RunContext(ctx, src, Handlers{Cycle: func(*Cycle) error {
			if n++; n == at {
				cancel()
			}
			return nil
		}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if !strings.Contains(err.Error(), "stopped at sample ") || strings.Contains(err.Error(), "sample 0:") {
			t.Errorf("error %q does not say where it stopped", err)
		}
		// The cancel lands within one chunk: far fewer cycles than the capture holds.
		if n < at || n > 2*at {
			t.Errorf("%d cycles decoded, want the decode to stop within a chunk of cycle %d", n, at)
		}
		if st.Cycles != n {
			t.Errorf("stats count %d cycles, the handler saw %d", st.Cycles, n)
		}
	})
}
