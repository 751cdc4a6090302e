package decode

import (
	"testing"
)

// BenchmarkVultureProg decodes the 23,552,000-sample VultureProg capture
// (inflate, normalise, cycle decode); it reports samples per second, the
// figure scripts/bench-decode compares with sigrok-cli's.
func BenchmarkVultureProg(b *testing.B) {
	p := capturePath(b, "vultureprog/lpc_vultureprog.sr")
	o, err := ParseChannels(vultureMap)
	if err != nil {
		b.Fatal(err)
	}
	var samples int64
	b.ReportAllocs()
	for b.Loop() {
		src, err := Open(p, o)
		if err != nil {
			b.Fatal(err)
		}
		st, err := drain(src)
		src.Close()
		if err != nil {
			b.Fatal(err)
		}
		samples += st.Samples
	}
	b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkScan is the hot loop alone on samples already in memory.
func BenchmarkScan(b *testing.B) {
	w := wave{}
	for range 200 {
		w = w.tpmRead(0x24, 2, 0x5A).idle(3)
	}
	states := w.samples()
	b.SetBytes(int64(len(states)))
	b.ReportAllocs()
	for b.Loop() {
		d := newCycleDecoder(func(*Cycle) {})
		d.scan(states, 1, states[0], 0)
	}
}
