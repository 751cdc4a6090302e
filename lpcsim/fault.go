package lpcsim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// FaultKind is a class of bench fault.
type FaultKind uint8

// The fault classes. Missing LCLK, missing +3V3 and missing ground are Open
// faults on those signals; LRESET# held is StuckLow on LRESET#.
const (
	Open      FaultKind = iota + 1 // the wire carrying Line is cut: each side reads its pull-up
	StuckLow                       // Line is shorted to ground
	StuckHigh                      // Line is shorted to +3V3
	Swap                           // the wires of Line and Other are exchanged at the module
	Bridge                         // Line and Other are shorted together (wired-AND)
	Flip                           // Line reads inverted on a random Rate of clocks (seeded)
)

var faultKindNames = map[FaultKind]string{
	Open: "open", StuckLow: "stuck-low", StuckHigh: "stuck-high",
	Swap: "swap", Bridge: "bridge", Flip: "flip",
}

// String returns the kind's name as scenarios spell it.
func (k FaultKind) String() string {
	if n, ok := faultKindNames[k]; ok {
		return n
	}
	return "fault?"
}

// Fault is one edit of the wiring or of a line. Other is used by Swap and
// Bridge; Rate (probability per clock, 0 < Rate <= 1) and Seed by Flip, so a
// flip fault is reproducible.
type Fault struct {
	Kind  FaultKind // what is wrong
	Line  Signal    // the line it affects
	Other Signal    // the second line of a Swap or Bridge
	Rate  float64   // a Flip's probability per clock
	Seed  uint64    // seed of a Flip's random source
}

// ErrBadFault is returned (wrapped) for a fault that cannot be parsed or applied.
var ErrBadFault = errors.New("lpcsim: bad fault")

// String returns the fault in the form ParseFault reads, such as
// "stuck-low LAD2", "swap LAD0 LAD1" or "flip LAD3 0.001 seed=7".
func (f Fault) String() string {
	switch f.Kind {
	case Swap, Bridge:
		return fmt.Sprintf("%s %s %s", f.Kind, f.Line, f.Other)
	case Flip:
		return fmt.Sprintf("%s %s %s seed=%d", f.Kind, f.Line, strconv.FormatFloat(f.Rate, 'g', -1, 64), f.Seed)
	}
	return fmt.Sprintf("%s %s", f.Kind, f.Line)
}

// Describe says in words what the fault does on the bench.
func (f Fault) Describe() string {
	switch {
	case f.Kind == Open && f.Line == LCLK:
		return "missing LCLK: the module never sees a clock edge"
	case f.Kind == Open && f.Line == V3P3:
		return "missing +3V3: the module is unpowered"
	case f.Kind == Open && f.Line == GND:
		return "missing ground: the module is unpowered"
	case f.Kind == StuckLow && f.Line == LRESET:
		return "LRESET# held: the TPM stays in reset"
	}
	switch f.Kind {
	case Open:
		return fmt.Sprintf("%s open: each side reads its pull-up", f.Line)
	case StuckLow:
		return fmt.Sprintf("%s stuck low (shorted to ground)", f.Line)
	case StuckHigh:
		return fmt.Sprintf("%s stuck high (shorted to +3V3)", f.Line)
	case Swap:
		return fmt.Sprintf("%s and %s swapped at the module", f.Line, f.Other)
	case Bridge:
		return fmt.Sprintf("%s and %s bridged (wired-AND)", f.Line, f.Other)
	case Flip:
		return fmt.Sprintf("%s flips on %.3g%% of clocks (seed %d)", f.Line, 100*f.Rate, f.Seed)
	}
	return f.String()
}

// ParseFault reads a fault: "open LAD2", "stuck-low LFRAME#", "stuck-high
// SERIRQ", "swap LAD0 LAD1", "bridge LAD1 LAD2", "flip LAD3 0.001 [seed=N]",
// and the names "missing-lclk", "missing-3v3", "missing-gnd", "lreset-held".
func ParseFault(s string) (Fault, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Fault{}, fmt.Errorf("%w: empty fault", ErrBadFault)
	}
	switch strings.ToLower(fields[0]) {
	case "missing-lclk", "no-clock":
		return oneWord(fields, Fault{Kind: Open, Line: LCLK})
	case "missing-3v3", "no-power":
		return oneWord(fields, Fault{Kind: Open, Line: V3P3})
	case "missing-gnd", "no-ground":
		return oneWord(fields, Fault{Kind: Open, Line: GND})
	case "lreset-held", "reset-held":
		return oneWord(fields, Fault{Kind: StuckLow, Line: LRESET})
	}
	var f Fault
	for k, n := range faultKindNames {
		if strings.EqualFold(fields[0], n) {
			f.Kind = k
		}
	}
	if f.Kind == 0 {
		return Fault{}, fmt.Errorf("%w: unknown fault kind %q in %q (want open, stuck-low, stuck-high, swap, bridge, flip, missing-lclk, missing-3v3, missing-gnd, lreset-held)", ErrBadFault, fields[0], s)
	}
	want := 2
	switch f.Kind {
	case Swap, Bridge, Flip:
		want = 3
	}
	if len(fields) < want {
		return Fault{}, fmt.Errorf("%w: %q needs %d words", ErrBadFault, s, want)
	}
	var err error
	if f.Line, err = parseLine(fields[1], s); err != nil {
		return Fault{}, err
	}
	switch f.Kind {
	case Swap, Bridge:
		if f.Other, err = parseLine(fields[2], s); err != nil {
			return Fault{}, err
		}
		if len(fields) > 3 {
			return Fault{}, fmt.Errorf("%w: extra words in %q", ErrBadFault, s)
		}
	case Flip:
		return parseFlip(f, fields[2:], s)
	default:
		if len(fields) > 2 {
			return Fault{}, fmt.Errorf("%w: extra words in %q", ErrBadFault, s)
		}
	}
	return f, f.Check()
}

func oneWord(fields []string, f Fault) (Fault, error) {
	if len(fields) != 1 {
		return Fault{}, fmt.Errorf("%w: %q takes no arguments", ErrBadFault, fields[0])
	}
	return f, nil
}

func parseLine(word, s string) (Signal, error) {
	sig, ok := ParseSignal(word)
	if !ok {
		return 0, fmt.Errorf("%w: unknown signal %q in %q", ErrBadFault, word, s)
	}
	return sig, nil
}

func parseFlip(f Fault, rest []string, s string) (Fault, error) {
	r, err := strconv.ParseFloat(rest[0], 64)
	if err != nil {
		return Fault{}, fmt.Errorf("%w: flip rate %q in %q: %v", ErrBadFault, rest[0], s, err)
	}
	f.Rate = r
	for _, w := range rest[1:] {
		v, ok := strings.CutPrefix(strings.ToLower(w), "seed=")
		if !ok {
			return Fault{}, fmt.Errorf("%w: unexpected %q in %q (want seed=N)", ErrBadFault, w, s)
		}
		if f.Seed, err = strconv.ParseUint(v, 0, 64); err != nil {
			return Fault{}, fmt.Errorf("%w: seed %q in %q: %v", ErrBadFault, v, s, err)
		}
	}
	return f, f.Check()
}

// Check reports whether the fault can be applied: the kind is known, a
// supply takes only open/stuck faults, a pair names two logic lines, and a
// flip rate lies in (0, 1].
func (f Fault) Check() error {
	if _, ok := faultKindNames[f.Kind]; !ok {
		return fmt.Errorf("%w: unknown kind %d", ErrBadFault, f.Kind)
	}
	if f.Line >= numSignals {
		return fmt.Errorf("%w: unknown signal %d", ErrBadFault, f.Line)
	}
	switch f.Kind {
	case Swap, Bridge:
		if !f.Line.IsLine() || f.Other >= numSignals || !f.Other.IsLine() || f.Line == f.Other {
			return fmt.Errorf("%w: %s needs two different logic lines, got %s and %s", ErrBadFault, f.Kind, f.Line, f.Other)
		}
	case Flip:
		if !f.Line.IsLine() {
			return fmt.Errorf("%w: flip needs a logic line, got %s", ErrBadFault, f.Line)
		}
		if !(f.Rate > 0 && f.Rate <= 1) {
			return fmt.Errorf("%w: flip rate %g outside (0, 1]", ErrBadFault, f.Rate)
		}
	}
	return nil
}

// faultLines are the lines the single-line fault list covers.
var faultLines = []Signal{LCLK, LFRAME, LRESET, LAD0, LAD1, LAD2, LAD3, SERIRQ}

// SingleLineFaults returns the fault matrix a driver test iterates: open,
// stuck low and stuck high on each of LCLK, LFRAME#, LRESET#, LAD0..LAD3,
// SERIRQ, +3V3 and GND; every swapped LAD pair; and a seeded intermittent
// flip on each LAD line and LFRAME#.
func SingleLineFaults() []Fault {
	var out []Fault
	for _, s := range append(append([]Signal{}, faultLines...), V3P3, GND) {
		for _, k := range []FaultKind{Open, StuckLow, StuckHigh} {
			out = append(out, Fault{Kind: k, Line: s})
		}
	}
	for a := LAD0; a <= LAD3; a++ {
		for b := a + 1; b <= LAD3; b++ {
			out = append(out, Fault{Kind: Swap, Line: a, Other: b})
		}
	}
	for _, s := range []Signal{LAD0, LAD1, LAD2, LAD3, LFRAME} {
		out = append(out, Fault{Kind: Flip, Line: s, Rate: 0.01, Seed: 1})
	}
	return out
}
