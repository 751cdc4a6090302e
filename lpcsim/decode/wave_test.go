package decode

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clk is the bus state of one LCLK period, as the decoder should sample it.
type clk struct {
	lad       uint8
	frameLow  bool
	resetLow  bool
	serirqLow bool
}

// wave is a clock-level LPC waveform for building test captures.
type wave []clk

func (w wave) idle(n int) wave {
	for range n {
		w = append(w, clk{lad: 0xF})
	}
	return w
}

// frame drives LFRAME# low for one clock per START value given.
func (w wave) frame(starts ...uint8) wave {
	for _, s := range starts {
		w = append(w, clk{lad: s, frameLow: true})
	}
	return w
}

func (w wave) nib(ns ...uint8) wave {
	for _, n := range ns {
		w = append(w, clk{lad: n})
	}
	return w
}

func (w wave) reset(n int) wave {
	for range n {
		w = append(w, clk{lad: 0xF, resetLow: true})
	}
	return w
}

func addrNibs(addr uint32, n int) []uint8 {
	out := make([]uint8, n)
	for i := range n {
		out[i] = uint8(addr >> (4 * (n - 1 - i)) & 0xF)
	}
	return out
}

func dataNibs(data ...byte) []uint8 {
	var out []uint8
	for _, b := range data {
		out = append(out, b&0xF, b>>4)
	}
	return out
}

func waits(n int, code uint8) []uint8 {
	out := make([]uint8, n)
	for i := range out {
		out[i] = code
	}
	return out
}

// read appends a read-shaped cycle: START, CYCTYPE, address, TAR, SYNC with
// waits, data, TAR.
func (w wave) read(start, ct uint8, addr uint32, addrN int, nWaits int, data ...byte) wave {
	w = w.frame(start).nib(ct).nib(addrNibs(addr, addrN)...).nib(0xF, 0xF)
	w = w.nib(waits(nWaits, 0x6)...).nib(0x0).nib(dataNibs(data...)...)
	return w.nib(0xF, 0xF)
}

// write appends a write-shaped cycle: START, CYCTYPE, address, data, TAR,
// SYNC with waits, TAR.
func (w wave) write(start, ct uint8, addr uint32, addrN int, nWaits int, data ...byte) wave {
	w = w.frame(start).nib(ct).nib(addrNibs(addr, addrN)...).nib(dataNibs(data...)...).nib(0xF, 0xF)
	return w.nib(waits(nWaits, 0x5)...).nib(0x0, 0xF, 0xF)
}

func (w wave) tpmRead(addr uint16, nWaits int, v byte) wave {
	return w.read(0x5, 0x0, uint32(addr), 4, nWaits, v)
}

func (w wave) tpmWrite(addr uint16, nWaits int, v byte) wave {
	return w.write(0x5, 0x2, uint32(addr), 4, nWaits, v)
}

// samples renders the waveform at 4 samples per clock. LAD and LFRAME# take
// the next clock's values in the very sample where LCLK rises (as on the
// 24 MHz VultureProg capture), so only the last sample before the edge has
// the right values.
func (w wave) samples() []byte {
	enc := func(c clk, lclk bool) byte {
		s := c.lad & ladMask
		if lclk {
			s |= lclkBit
		}
		if !c.frameLow {
			s |= lframeBit
		}
		if !c.resetLow {
			s |= lresetBit
		}
		if !c.serirqLow {
			s |= serirqBit
		}
		return s
	}
	idle := clk{lad: 0xF}
	out := []byte{enc(idle, true), enc(idle, false)}
	for i, c := range w {
		next := idle
		if i+1 < len(w) {
			next = w[i+1]
		}
		out = append(out, enc(c, false), enc(next, true), enc(next, true), enc(next, false))
	}
	return out
}

// srOptions says how to lay out a synthetic .sr file.
type srOptions struct {
	version  int
	unitsize int
	order    []Signal // channel i carries order[i]; nil = natural order
	names    []string // probe names; nil = signal names
	chunk    int      // samples per logic-1-N entry (version 2); 0 = one entry
	rate     string
	metaUnit int    // unitsize written to the metadata when not 0 (to fake a mismatch)
	raw      []byte // normalised samples to write instead of the wave's
}

func (w wave) sr(t testing.TB, o srOptions) []byte {
	t.Helper()
	if o.unitsize == 0 {
		o.unitsize = 1
	}
	if o.version == 0 {
		o.version = 2
	}
	if o.order == nil {
		o.order = []Signal{LAD0, LAD1, LAD2, LAD3, LCLK, LFRAME, LRESET, SERIRQ}
	}
	if o.rate == "" {
		o.rate = "24 MHz"
	}
	var raw []byte
	samples := w.samples()
	if o.raw != nil {
		samples = o.raw
	}
	for _, s := range samples {
		unit := make([]byte, o.unitsize)
		for ch, sig := range o.order {
			if s>>sig&1 != 0 {
				unit[ch/8] |= 1 << (ch % 8)
			}
		}
		raw = append(raw, unit...)
	}
	var meta strings.Builder
	fmt.Fprintf(&meta, "[global]\nsigrok version=0.6.0\n\n[device 1]\ncapturefile=logic-1\ntotal probes=%d\nsamplerate=%s\n", len(o.order), o.rate)
	for i, sig := range o.order {
		name := sig.String()
		if o.names != nil {
			name = o.names[i]
		}
		fmt.Fprintf(&meta, "probe%d=%s\n", i+1, name)
	}
	if o.metaUnit == 0 {
		o.metaUnit = o.unitsize
	}
	fmt.Fprintf(&meta, "unitsize=%d\n", o.metaUnit)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, b []byte) {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(b)
	}
	put("version", []byte(fmt.Sprint(o.version)))
	put("metadata", []byte(meta.String()))
	if o.version == 1 || o.chunk == 0 {
		name := "logic-1"
		if o.version == 2 {
			name = "logic-1-1"
		}
		put(name, raw)
	} else {
		step := o.chunk * o.unitsize
		for i, n := 0, 1; i < len(raw); i, n = i+step, n+1 {
			put(fmt.Sprintf("logic-1-%d", n), raw[i:min(i+step, len(raw))])
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// vcdOptions says how to write a synthetic VCD file.
type vcdOptions struct {
	vector    bool   // LAD as one 4-bit vector "lad"
	oneLine   bool   // sigrok style: timestamp and changes on one line
	timescale string // default "1 ns"
	names     map[Signal]string
}

func (w wave) vcd(o vcdOptions) []byte {
	if o.timescale == "" {
		o.timescale = "1 ns"
	}
	ids := map[Signal]string{LAD0: "!", LAD1: "\"", LAD2: "#", LAD3: "$", LCLK: "%", LFRAME: "&", LRESET: "'", SERIRQ: "(("}
	var b strings.Builder
	fmt.Fprintf(&b, "$date today $end\n$version tpmbench test $end\n$timescale %s $end\n$scope module lpc $end\n", o.timescale)
	name := func(s Signal) string {
		if n, ok := o.names[s]; ok {
			return n
		}
		return strings.ToUpper(s.String())
	}
	if o.vector {
		fmt.Fprintf(&b, "$var wire 4 ! lad [3:0] $end\n")
	}
	for s := Signal(0); s < numSignals; s++ {
		if o.vector && s <= LAD3 {
			continue
		}
		fmt.Fprintf(&b, "$var wire 1 %s %s $end\n", ids[s], name(s))
	}
	b.WriteString("$upscope $end\n$enddefinitions $end\n")
	sep := "\n"
	if o.oneLine {
		sep = " "
	}
	var prev byte
	for i, s := range w.samples() {
		if i > 0 && s == prev {
			continue
		}
		fmt.Fprintf(&b, "#%d", i*10)
		if i == 0 {
			b.WriteString(sep + "$dumpvars")
		}
		if o.vector && (i == 0 || (s^prev)&ladMask != 0) {
			fmt.Fprintf(&b, "%sb%04b !", sep, s&ladMask)
		}
		for sig := Signal(0); sig < numSignals; sig++ {
			if o.vector && sig <= LAD3 {
				continue
			}
			if i == 0 || (s^prev)>>sig&1 != 0 {
				fmt.Fprintf(&b, "%s%d%s", sep, s>>sig&1, ids[sig])
			}
		}
		if i == 0 {
			b.WriteString(sep + "$end")
		}
		b.WriteString("\n")
		prev = s
	}
	return []byte(b.String())
}

func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// decodeBytes decodes an in-memory capture (either format).
func decodeBytes(t testing.TB, name string, b []byte, o Overrides) ([]*Cycle, Stats, error) {
	t.Helper()
	return DecodeFile(writeTemp(t, name, b), o)
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// openBytes opens a capture held in memory without a file (for fuzzing),
// named .sr when it starts like a zip archive and .vcd otherwise, so that
// damaged input reaches the reader it was meant for.
func openBytes(b []byte, o Overrides) (Source, error) {
	name := "fuzz.vcd"
	if bytes.HasPrefix(b, []byte("PK")) {
		name = "fuzz.sr"
	}
	return openCapture(name, bytes.NewReader(b), int64(len(b)), nopCloser{}, o)
}

func drain(src Source) (Stats, error) {
	return Cycles(src, func(*Cycle) error { return nil })
}
