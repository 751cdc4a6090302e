package decode

import (
	"path/filepath"
	"testing"

	"tpmbench/internal/reftest"
)

// capturePath is the real LPC capture rel (under the captures' lpc/ directory); the test skips
// when it is absent.
func capturePath(t testing.TB, rel string) string {
	t.Helper()
	return reftest.Capture(t, "lpc/"+rel)
}

// vultureMap names the channels of the full VultureProg capture, which calls
// them 0..7 (its README gives the wiring).
const vultureMap = "lad0=0,lad1=1,lad2=2,lad3=3,lclk=4,lframe=5"

// TestRealCaptures checks every small real capture against what its README
// says is on the wire (the truth in the captures README).
func TestRealCaptures(t *testing.T) {
	type want struct {
		kind   Kind
		addr   uint32
		idsel  uint8
		size   int
		data   string
		waits  int
		status Status
		devs   []DeviationKind
	}
	tests := []struct {
		file string
		want []want
	}{
		{"h55/h55_lpc_io_write.sr", []want{{kind: IOWrite, addr: 0x2E, size: 1, data: "55"}}},
		{"power9/power9_lpc_io_read.sr", []want{{kind: IORead, addr: 0x3FD, size: 1, data: "60", waits: 2}}},
		{"power9/power9_lpc_io_write.sr", []want{{kind: IOWrite, addr: 0x3F8, size: 1, data: "73", waits: 2}}},
		{"power9/power9_lpc_firmware_read.sr", []want{{kind: FWRead, addr: 0xFFF7000, size: 4, data: "50415254", waits: 15}}},
		{"power9/power9_lpc_firmware_write.sr", []want{{kind: FWWrite, addr: 0xC031360, size: 4, data: "00000000", waits: 3}}},
		{"power9/power9_lpc_io_write_abort.sr", []want{
			{kind: IOWrite, addr: 0x3FF, size: 1, data: "68", devs: []DeviationKind{TARNotF, ShortTAR}},
			{kind: Abort},
		}},
		{"vultureprog/lpc_vultureprog_snippet.sr", []want{
			{kind: MemRead, addr: 0xFFBC0000, size: 1, data: "BF", devs: []DeviationKind{ShortTAR}},
			{kind: MemRead, addr: 0xFFBC0001, size: 1, data: "5B", status: Truncated},
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			cycles, _, err := DecodeFile(capturePath(t, tt.file), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(cycles) != len(tt.want) {
				for _, c := range cycles {
					t.Log(c)
				}
				t.Fatalf("got %d cycles, want %d", len(cycles), len(tt.want))
			}
			for i, w := range tt.want {
				c := cycles[i]
				got := want{kind: c.Kind, addr: c.Addr, idsel: c.IDSel, data: hexBytes(c.Data), waits: c.Waits, status: c.Status}
				if c.Kind != Abort {
					got.size = c.Size
				}
				for _, d := range c.Deviations {
					got.devs = append(got.devs, d.Kind)
				}
				if !sameWant(got.devs, w.devs) || got.kind != w.kind || got.addr != w.addr || got.idsel != w.idsel ||
					got.size != w.size || got.data != w.data || got.waits != w.waits || got.status != w.status {
					t.Errorf("cycle %d = %s\n got %+v\nwant %+v", i, c, got, w)
				}
			}
		})
	}
}

func sameWant(a, b []DeviationKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hexBytes(b []byte) string {
	const digits = "0123456789ABCDEF"
	s := make([]byte, 0, 2*len(b))
	for _, v := range b {
		s = append(s, digits[v>>4], digits[v&15])
	}
	return string(s)
}

// TestAbortCapture checks the details of the host abort: LFRAME# low for 4
// clocks, and the write before it ending in a 0000 TAR.
func TestAbortCapture(t *testing.T) {
	cycles, st, err := DecodeFile(capturePath(t, "power9/power9_lpc_io_write_abort.sr"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cycles) != 2 {
		t.Fatalf("got %d cycles, want 2", len(cycles))
	}
	a := cycles[1]
	if a.Kind != Abort || a.FrameClocks != 4 || a.Has(ShortAbort) {
		t.Errorf("abort = %s (LFRAME# low %d clocks), want a 4-clock abort", a, a.FrameClocks)
	}
	if st.Kind(Abort) != 1 || st.Deviation(TARNotF) != 1 {
		t.Errorf("stats: %d aborts, %d bad TARs; want 1 and 1", st.Kind(Abort), st.Deviation(TARNotF))
	}
	if d := cycles[0].Deviations[0]; d.Field != FieldFinalTAR || d.Value != 0 {
		t.Errorf("first deviation = %v, want tar-not-1111 in the final TAR with value 0000", d)
	}
}

// TestVultureProg decodes the 23.5 M-sample capture: 27,490 cycles, 11,918
// memory reads, 15,572 memory writes, the SST JEDEC ID 0xBF 0x5B and 3,893
// byte-program command sequences.
func TestVultureProg(t *testing.T) {
	if testing.Short() {
		t.Skip("large capture skipped in -short mode")
	}
	p := capturePath(t, "vultureprog/lpc_vultureprog.sr")
	o, err := ParseChannels(vultureMap)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Open(p, o)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var first []*Cycle
	var seq []uint32 // addresses of the last 4 writes, to spot AA/55/A0 sequences
	var vals []byte
	programs := 0
	st, err := Cycles(src, func(c *Cycle) error {
		if len(first) < 2 {
			first = append(first, c)
		}
		if c.Kind == MemWrite && len(c.Data) == 1 {
			seq = append(seq, c.Addr)
			vals = append(vals, c.Data[0])
			if n := len(seq); n >= 3 && seq[n-3] == 0xFFF05555 && vals[n-3] == 0xAA && seq[n-2] == 0xFFF02AAA &&
				vals[n-2] == 0x55 && seq[n-1] == 0xFFF05555 && vals[n-1] == 0xA0 {
				programs++
			}
			if len(seq) > 8 {
				seq, vals = seq[len(seq)-3:], vals[len(vals)-3:]
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Samples != 23552000 || st.Clocks != 439840 {
		t.Errorf("samples %d, LCLK edges %d; want 23552000, 439840", st.Samples, st.Clocks)
	}
	if st.Cycles != 27490 || st.Kind(MemRead) != 11918 || st.Kind(MemWrite) != 15572 {
		t.Errorf("cycles %d (%d mem reads, %d mem writes), want 27490 (11918, 15572)", st.Cycles, st.Kind(MemRead), st.Kind(MemWrite))
	}
	if programs != 3893 {
		t.Errorf("%d AA/55/A0 program sequences, want 3893", programs)
	}
	want := []struct {
		addr uint32
		data byte
	}{{0xFFBC0000, 0xBF}, {0xFFBC0001, 0x5B}}
	for i, w := range want {
		if c := first[i]; c.Kind != MemRead || c.Addr != w.addr || len(c.Data) != 1 || c.Data[0] != w.data {
			t.Errorf("cycle %d = %s, want mem-read 0x%08X -> 0x%02X", i, c, w.addr, w.data)
		}
	}
	if n := st.Deviation(ShortTAR); n != 27489 {
		t.Errorf("%d one-clock final TARs, want 27489 (every cycle but the truncated last)", n)
	}
}
