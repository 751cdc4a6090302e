package decode

import (
	"fmt"
	"math/bits"
	"strings"
)

// Finding is one line-level fault (or suspicion) a capture shows.
type Finding struct {
	Code   string `json:"code"`   // stable identifier: "no-clock", "stuck", "bridged", "swapped", "bit-errors", "no-frame", "reset-held", "no-answer"
	Signal string `json:"signal"` // the line or lines concerned ("lad2", "lad0,lad1")
	Text   string `json:"text"`   // what the samples show and what it likely means
}

// String returns the finding's text with its code.
func (f Finding) String() string { return f.Code + ": " + f.Text }

// Diagnosis is what a capture says about the wiring and the bus.
type Diagnosis struct {
	Findings []Finding `json:"findings"`
	Stats    Stats     `json:"stats"`
}

// OK reports whether no fault was found.
func (d *Diagnosis) OK() bool { return len(d.Findings) == 0 }

// diagClocks bounds the clocks kept for the LAD permutation check.
const diagClocks = 1 << 16

// lineWatch collects per-line facts while samples stream past.
type lineWatch struct {
	orAll, andAll byte // sample level: bits ever high / always high
	clkOr, clkAnd byte // the same over clock samples
	differ        [4][4]bool
	kept          []byte // clock samples for the permutation check
	suspect       [4]int // single-bit errors blamed on each LAD line
	noSync        int    // TPM/IO/memory cycles that got no SYNC
	syncable      int    // cycles that reached their SYNC phase
}

// Diagnose reads a whole capture and names line-level faults: a line that
// never changes, no LCLK, LFRAME# never (or always) low, LRESET# held, LAD
// lines that are always equal (bridged) or look swapped, single-bit errors on
// one LAD line, and cycles nobody answers.
func Diagnose(src Source) (Diagnosis, error) {
	w := &lineWatch{andAll: 0xFF, clkAnd: 0xFF}
	st, err := runWatched(src, w)
	if err != nil {
		return Diagnosis{}, err
	}
	d := Diagnosis{Stats: st}
	d.Findings = w.findings(st, src.Info())
	return d, nil
}

// runWatched is Run with the line watch hooked into the sample loop.
func runWatched(src Source, w *lineWatch) (Stats, error) {
	var st Stats
	dec := newCycleDecoder(func(c *Cycle) {
		st.add(c)
		w.cycle(c)
	})
	err := eachChunk(src, &st, func(ch *Chunk, i int, prev byte) error {
		for ; i < len(ch.States); i++ {
			s := ch.States[i]
			w.orAll |= s
			w.andAll &= s
			if s&^prev&lclkBit != 0 {
				w.clock(prev)
				dec.clock(ch.Tick(i), prev)
				st.Clocks++
			}
			prev = s
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	dec.flush()
	st.fill()
	return st, nil
}

func (w *lineWatch) clock(s byte) {
	w.clkOr |= s
	w.clkAnd &= s
	for a := range 4 {
		for b := a + 1; b < 4; b++ {
			if s>>a&1 != s>>b&1 {
				w.differ[a][b] = true
			}
		}
	}
	if len(w.kept) < diagClocks {
		w.kept = append(w.kept, s)
	}
}

// nearest returns the single LAD bit by which v differs from one of the
// valid values, or -1.
func nearest(v uint8, valid ...uint8) int {
	for _, ok := range valid {
		if x := v ^ ok; bits.OnesCount8(x) == 1 {
			return bits.TrailingZeros8(x)
		}
	}
	return -1
}

func (w *lineWatch) cycle(c *Cycle) {
	for _, dv := range c.Deviations {
		b := -1
		switch dv.Kind {
		case TARNotF:
			b = nearest(dv.Value, 0xF)
		case ReservedStart:
			b = nearest(dv.Value, 0x0, 0x5, 0xD, 0xE, 0xF, 0x2, 0x3)
		case BadSync:
			b = nearest(dv.Value, 0x0, 0x5, 0x6, 0xA, 0xF)
		case ReservedCycType, CycTypeBit0:
			b = nearest(dv.Value, 0x0, 0x2, 0x4, 0x6, 0x8, 0xA)
		}
		if b >= 0 {
			w.suspect[b]++
		}
	}
	switch c.Kind {
	case IORead, IOWrite, MemRead, MemWrite, FWRead, FWWrite, TPMRead, TPMWrite:
		if c.Status == Complete || c.Field == FieldSync || c.Field == FieldFinalTAR || c.Field == FieldData && !c.Kind.Write() {
			w.syncable++
			if c.Field == FieldSync && c.NoSync > 0 {
				w.noSync++
			}
		}
	}
}

var ladNames = [4]string{"lad0", "lad1", "lad2", "lad3"}

func (w *lineWatch) findings(st Stats, info Info) []Finding {
	var out []Finding
	add := func(code, sig, format string, a ...any) {
		out = append(out, Finding{Code: code, Signal: sig, Text: fmt.Sprintf(format, a...)})
	}
	level := func(bit byte) string {
		if w.andAll&bit != 0 {
			return "high"
		}
		return "low"
	}
	if st.Samples < 2 {
		add("empty", "", "the capture holds %d samples: nothing to diagnose", st.Samples)
		return out
	}
	if w.orAll&lclkBit == 0 || w.andAll&lclkBit != 0 {
		add("no-clock", "lclk", "LCLK is %s in all %d samples: no clock reaches the probe point (LCLK open, or the host's clock is off)", level(lclkBit), st.Samples)
		return out
	}
	if st.Clocks < 8 {
		add("no-clock", "lclk", "only %d LCLK rising edges: too few to decode", st.Clocks)
		return out
	}
	if info.Map[LRESET] >= 0 && w.clkOr&lresetBit == 0 {
		add("reset-held", "lreset#", "LRESET# is low on all %d clocks: the TPM is held in reset (TPM_Init) the whole time", st.Clocks)
	}
	switch {
	case w.clkAnd&lframeBit != 0:
		add("no-frame", "lframe#", "LFRAME# never goes low in %d clocks: no LPC cycle started (LFRAME# open or stuck high, or the host ran no cycles)", st.Clocks)
	case w.clkOr&lframeBit == 0:
		add("stuck", "lframe#", "LFRAME# is low on all %d clocks: stuck low (shorted to ground?)", st.Clocks)
	}
	stuck := 0
	active := w.clkAnd&lframeBit == 0 && w.clkOr&lframeBit != 0 // cycles ran: LAD should move
	for b := range 4 {
		if !active {
			break
		}
		bit := byte(1) << b
		if w.clkOr&bit == 0 || w.clkAnd&bit != 0 {
			stuck |= 1 << b
			add("stuck", ladNames[b], "%s reads %s on every clock: stuck (shorted, or open with the pull-up)", strings.ToUpper(ladNames[b]), level(bit))
		}
	}
	for a := range 4 {
		for b := a + 1; b < 4; b++ {
			if active && !w.differ[a][b] && stuck>>a&1 == 0 && stuck>>b&1 == 0 {
				add("bridged", ladNames[a]+","+ladNames[b], "%s and %s carry the same level on every clock: bridged (solder bridge or short between them)",
					strings.ToUpper(ladNames[a]), strings.ToUpper(ladNames[b]))
			}
		}
	}
	if len(out) == 0 && active {
		if f, ok := w.permutation(); ok {
			out = append(out, f)
		}
	}
	total, top := 0, 0
	for b, n := range w.suspect {
		total += n
		if n > w.suspect[top] {
			top = b
		}
	}
	if len(out) == 0 && total >= 3 && w.suspect[top]*10 >= total*7 {
		add("bit-errors", ladNames[top], "%d malformed fields, %d of them explained by one wrong bit on %s: intermittent errors on that line (loose or long wire, noise)",
			total, w.suspect[top], strings.ToUpper(ladNames[top]))
	}
	if w.syncable >= 4 && w.noSync*10 >= w.syncable*9 {
		add("no-answer", "", "%d of %d cycles got no SYNC: nothing answers at those addresses (no TPM, no power or clock at the module, or the module does not see the cycles)",
			w.noSync, w.syncable)
	}
	return out
}

// permutation re-decodes the kept clocks with each reordering of the LAD
// lines and reports one that turns clearly more cycles into well-formed
// ones than the wiring as captured.
func (w *lineWatch) permutation() (Finding, bool) {
	score := func(p [4]int) int {
		n := 0
		d := newCycleDecoder(func(c *Cycle) {
			switch c.Kind {
			case Reserved, KindUnknown, BusMaster, Abort, Reset:
				return
			}
			for _, dv := range c.Deviations {
				switch dv.Kind {
				case ReservedStart, ReservedCycType, CycTypeBit0, ReservedSize, BadSync:
					return
				}
			}
			n++
		})
		for i, s := range w.kept {
			var lad byte
			for b := range 4 {
				lad |= (s >> p[b] & 1) << b
			}
			d.clock(int64(i), s&^ladMask|lad)
		}
		d.flush()
		return n
	}
	ident := [4]int{0, 1, 2, 3}
	base := score(ident)
	best, bestScore := ident, base
	moved := func(p [4]int) int {
		n := 0
		for b := range 4 {
			if p[b] != b {
				n++
			}
		}
		return n
	}
	// Among equally good orders, the one moving fewest lines is the likely
	// wiring mistake (two crossed wires rather than three).
	for _, p := range permutations4() {
		if s := score(p); s > bestScore || s == bestScore && s > base && moved(p) < moved(best) {
			best, bestScore = p, s
		}
	}
	if best == ident || bestScore < 3 || bestScore < 2*base+2 {
		return Finding{}, false
	}
	var lines, names []string
	for b := range 4 {
		if best[b] != b {
			lines = append(lines, fmt.Sprintf("LAD%d is on the line captured as LAD%d", b, best[b]))
			names = append(names, ladNames[b])
		}
	}
	return Finding{Code: "swapped", Signal: strings.Join(names, ","),
		Text: fmt.Sprintf("the cycles decode cleanly only with LAD lines reordered (%d well-formed cycles instead of %d): %s (crossed wires)",
			bestScore, base, strings.Join(lines, "; "))}, true
}

func permutations4() [][4]int {
	var out [][4]int
	for a := range 4 {
		for b := range 4 {
			for c := range 4 {
				for d := range 4 {
					if a != b && a != c && a != d && b != c && b != d && c != d {
						out = append(out, [4]int{a, b, c, d})
					}
				}
			}
		}
	}
	return out
}
