package lpcsim

import (
	"io"
	"testing"

	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/tisdev"
	"tpmbench/tpm"
)

// TIS offsets and STS bits the round trip uses.
const (
	offAccess = 0x000
	offSTS    = 0x018
	offBurst  = 0x019
	offFIFO   = 0x024

	stsValid     = 0x80
	stsCmdReady  = 0x40
	stsGo        = 0x20
	stsDataAvail = 0x10
)

// fifoRoundTrip sends cmd through locality 0's FIFO the way a polling
// driver does (commandReady, bytes, tpmGo, poll dataAvail, read by
// burstCount, commandReady) and returns the response length.
func fifoRoundTrip(h *Host, cmd, rsp []byte) int {
	h.Write8(offSTS, stsCmdReady)
	for _, c := range cmd {
		h.Write8(offFIFO, c)
	}
	h.Write8(offSTS, stsGo)
	for range 1000 {
		if s, _ := h.Read8(offSTS); s&(stsValid|stsDataAvail) == stsValid|stsDataAvail {
			break
		}
	}
	n := 0
	for n < len(rsp) {
		lo, _ := h.Read8(offBurst)
		hi, _ := h.Read8(offBurst + 1)
		burst := int(lo) | int(hi)<<8
		if burst == 0 {
			break
		}
		for ; burst > 0 && n < len(rsp); burst-- {
			rsp[n], _ = h.Read8(offFIFO)
			n++
		}
		if s, _ := h.Read8(offSTS); s&stsDataAvail == 0 {
			break
		}
	}
	h.Write8(offSTS, stsCmdReady)
	return n
}

// newEngineBench is the reference bench with a TPM 1.2 engine that has
// been sent TPM_Startup(ST_CLEAR) through the bus.
func newEngineBench(tb testing.TB) *Bench {
	tb.Helper()
	b, err := New(Config{Profile: APU, TPM: tisdev.New(tisdev.SLB9635(), tpm12.New())})
	if err != nil {
		tb.Fatal(err)
	}
	b.Host.Write8(offAccess, 0x02) // requestUse
	rsp := make([]byte, 64)
	n := fifoRoundTrip(b.Host, tpm.Startup(tpm.STClear), rsp)
	if r, err := tpm.ParseResponse(rsp[:n]); err != nil || r.Code != 0 {
		tb.Fatalf("TPM_Startup through the bus: % x, %v", rsp[:n], err)
	}
	return b
}

func TestFIFORoundTrip(t *testing.T) {
	b := newEngineBench(t)
	rsp := make([]byte, 4096)
	n := fifoRoundTrip(b.Host, tpm.GetCapVersionVal(), rsp)
	r, err := tpm.ParseResponse(rsp[:n])
	if err != nil || r.Code != 0 {
		t.Fatalf("GetCapability(VERSION_VAL) through the bus: % x, %v", rsp[:n], err)
	}
	if st := b.Host.Stats(); st.Aborts != 0 {
		t.Errorf("%d aborted cycles on a healthy bench", st.Aborts)
	}
}

// TestNoAllocPerClock checks the hot path: a byte cycle on a healthy bench
// and on a faulty one (general net resolution, flips) allocates nothing.
func TestNoAllocPerClock(t *testing.T) {
	for _, faults := range [][]Fault{nil, {{Kind: Flip, Line: LAD1, Rate: 0.001, Seed: 1}, {Kind: Swap, Line: LAD0, Other: LAD3}}} {
		b, err := New(Config{Profile: APU, Faults: faults, TPM: tisdev.New(tisdev.SLB9635(), nil), SerIRQ: SerIRQContinuous})
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { b.Host.Read8(0xF00) }); n != 0 {
			t.Errorf("faults %v: %v allocations per byte cycle, want 0", faults, n)
		}
		// With every output attached the trace still streams: nothing
		// accumulates per cycle.
		b.SetCycleLog(io.Discard)
		b.SetRegLog(io.Discard)
		v := b.AttachVCD(io.Discard)
		if n := testing.AllocsPerRun(100, func() { b.Host.Read8(0xF00) }); n != 0 {
			t.Errorf("faults %v, logs and VCD on: %v allocations per byte cycle, want 0", faults, n)
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkGetCapabilityFIFO runs TPM_GetCapability(VERSION_VAL) round trips
// through the FIFO on the reference bench and reports simulated LCLK per
// wall second as a multiple of the real 33.33 MHz bus.
func BenchmarkGetCapabilityFIFO(b *testing.B) {
	bench := newEngineBench(b)
	cmd := tpm.GetCapVersionVal()
	rsp := make([]byte, 4096)
	start := bench.Clock()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if n := fifoRoundTrip(bench.Host, cmd, rsp); n < 10 {
			b.Fatalf("short response %d bytes", n)
		}
	}
	clocks := float64(bench.Clock() - start)
	b.ReportMetric(clocks/b.Elapsed().Seconds()/33.33e6, "x-realtime")
	b.ReportMetric(clocks/float64(b.N), "LCLK/op")
}
