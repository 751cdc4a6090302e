package decode

import (
	"context"
	"fmt"
	"math/bits"
	"strings"
)

// Finding is one line-level fault (or suspicion) a capture shows.
type Finding struct {
	// Code is a stable identifier: "empty", "no-clock", "stuck", "bridged",
	// "swapped", "bit-errors", "no-frame", "reset-held", "no-answer", or
	// "inconclusive" when the samples hint at a fault but are too few to
	// name it (a capture too short to tell a bridge from quiet traffic, or
	// too few malformed fields to call them intermittent errors).
	Code string `json:"code"`
	// Signal names the line or lines concerned ("lad2", "lad0,lad1"), or
	// is empty for a finding about the bus as a whole.
	Signal string `json:"signal"`
	// Text says what the samples show and what it likely means.
	Text string `json:"text"`
}

// String returns the finding's text with its code.
func (f Finding) String() string { return f.Code + ": " + f.Text }

// Diagnosis is what a capture says about the wiring and the bus.
type Diagnosis struct {
	// Findings lists the faults seen, and what could not be ruled out, in
	// a fixed order: clock, reset, frame, LAD lines, bit errors, answers.
	Findings []Finding `json:"findings"`
	// Stats are the decode counts of the capture.
	Stats Stats `json:"stats"`
}

// OK reports whether no fault was found and none was left undecided: an
// "inconclusive" finding is no clean bill.
func (d *Diagnosis) OK() bool { return len(d.Findings) == 0 }

// diagClocks bounds the clocks kept for the LAD permutation check.
const diagClocks = 1 << 16

// lineWatch collects per-line facts while samples stream past.
type lineWatch struct {
	orAll, andAll byte      // sample level: bits ever high / always high
	clkOr, clkAnd byte      // the same over clock samples
	differ        [4][4]int // clocks on which LAD a and LAD b (a < b) differ
	kept          []byte    // clock samples for the permutation check
	suspect       [4]int    // single-bit errors blamed on each LAD line
	noSync        int       // TPM/IO/memory cycles that got no SYNC
	syncable      int       // cycles that reached their SYNC phase
	cycles        int       // cycles decoded (aborts and resets included)
	pairHint      [4][4]int // malformed fields a short between LAD a and LAD b explains
}

// Diagnose reads a whole capture and names line-level faults: a line that
// never changes, no LCLK, LFRAME# never (or always) low, LRESET# held, LAD
// lines that are always equal (bridged) or look swapped, single-bit errors on
// one LAD line (in fields with fixed values and in TPM addresses outside the
// TIS register map), and cycles nobody answers. Where the samples hint at a
// fault but are too few to name it, it says so with an "inconclusive"
// finding rather than give a clean bill.
func Diagnose(src Source) (Diagnosis, error) {
	return DiagnoseContext(context.Background(), src)
}

// DiagnoseContext is Diagnose that stops when ctx is done, checking it once
// per chunk of samples; the error then wraps ctx's with the sample offset.
func DiagnoseContext(ctx context.Context, src Source) (Diagnosis, error) {
	w := &lineWatch{andAll: 0xFF, clkAnd: 0xFF}
	st, err := runWatched(ctx, src, w)
	if err != nil {
		return Diagnosis{}, err
	}
	d := Diagnosis{Stats: st}
	d.Findings = w.findings(st, src.Info())
	return d, nil
}

// runWatched is Run with the line watch hooked into the sample loop.
func runWatched(ctx context.Context, src Source, w *lineWatch) (Stats, error) {
	var st Stats
	dec := newCycleDecoder(func(c *Cycle) {
		st.add(c)
		w.cycle(c)
	})
	err := eachChunk(ctx, src, &st, func(ch *Chunk, i int, prev byte) error {
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
			w.differ[a][b] += int(s>>a^s>>b) & 1
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

// tpmAddrBit returns the LAD line whose single wrong bit turns the address
// of a TPM cycle into one outside the TIS register map, or -1 when the
// address is in the map or no single line explains it. Address bit k
// travels on LAD k%4. The map here is localities 0-4 with the registers of
// the map, locality 4's HASH_END and HASH_START (0x020, 0x028), and the
// identity and vendor-defined space from 0xF00 on, so that neither TXT
// measurement traffic nor vendor registers count as errors.
func tpmAddrBit(addr uint32) int {
	valid := func(a uint32) bool {
		off := uint16(a & 0xFFF)
		_, _, ok := lookupReg(off)
		return a>>12 <= 4 && (ok || off >= 0xF00 || a>>12 == 4 && (off == 0x020 || off == 0x028))
	}
	if valid(addr) {
		return -1
	}
	line := -1
	for k := range 16 {
		if !valid(addr ^ 1<<k) {
			continue
		}
		if line >= 0 && line != k%4 {
			return -1
		}
		line = k % 4
	}
	return line
}

// validValues returns the values a field with a deviation of kind k should
// have carried, or nil when the deviation says nothing about the lines.
func validValues(k DeviationKind) []uint8 {
	switch k {
	case TARNotF:
		return []uint8{0xF}
	case ReservedStart:
		return []uint8{0x0, 0x5, 0xD, 0xE, 0xF, 0x2, 0x3}
	case BadSync:
		return []uint8{0x0, 0x5, 0x6, 0xA, 0xF}
	case ReservedCycType, CycTypeBit0:
		return []uint8{0x0, 0x2, 0x4, 0x6, 0x8, 0xA}
	}
	return nil
}

// shorted counts, for each LAD pair, a malformed value v that is a valid
// value with the two lines at different levels forced to the same one (the
// low level winning, as in a wired-AND, or the high one).
func (w *lineWatch) shorted(v uint8, valid []uint8) {
	for a := range 4 {
		for b := a + 1; b < 4; b++ {
			pair := uint8(1)<<a | uint8(1)<<b
			for _, u := range valid {
				if bits.OnesCount8(u&pair) == 1 && (v == u&^pair || v == u|pair) {
					w.pairHint[a][b]++
					break
				}
			}
		}
	}
}

func (w *lineWatch) cycle(c *Cycle) {
	w.cycles++
	if (c.Kind == TPMRead || c.Kind == TPMWrite) && (c.Status == Complete || c.Field > FieldAddr) {
		if b := tpmAddrBit(c.Addr); b >= 0 {
			w.suspect[b]++
		}
	}
	for _, dv := range c.Deviations {
		valid := validValues(dv.Kind)
		if valid == nil {
			continue
		}
		if b := nearest(dv.Value, valid...); b >= 0 {
			w.suspect[b]++
		}
		w.shorted(dv.Value, valid)
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

// Evidence thresholds of the diagnosis.
const (
	// bridgeEvidence is how many clocks every other LAD line must differ
	// from a pair that never differs before the pair is called bridged:
	// fewer, and quiet traffic (addresses and data of few distinct
	// nibbles) explains the equality as well as a short does.
	bridgeEvidence = 4
	// bridgeHints is how many malformed fields a short of the pair must
	// explain for a pair that other lines differed from on fewer clocks.
	bridgeHints = 2
	// bitErrorEvidence is how many malformed fields single-bit errors must
	// explain before they are called intermittent errors on a line.
	bitErrorEvidence = 3
)

// findings turns the watch into findings, in a fixed order.
func (w *lineWatch) findings(st Stats, info Info) []Finding {
	var out []Finding
	add := func(code, sig, format string, a ...any) {
		out = append(out, Finding{Code: code, Signal: sig, Text: fmt.Sprintf(format, a...)})
	}
	if st.Samples < 2 {
		add("empty", "", "the capture holds %d samples: nothing to diagnose", st.Samples)
		return out
	}
	if w.orAll&lclkBit == 0 || w.andAll&lclkBit != 0 {
		return append(out, w.noClock(st))
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
	if w.clkAnd&lframeBit == 0 && w.clkOr&lframeBit != 0 { // cycles ran: LAD should move
		out = append(out, w.ladLines(st)...)
		if len(out) == 0 {
			if f, ok := w.permutation(); ok {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		if f, ok := w.bitErrors(); ok {
			out = append(out, f)
		}
	}
	if w.syncable >= 4 && w.noSync*10 >= w.syncable*9 {
		add("no-answer", "", "%d of %d cycles got no SYNC: nothing answers at those addresses (no TPM, no power or clock at the module, or the module does not see the cycles)",
			w.noSync, w.syncable)
	}
	return out
}

// noClock describes a capture whose LCLK never toggles. Whether the other
// lines move tells a running host from a dead or unconnected probe point;
// what the samples cannot tell is why the clock is missing here: an open
// LCLK wire and a module without power or ground look the same at the
// module's pins (its LCLK input idles at its pull-up, its other inputs
// follow the host, and it never drives).
func (w *lineWatch) noClock(st Stats) Finding {
	lvl := "low"
	if w.andAll&lclkBit != 0 {
		lvl = "high"
	}
	f := Finding{Code: "no-clock", Signal: "lclk"}
	if moving := (w.orAll ^ w.andAll) & (ladMask | lframeBit); moving != 0 {
		f.Text = fmt.Sprintf("LCLK is %s in all %d samples while %s change: the host runs cycles but no clock edge reaches this probe point "+
			"(LCLK open between the host and here, or, at a module's pins, no clock, +3V3 or ground at the module: the samples cannot tell which)",
			lvl, st.Samples, lineList(moving))
		return f
	}
	f.Text = fmt.Sprintf("LCLK is %s and every other line holds its level in all %d samples: no clock and no traffic at the probe point "+
		"(host off or its clock stopped, LCLK open, or the probe not connected)", lvl, st.Samples)
	return f
}

// lineList names the LFRAME# and LAD lines set in mask: "LFRAME#, LAD0 and LAD2".
func lineList(mask byte) string {
	var names []string
	if mask&lframeBit != 0 {
		names = append(names, "LFRAME#")
	}
	for b := range 4 {
		if mask>>b&1 != 0 {
			names = append(names, strings.ToUpper(ladNames[b]))
		}
	}
	return andList(names)
}

func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// ladLines reports stuck LAD lines and LAD lines that never differ. Lines
// that carry the same level on every clock form groups; a group of two is
// called bridged only when every other (not stuck) LAD line differed from
// it, on at least bridgeEvidence clocks or with at least bridgeHints
// malformed fields that a short of the pair explains. A larger group, or a pair without
// that evidence, could as well be traffic that never set those lines apart
// (a short capture of a few addresses), and is reported once as
// inconclusive.
func (w *lineWatch) ladLines(st Stats) []Finding {
	var out []Finding
	stuck := 0
	for b := range 4 {
		bit := byte(1) << b
		if w.clkOr&bit == 0 || w.clkAnd&bit != 0 {
			stuck |= 1 << b
			lvl := "low"
			if w.clkAnd&bit != 0 {
				lvl = "high"
			}
			out = append(out, Finding{Code: "stuck", Signal: ladNames[b],
				Text: fmt.Sprintf("%s reads %s on every clock: stuck (shorted, or open with the pull-up)", strings.ToUpper(ladNames[b]), lvl)})
		}
	}
	diff := func(a, b int) int { return w.differ[min(a, b)][max(a, b)] }
	grouped := stuck
	for a := range 4 {
		if grouped>>a&1 != 0 {
			continue
		}
		group := []int{a}
		for b := a + 1; b < 4; b++ {
			if grouped>>b&1 == 0 && diff(a, b) == 0 {
				group = append(group, b)
				grouped |= 1 << b
			}
		}
		if len(group) < 2 {
			continue
		}
		var names, sigs []string
		for _, b := range group {
			names = append(names, strings.ToUpper(ladNames[b]))
			sigs = append(sigs, ladNames[b])
		}
		least, other := -1, -1 // the fewest clocks another line differed from the group
		for b := range 4 {
			if stuck>>b&1 == 0 && diff(a, b) > 0 && (least < 0 || diff(a, b) < least) {
				least, other = diff(a, b), b
			}
		}
		if len(group) == 2 && least > 0 && (least >= bridgeEvidence || w.pairHint[group[0]][group[1]] >= bridgeHints) {
			text := fmt.Sprintf("%s carry the same level on all %d clocks while every other LAD line differed from them (on at least %d clocks)", andList(names), st.Clocks, least)
			if n := w.pairHint[group[0]][group[1]]; n > 0 {
				text += fmt.Sprintf(", and %d malformed fields are valid values with these two lines forced equal", n)
			}
			out = append(out, Finding{Code: "bridged", Signal: strings.Join(sigs, ","), Text: text + ": bridged (solder bridge or short between them)"})
			continue
		}
		why := "no other LAD line moved apart from them"
		switch {
		case len(group) > 2:
			why = fmt.Sprintf("%d lines that never differ cannot be told apart", len(group))
		case other >= 0:
			why = fmt.Sprintf("%s differed from them on only %d, and no malformed field points at a short between them", strings.ToUpper(ladNames[other]), least)
		}
		out = append(out, Finding{Code: "inconclusive", Signal: strings.Join(sigs, ","),
			Text: fmt.Sprintf("%s never differed in %d clocks (%s): a bridge among them, or too little traffic to tell; capture more varied traffic (addresses and data with these bits different)",
				andList(names), st.Clocks, why)})
	}
	return out
}

// bitErrors blames malformed fields (reserved START, cycle type or SYNC
// values, TAR not 1111, TPM addresses outside the register map) that one
// wrong bit explains on the line that bit travels on. With at least
// bitErrorEvidence of them, 70% on one line, the line has intermittent
// errors; with fewer, the capture is too short to tell a bad line from a
// one-off glitch, and it says so rather than give a clean bill.
func (w *lineWatch) bitErrors() (Finding, bool) {
	total, top := 0, 0
	for b, n := range w.suspect {
		total += n
		if n > w.suspect[top] {
			top = b
		}
	}
	switch {
	case total == 0:
		return Finding{}, false
	case total >= bitErrorEvidence && w.suspect[top]*10 >= total*7:
		return Finding{Code: "bit-errors", Signal: ladNames[top],
			Text: fmt.Sprintf("%d malformed fields, %d of them explained by one wrong bit on %s: intermittent errors on that line (loose or long wire, noise)",
				total, w.suspect[top], strings.ToUpper(ladNames[top]))}, true
	}
	var lines, sigs []string
	for b, n := range w.suspect {
		if n > 0 {
			lines = append(lines, fmt.Sprintf("%s %d", strings.ToUpper(ladNames[b]), n))
			sigs = append(sigs, ladNames[b])
		}
	}
	need := (bitErrorEvidence*w.cycles + total - 1) / total
	return Finding{Code: "inconclusive", Signal: strings.Join(sigs, ","),
		Text: fmt.Sprintf("%d malformed field(s) explained by one wrong bit (%s): too few cycles to rule out intermittent faults: %d cycles, need ~%d at this error rate; capture longer traffic",
			total, strings.Join(lines, ", "), w.cycles, need)}, true
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
