package lpcsim

import "fmt"

// SerIRQMode is how the host runs the serialized IRQ line.
type SerIRQMode uint8

// SERIRQ modes.
const (
	SerIRQOff        SerIRQMode = iota // the host never starts a SERIRQ cycle
	SerIRQContinuous                   // the host starts a cycle after every stop frame
	SerIRQQuiet                        // after one host cycle, a peripheral starts a cycle when its IRQ changes
)

// SerIRQ frame layout: the start pulse width the host drives, the number of
// IRQ/data frames per cycle (IRQ0, IRQ1, SMI#, IRQ3..IRQ15, IOCHCK#) and the
// stop-frame widths.
const (
	serStartWidth = 4
	serFrames     = 17
	serStopQuiet  = 2
	serStopCont   = 3
	serFrameBase  = 1 // frame k (1-based) carries IRQ k-1; IRQ n is frame n+1
)

// ParseSerIRQMode reads "off", "continuous" or "quiet".
func ParseSerIRQMode(s string) (SerIRQMode, error) {
	switch s {
	case "", "off":
		return SerIRQOff, nil
	case "continuous":
		return SerIRQContinuous, nil
	case "quiet":
		return SerIRQQuiet, nil
	}
	return 0, fmt.Errorf("lpcsim: unknown SERIRQ mode %q (want off, continuous or quiet)", s)
}

// String returns the mode's name.
func (m SerIRQMode) String() string {
	switch m {
	case SerIRQContinuous:
		return "continuous"
	case SerIRQQuiet:
		return "quiet"
	}
	return "off"
}

// Host SERIRQ states.
const (
	shIdle    uint8 = iota // quiet mode: watch for a peripheral's start pulse
	shStart                // driving the start pulse low
	shRecover              // driving high for one clock after a pulse
	shFrames               // sampling IRQ/data frames
	shStop                 // driving the stop frame low
)

// serirq is both ends of the SERIRQ line: the host's controller and the
// TPM's frame logic (module side).
type serirq struct {
	mode    SerIRQMode
	quiet   bool // the next cycle is quiet mode
	st      uint8
	n       int // clocks into the current state
	hostLow uint32
	levels  uint32 // per frame: 1 = sampled high
	cycles  uint64

	tpm    *TPMTarget
	devLow uint32
	dev    serDevice
}

// serDevice tracks the SERIRQ cycle as the module sees it.
type serDevice struct {
	lowRun  int
	pos     int // clocks since the start pulse's rising edge, plus one; 0 = not in frames
	quiet   bool
	lastIRQ bool // the level the host last sampled from us
}

func newSerIRQ(mode SerIRQMode, tpm *TPMTarget) (*serirq, error) {
	switch mode {
	case SerIRQOff:
		return nil, nil
	case SerIRQContinuous, SerIRQQuiet:
	default:
		return nil, fmt.Errorf("lpcsim: unknown SERIRQ mode %d", mode)
	}
	// After reset the line is in continuous mode: the host starts the first cycle.
	return &serirq{mode: mode, st: shStart, levels: 1<<serFrames - 1, tpm: tpm}, nil
}

// stepHost advances the host controller with the line as the board sees it.
func (s *serirq) stepHost(v uint32) {
	s.n++
	switch s.st {
	case shIdle:
		if v&bitIRQ == 0 { // a peripheral drove the first clock of the pulse
			s.st, s.n, s.hostLow = shStart, 1, bitIRQ
		}
	case shStart:
		s.hostLow = bitIRQ
		if s.n > serStartWidth {
			s.st, s.n, s.hostLow = shRecover, 0, 0
		}
	case shRecover:
		s.st, s.n, s.hostLow = shFrames, 0, 0
	case shFrames:
		// Frame k's sample clock is 3k-1 clocks after the pulse's rising edge.
		if s.n%3 == 2 {
			k := (s.n + 1) / 3
			if v&bitIRQ == 0 {
				s.levels &^= 1 << (k - 1)
			} else {
				s.levels |= 1 << (k - 1)
			}
		}
		if s.n == 3*serFrames+1 {
			s.st, s.n, s.hostLow = shStop, 0, bitIRQ
			s.quiet = s.mode == SerIRQQuiet
		}
	case shStop:
		width := serStopCont
		if s.quiet {
			width = serStopQuiet
		}
		if s.n >= width {
			s.cycles++
			s.hostLow = 0
			if s.quiet {
				s.st, s.n = shIdle, 0
			} else {
				s.st, s.n = shStart, 0
			}
		}
	}
}

// stepDevice advances the module's SERIRQ logic with the line as the module sees it.
func (s *serirq) stepDevice(v uint32) {
	d := &s.dev
	s.devLow = 0
	vector, asserted := 0, false
	if s.tpm != nil {
		vector, asserted = s.tpm.IRQ()
	}
	if d.pos > 0 { // inside the IRQ/data frames
		if d.pos++; d.pos > 3*serFrames+1 {
			d.pos = 0
		}
		// Drive low through our frame's sample clock when the interrupt is
		// asserted (low-level polarity, the type a TIS TPM must support).
		if vector != 0 && d.pos == 3*(vector+serFrameBase)-1 {
			d.lastIRQ = asserted
			if asserted {
				s.devLow = bitIRQ
			}
		}
		return
	}
	if v&bitIRQ == 0 {
		d.lowRun++
		return
	}
	switch {
	case d.lowRun >= serStartWidth:
		d.pos = 1 // this clock is the pulse's rising edge
	case d.lowRun == serStopQuiet || d.lowRun == serStopCont:
		d.quiet = d.lowRun == serStopQuiet
	case d.lowRun == 0 && d.quiet && vector != 0 && asserted != d.lastIRQ:
		s.devLow = bitIRQ // quiet mode: start a cycle to report the change
	}
	d.lowRun = 0
}

// IRQAsserted reports whether the host's last SERIRQ cycle saw IRQ n
// asserted (its frame sampled low; active-low level). Always false when
// SERIRQ is off.
func (h *Host) IRQAsserted(n int) bool {
	s := h.b.irq
	if s == nil || n < 0 || n+serFrameBase > serFrames {
		return false
	}
	return s.levels&(1<<(n+serFrameBase-1)) == 0
}

// SerIRQCycles returns the number of complete SERIRQ cycles the host ran.
func (h *Host) SerIRQCycles() uint64 {
	if h.b.irq == nil {
		return 0
	}
	return h.b.irq.cycles
}
