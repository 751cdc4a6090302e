package pinmap

import (
	"fmt"
	"slices"
	"strings"

	"tpmbench/boards"
)

// Severity ranks a finding.
type Severity int

// Severities, mildest first.
const (
	Info    Severity = iota // worth knowing
	Warning                 // works, with a caveat or a risk
	Error                   // will not work, or breaks something
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity's name, so JSON carries "error", not 2.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	for _, v := range []Severity{Info, Warning, Error} {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("pinmap: unknown severity %q", b)
}

// Finding is one problem or remark about a wiring.
type Finding struct {
	Severity   Severity `json:"severity"`              // how bad it is
	Code       string   `json:"code"`                  // stable identifier, e.g. "no-ground"
	Message    string   `json:"message"`               // what is wrong, for people
	ModulePins []int    `json:"module_pins,omitempty"` // the module pins involved
	BoardPins  []int    `json:"board_pins,omitempty"`  // the board pins involved
	Fix        string   `json:"fix,omitempty"`         // what to do about it; empty when nothing is needed
}

// Finding codes.
const (
	CodeBusMismatch    = "bus-mismatch"
	CodeBadPin         = "bad-pin"
	CodeSignalMismatch = "signal-mismatch"
	CodeFiveVolt       = "five-volt"
	CodeNeverConnect   = "never-connect"
	CodeMissingSignal  = "missing-signal"
	CodeNoPower        = "no-power"
	CodeNoGround       = "no-ground"
	CodeUnfedRail      = "unfed-rail"
	CodeStandbyRail    = "standby-rail"
	CodeKeyConflict    = "key-conflict"
	CodePinoutDiffers  = "pinout-differs"
	CodeNoSerirq       = "no-serirq"
	CodeNoLPCPD        = "no-lpcpd"
	CodeNoCLKRUN       = "no-clkrun"
	CodeFootprint      = "footprint"
	CodeDirectFit      = "direct-fit"
	CodeNeverPins      = "never-pins"
	CodeOneGround      = "one-ground"
	CodeFlyingLeads    = "flying-leads"
	CodeLowConfidence  = "low-confidence"
	CodeDuplicate      = "duplicate-wire"
)

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// checker collects findings about one wiring.
type checker struct {
	s     Setup
	w     Wiring
	found []Finding
}

func (c *checker) add(sev Severity, code string, mpins, bpins []int, fix, format string, a ...any) {
	c.found = append(c.found, Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, a...), ModulePins: mpins, BoardPins: bpins, Fix: fix})
}

// Check examines a wiring of the setup's module to its header and returns the findings,
// errors first.
func Check(s Setup, w Wiring) []Finding {
	c := &checker{s: s, w: w}
	if s.Header.Bus != "lpc" {
		c.add(Error, CodeBusMismatch, nil, nil, "use a TPM module made for this bus, or a board with an LPC TPM header",
			"%s is a header for an %s TPM, not LPC: an LPC TPM module cannot work on it", s.Header.ID, strings.ToUpper(s.Header.Bus))
		return sortFindings(c.found)
	}
	valid := c.checkWires()
	c.checkRequired(valid)
	c.checkPower(valid)
	c.checkGround(valid)
	c.checkSideband(valid)
	c.checkMechanics()
	c.checkNeverPins()
	c.checkConfidence(valid)
	return sortFindings(c.found)
}

func sortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int { return int(b.Severity) - int(a.Severity) })
	return fs
}

// where names a wire for messages: "wire 3→11" or "wire 3→11 (line 7)".
func where(w Wire) string {
	if w.Line > 0 {
		return fmt.Sprintf("wire %d→%d (line %d)", w.ModulePin, w.BoardPin, w.Line)
	}
	return fmt.Sprintf("wire %d→%d", w.ModulePin, w.BoardPin)
}

// checkWires checks each wire on its own and returns the wires whose pins exist, with the
// pins looked up.
func (c *checker) checkWires() []pinPair {
	var ok []pinPair
	seen := map[[2]int]bool{}
	for _, w := range c.w.Wires {
		mp, mok := c.s.Module.Pin(w.ModulePin)
		bp, bok := c.s.Header.Pin(w.BoardPin)
		switch {
		case !mok:
			c.add(Error, CodeBadPin, []int{w.ModulePin}, nil, fmt.Sprintf("use a pin from 1 to %d", len(c.s.Module.Pins)),
				"%s: module %s has no pin %d", where(w), c.s.Module.ID, w.ModulePin)
			continue
		case !bok:
			c.add(Error, CodeBadPin, nil, []int{w.BoardPin}, fmt.Sprintf("use a pin from 1 to %d", len(c.s.Header.Pins)),
				"%s: header %s has no pin %d", where(w), c.s.Header.ID, w.BoardPin)
			continue
		case mp.Signal == boards.KEY || bp.Signal == boards.KEY:
			c.add(Error, CodeBadPin, []int{w.ModulePin}, []int{w.BoardPin}, "check the pin numbers",
				"%s: there is no pin there (key position)", where(w))
			continue
		}
		if seen[[2]int{w.ModulePin, w.BoardPin}] {
			c.add(Warning, CodeDuplicate, []int{w.ModulePin}, []int{w.BoardPin}, "delete one of them", "%s is listed twice", where(w))
			continue
		}
		seen[[2]int{w.ModulePin, w.BoardPin}] = true
		c.checkPair(w, mp, bp)
		ok = append(ok, pinPair{w, mp, bp})
	}
	return ok
}

type pinPair struct {
	w      Wire
	mp, bp boards.Pin
}

// matched reports whether the wire joins a module pin to a board pin of the same function.
func (p pinPair) matched() bool {
	return p.mp.Signal == p.bp.Signal && p.mp.Signal.Class() != boards.ClassNone && p.mp.Signal.Class() != boards.ClassOther
}

func isRail3V3(s boards.Signal) bool { return s == boards.V3V3 || s == boards.V3V3SB }

func (c *checker) checkPair(w Wire, mp, bp boards.Pin) {
	m, b := []int{mp.Number}, []int{bp.Number}
	switch {
	case bp.Signal == boards.V5 && mp.Signal != boards.V5:
		c.add(Error, CodeFiveVolt, m, b, fmt.Sprintf("remove the wire to board pin %d; the TPM takes 3.3 V from %s", bp.Number, pinList(c.s.Header, boards.V3V3)),
			"%s puts 5 V (board pin %d) on module pin %d (%s): this destroys a 3.3 V TPM", where(w), bp.Number, mp.Number, mp.Name())
		return
	case bp.Never != "":
		c.add(Error, CodeNeverConnect, m, b, fmt.Sprintf("remove the wire to board pin %d", bp.Number),
			"%s uses board pin %d (%s), which must never be connected: %s", where(w), bp.Number, bp.Name(), bp.Never)
		return
	case mp.Never != "":
		c.add(Error, CodeNeverConnect, m, b, fmt.Sprintf("remove the wire from module pin %d", mp.Number),
			"%s uses module pin %d (%s), which must never be connected: %s", where(w), mp.Number, mp.Name(), mp.Never)
		return
	case mp.Signal == bp.Signal && mp.Signal != boards.NC:
		return
	case isRail3V3(mp.Signal) && isRail3V3(bp.Signal):
		return // standby/main mixing is reported by checkPower
	case isStrap(mp.Signal, bp.Signal):
		return // a sideband input tied to a fixed level: checkSideband reports it
	case mp.Signal == boards.NC || bp.Signal == boards.NC:
		c.add(Warning, CodeSignalMismatch, m, b, "remove the wire",
			"%s joins module %s to board %s: one end is not connected, so the wire does nothing", where(w), mp.Name(), bp.Name())
		return
	}
	fix := "remove the wire"
	if want, ok := usable(c.s.Header, mp.Signal, mp.Number); ok && mp.Signal.Class() != boards.ClassOther {
		fix = fmt.Sprintf("move it to board pin %d (%s)", want.Number, want.Name())
	}
	c.add(Error, CodeSignalMismatch, m, b, fix,
		"%s joins module %s to board %s", where(w), mp.Name(), bp.Name())
}

func pinList(h *boards.Connector, s boards.Signal) string {
	ns := h.PinsWith(s)
	if len(ns) == 0 {
		return "nowhere on this header"
	}
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return "pin " + strings.Join(parts, ", ")
}

func carried(pairs []pinPair, s boards.Signal) bool {
	return slices.ContainsFunc(pairs, func(p pinPair) bool { return p.matched() && p.mp.Signal == s })
}

// elsewhere returns the wires that take a module pin of signal s to a board pin of another
// signal: what the wiring does with s when it is not carried.
func elsewhere(pairs []pinPair, s boards.Signal) []pinPair {
	var off []pinPair
	for _, p := range pairs {
		if p.mp.Signal == s && !p.matched() {
			off = append(off, p)
		}
	}
	return off
}

// goesTo names where misrouted wires end: "module pin 18 goes to board pin 14 (CLK48)".
func goesTo(off []pinPair) string {
	parts := make([]string, len(off))
	for i, p := range off {
		parts[i] = fmt.Sprintf("module pin %d goes to board pin %d (%s)", p.mp.Number, p.bp.Number, p.bp.Name())
	}
	return strings.Join(parts, " and ")
}

// boardPins lists the board ends of wires, for a fix: "board pin 14" or "board pins 14, 20".
func boardPins(off []pinPair) string {
	_, b := ends(off)
	if len(b) == 1 {
		return fmt.Sprintf("board pin %d", b[0])
	}
	return "board pins " + joinInts(b)
}

// ends returns the module and board pin numbers of wires.
func ends(off []pinPair) (mpins, bpins []int) {
	for _, p := range off {
		mpins = append(mpins, p.mp.Number)
		bpins = append(bpins, p.bp.Number)
	}
	return mpins, bpins
}

// isStrap reports whether a wire from a module pin of signal mod to a board pin of signal
// board holds a sideband input at a fixed level on purpose: CLKRUN# to ground (clock
// always running) or to 3.3 V, LPCPD# to 3.3 V (never powered down).
func isStrap(mod, board boards.Signal) bool {
	switch mod {
	case boards.CLKRUN:
		return board == boards.GND || isRail3V3(board)
	case boards.LPCPD:
		return isRail3V3(board)
	}
	return false
}

var required = []boards.Signal{boards.LCLK, boards.LFRAME, boards.LRESET, boards.LAD0, boards.LAD1, boards.LAD2, boards.LAD3}

func (c *checker) checkRequired(pairs []pinPair) {
	for _, s := range required {
		if carried(pairs, s) {
			continue
		}
		mp := c.s.Module.PinsWith(s)
		bp, ok := usable(c.s.Header, s, 0)
		off := elsewhere(pairs, s)
		switch {
		case len(mp) == 0:
			c.add(Error, CodeMissingSignal, nil, c.s.Header.PinsWith(s), "use a module that has it",
				"module %s has no %s pin", c.s.Module.ID, s)
		case !ok:
			c.add(Error, CodeMissingSignal, mp, nil, "this module cannot work on this header",
				"header %s has no %s: the TPM needs it", c.s.Header.ID, s)
		case len(off) > 0:
			m, _ := ends(off)
			c.add(Error, CodeMissingSignal, m, []int{bp.Number}, fmt.Sprintf("move the wire from %s to board pin %d", boardPins(off), bp.Number),
				"%s does not reach the board's %s (board pin %d): %s; the TPM needs it", s, s, bp.Number, goesTo(off))
		default:
			c.add(Error, CodeMissingSignal, mp, []int{bp.Number}, fmt.Sprintf("add a wire from module pin %d to board pin %d", mp[0], bp.Number),
				"%s is not wired: the TPM needs it", s)
		}
	}
}

func (c *checker) checkPower(pairs []pinPair) {
	var fed []int
	for _, p := range pairs {
		if !isRail3V3(p.mp.Signal) || !isRail3V3(p.bp.Signal) {
			continue
		}
		fed = append(fed, p.mp.Number)
		if p.mp.Signal == boards.V3V3SB && p.bp.Signal == boards.V3V3 {
			c.add(Warning, CodeStandbyRail, []int{p.mp.Number}, []int{p.bp.Number},
				"nothing to do on a bench; on a board with a standby rail, wire it to +3V3SB",
				"the board has no standby 3.3 V here: module pin %d (+3V3SB) is tied to board pin %d (+3V3), as the reference bench did; the TPM then loses power whenever the board is off",
				p.mp.Number, p.bp.Number)
		}
		if p.mp.Signal == boards.V3V3 && p.bp.Signal == boards.V3V3SB {
			c.add(Warning, CodeStandbyRail, []int{p.mp.Number}, []int{p.bp.Number},
				"check that the standby rail can supply the TPM (a few tens of mA)",
				"module pin %d (+3V3) is fed from the board's standby rail (pin %d)", p.mp.Number, p.bp.Number)
		}
	}
	supplies := append(c.s.Module.PinsWith(boards.V3V3), c.s.Module.PinsWith(boards.V3V3SB)...)
	slices.Sort(supplies)
	if len(fed) == 0 {
		fix := "add a wire from the module's 3.3 V pin to the board's 3.3 V pin"
		if len(supplies) > 0 {
			if bp, ok := usable(c.s.Header, boards.V3V3, 0); ok {
				fix = fmt.Sprintf("add a wire from module pin %d to board pin %d (+3V3)", supplies[0], bp.Number)
			}
		}
		c.add(Error, CodeNoPower, supplies, c.s.Header.PinsWith(boards.V3V3), fix, "no wire brings 3.3 V to the module")
		return
	}
	for _, n := range supplies {
		if slices.Contains(fed, n) {
			continue
		}
		mp, _ := c.s.Module.Pin(n)
		bp, ok := usable(c.s.Header, mp.Signal, n)
		if !ok {
			bp, ok = usable(c.s.Header, boards.V3V3, n)
		}
		fix := "feed it from the board's 3.3 V"
		if ok {
			fix = fmt.Sprintf("add a wire from module pin %d to board pin %d (%s)", n, bp.Number, bp.Name())
		}
		c.add(Warning, CodeUnfedRail, []int{n}, nil, fix,
			"module pin %d (%s) gets no supply: that part of the TPM may not power up", n, mp.Name())
	}
}

func (c *checker) checkGround(pairs []pinPair) {
	var gw []pinPair
	for _, p := range pairs {
		if p.mp.Signal == boards.GND && p.bp.Signal == boards.GND {
			gw = append(gw, p)
		}
	}
	mg, hg := c.s.Module.PinsWith(boards.GND), c.s.Header.PinsWith(boards.GND)
	suggest := grounds(c.s.Module, c.s.Header)
	switch {
	case len(gw) == 0:
		fix := "add a ground wire between the module and the board"
		if len(suggest) > 0 {
			parts := make([]string, len(suggest))
			for i, w := range suggest {
				parts[i] = fmt.Sprintf("module pin %d → board pin %d", w.ModulePin, w.BoardPin)
			}
			fix = "add ground wires: " + strings.Join(parts, " and ")
		}
		c.add(Error, CodeNoGround, mg, hg, fix,
			"no ground wire: without a common ground the LPC signals have no return path and the TPM will not answer (the reference wiring lists none)")
	case len(gw) == 1 && len(suggest) > 1 && !c.s.directFit():
		c.add(Info, CodeOneGround, []int{gw[0].mp.Number}, []int{gw[0].bp.Number}, "add a second ground wire at the other end of the connector",
			"one ground wire: a second one gives the signals a shorter return path")
	}
}

func (c *checker) checkSideband(pairs []pinPair) {
	c.checkSerirq(pairs)
	c.checkLPCPD(pairs)
	c.checkCLKRUN(pairs)
}

func (c *checker) checkSerirq(pairs []pinPair) {
	mp := c.s.Module.PinsWith(boards.SERIRQ)
	if len(mp) == 0 || carried(pairs, boards.SERIRQ) {
		return
	}
	bp, ok := usable(c.s.Header, boards.SERIRQ, 0)
	off := elsewhere(pairs, boards.SERIRQ)
	switch {
	case !ok:
		c.add(Warning, CodeNoSerirq, mp, nil, "nothing to wire: poll the TPM (tpmbench probe polls; Linux: tpm_tis force=1 interrupts=0)",
			"the header has no SERIRQ: the TPM can only be polled")
	case len(off) > 0:
		m, _ := ends(off)
		c.add(Warning, CodeNoSerirq, m, []int{bp.Number}, fmt.Sprintf("move the wire from %s to board pin %d, or remove it and probe with polling", boardPins(off), bp.Number),
			"SERIRQ does not reach the board's SERIRQ (board pin %d): %s; until it does the TPM can only be polled (Linux: tpm_tis interrupts=0)", bp.Number, goesTo(off))
	default:
		c.add(Warning, CodeNoSerirq, mp, []int{bp.Number}, fmt.Sprintf("add a wire from module pin %d to board pin %d, or probe with polling", mp[0], bp.Number),
			"SERIRQ is not wired: the TPM can only be polled (Linux: tpm_tis interrupts=0)")
	}
}

// checkLPCPD looks at what the wiring does with the module's power-down input: carried,
// held high by a wire to 3.3 V, sent to some other board pin, or left open.
func (c *checker) checkLPCPD(pairs []pinPair) {
	mp := c.s.Module.PinsWith(boards.LPCPD)
	if len(mp) == 0 || carried(pairs, boards.LPCPD) {
		return
	}
	meter := fmt.Sprintf("with the module unpowered, check with a meter whether pin %d is pulled to 3.3 V on the module; if it floats, tie it to +3V3 through 10 kΩ", mp[0])
	off := elsewhere(pairs, boards.LPCPD)
	if i := slices.IndexFunc(off, func(p pinPair) bool { return isStrap(p.mp.Signal, p.bp.Signal) }); i >= 0 {
		p := off[i]
		c.add(Info, CodeNoLPCPD, []int{p.mp.Number}, []int{p.bp.Number},
			"a 10 kΩ resistor in that wire holds the pin just as well and limits the current should the pin not be what the pinout says",
			"LPCPD# (module pin %d) is tied to board pin %d (%s): held inactive, so the TPM never powers down", p.mp.Number, p.bp.Number, p.bp.Name())
		return
	}
	if len(off) > 0 {
		m, b := ends(off)
		c.add(Warning, CodeNoLPCPD, m, b, fmt.Sprintf("take the wire off %s; then %s", boardPins(off), meter),
			"LPCPD# (LPC power-down, active low) does not reach an LPCPD# line: %s, so that pin decides whether the TPM powers down", goesTo(off))
		return
	}
	what := "LPCPD# is not on the header"
	if c.s.Header.Has(boards.LPCPD) {
		what = "LPCPD# is not wired"
	}
	c.add(Warning, CodeNoLPCPD, mp, nil, meter,
		"%s: module pin %d (LPC power-down, active low) stays open; if it floats low the TPM stays powered down", what, mp[0])
}

// checkCLKRUN looks at what the wiring does with the module's clock-run pin: carried, tied
// to ground or 3.3 V, sent to some other board pin, or left open.
func (c *checker) checkCLKRUN(pairs []pinPair) {
	mp := c.s.Module.PinsWith(boards.CLKRUN)
	if len(mp) == 0 || carried(pairs, boards.CLKRUN) {
		return
	}
	open := fmt.Sprintf("leave module pin %d open, or tie it to GND (asserted: clock always running, as some boards do)", mp[0])
	off := elsewhere(pairs, boards.CLKRUN)
	for _, p := range off {
		switch {
		case p.bp.Signal == boards.GND:
			c.add(Info, CodeNoCLKRUN, []int{p.mp.Number}, []int{p.bp.Number}, "",
				"CLKRUN# (module pin %d) is tied to ground at board pin %d: held asserted, which asks for an LPC clock that always runs, as boards that ground this position do [inferred]", p.mp.Number, p.bp.Number)
			return
		case isRail3V3(p.bp.Signal):
			c.add(Warning, CodeNoCLKRUN, []int{p.mp.Number}, []int{p.bp.Number}, "put a 10 kΩ resistor in that wire, or tie the pin to GND instead",
				"CLKRUN# (module pin %d) is tied straight to board pin %d (%s): it is open-drain, so whenever the module pulls it low the wire shorts the 3.3 V rail", p.mp.Number, p.bp.Number, p.bp.Name())
			return
		}
	}
	if len(off) > 0 {
		m, b := ends(off)
		c.add(Info, CodeNoCLKRUN, m, b, fmt.Sprintf("take the wire off %s; then %s", boardPins(off), open),
			"CLKRUN# does not reach a CLKRUN# line: %s; the module cannot ask the board to keep the LPC clock running; boards without it on the header run the clock all the time [inferred]", goesTo(off))
		return
	}
	c.add(Info, CodeNoCLKRUN, mp, nil, open,
		"CLKRUN# is not wired (module pin %d): the module cannot ask the board to keep the LPC clock running; boards without it on the header run the clock all the time [inferred]", mp[0])
}

func (c *checker) checkMechanics() {
	m, h := c.s.Module, c.s.Header
	if h.Geometry.Footprint == "holes" {
		c.add(Warning, CodeFootprint, nil, nil,
			"solder thin wires (about 30 AWG) straight into the holes, or press pogo pins in; keep them short",
			"%s is a row of small unpopulated holes: a standard pin header does not fit", h.ID)
	}
	direct := c.s.directFit()
	if !direct {
		c.add(Info, CodeFlyingLeads, nil, nil,
			"keep every wire short (under about 10 cm) and run a ground wire beside the clock; solder rather than use breadboard jumpers",
			"the module is connected with wires: long or loose LPC wires make the bus unreliable (a breadboard wiring of the reference bench was flaky until soldered)")
	}
	if !m.Geometry.Same(h.Geometry) {
		return
	}
	for _, k := range m.Geometry.Keys {
		bp := h.Pins[k-1]
		if bp.Signal == boards.KEY {
			continue
		}
		fix := fmt.Sprintf("unblock hole %d of the module's socket, or clip the board's pin %d", k, k)
		if bp.Signal == boards.GND {
			fix += fmt.Sprintf(" (a ground pin; %d other ground pins remain)", len(h.PinsWith(boards.GND))-1)
		}
		if !direct {
			fix += "; that is only needed for a socket of the module's shape pushed onto this header: the pinouts differ, so the module itself is wired, never plugged on"
		}
		c.add(Warning, CodeKeyConflict, []int{k}, []int{k}, fix,
			"the module's key on %d meets the board's pin %d (%s): the module cannot be plugged straight on", k, k, bp.Name())
	}
	if direct {
		c.add(Info, CodeDirectFit, nil, nil, "", "the module plugs straight onto the header; the table lists the connections the plug makes")
		return
	}
	c.add(Warning, CodePinoutDiffers, nil, nil,
		"never plug the module straight on even if it fits; connect it with wires as listed, short ones",
		"the module and the header have the same shape but different pinouts")
}

func (c *checker) checkNeverPins() {
	var ns, names []string
	var pins []int
	for _, p := range c.s.Header.Pins {
		if p.Never != "" {
			pins = append(pins, p.Number)
			ns = append(ns, fmt.Sprint(p.Number))
			names = append(names, fmt.Sprintf("%d %s", p.Number, p.Name()))
		}
	}
	if len(pins) == 0 {
		return
	}
	c.add(Info, CodeNeverPins, nil, pins, "leave them unconnected",
		"board pins %s are never connected for a TPM (%s)", strings.Join(ns, ", "), strings.Join(names, ", "))
}

func (c *checker) checkConfidence(pairs []pinPair) {
	var mp, bp []int
	for _, p := range pairs {
		if !p.mp.Confidence.Solid() && !slices.Contains(mp, p.mp.Number) {
			mp = append(mp, p.mp.Number)
		}
		if !p.bp.Confidence.Solid() && !slices.Contains(bp, p.bp.Number) {
			bp = append(bp, p.bp.Number)
		}
	}
	if len(mp)+len(bp) == 0 {
		return
	}
	slices.Sort(mp)
	slices.Sort(bp)
	c.add(Info, CodeLowConfidence, mp, bp,
		"check these pins with a meter (continuity to the chip or to the board's ground and 3.3 V) before powering up",
		"the wired pins rest on fewer than two independent sources: %s", joinPins(mp, bp))
}

// PinList names the pins of the finding as text: "module 1, 3; board 2", "" when it names none.
func (f Finding) PinList() string { return joinPins(f.ModulePins, f.BoardPins) }

func joinPins(mp, bp []int) string {
	var parts []string
	if len(mp) > 0 {
		parts = append(parts, "module "+joinInts(mp))
	}
	if len(bp) > 0 {
		parts = append(parts, "board "+joinInts(bp))
	}
	return strings.Join(parts, "; ")
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}
