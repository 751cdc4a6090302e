package decode

import (
	"fmt"
	"strings"
)

// SERIRQ frame layout (LPC serialized IRQ): a start pulse of 4–8 clocks low,
// IRQ/data frames of 3 clocks each (sample, recovery, turn-around) whose
// sample clock is 3k−1 clocks after the start pulse's rising edge for frame k,
// then a stop frame of 2 (quiet mode next) or 3 (continuous) clocks low.
const (
	serMinStart   = 4  // shortest start pulse
	serStopQuiet  = 2  // stop-frame width that selects quiet mode
	serStopCont   = 3  // stop-frame width that selects continuous mode
	serMaxFrames  = 32 // frames after which a cycle with no stop frame is given up
	serFirstFrame = 2  // clocks from the start pulse's rising edge to frame 1's sample clock
)

// SerIRQMode is the mode a SERIRQ stop frame selects for the next cycle.
type SerIRQMode uint8

// SERIRQ modes, from the stop frame's width.
const (
	SerIRQNoStop     SerIRQMode = iota // no stop frame: cut off, or none within 32 frames
	SerIRQQuiet                        // stop frame 2 clocks: a peripheral starts the next cycle
	SerIRQContinuous                   // stop frame 3 clocks: the host starts the next cycle
	SerIRQBadStop                      // stop frame of another width (a spec deviation)
)

var serIRQModeNames = [...]string{"no-stop", "quiet", "continuous", "bad-stop"}

// String returns the mode's name ("quiet").
func (m SerIRQMode) String() string {
	if int(m) < len(serIRQModeNames) {
		return serIRQModeNames[m]
	}
	return fmt.Sprintf("serirq-mode(%d)", m)
}

// MarshalText gives JSON the name.
func (m SerIRQMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Starter is who started a SERIRQ cycle. The line alone does not show who
// drives it, so it is inferred from the mode the previous stop frame chose:
// after a continuous-mode stop frame or LRESET# only the host starts a cycle;
// after a quiet-mode one a peripheral does, to report a change in its IRQ.
type Starter uint8

// Who started a SERIRQ cycle.
const (
	StartedUnknown    Starter = iota // the capture began during or after the previous stop frame
	StartedHost                      // continuous mode, or the first cycle after LRESET#
	StartedPeripheral                // quiet mode
)

var starterNames = [...]string{"unknown", "host", "peripheral"}

// String returns "host", "peripheral" or "unknown".
func (s Starter) String() string {
	if int(s) < len(starterNames) {
		return starterNames[s]
	}
	return fmt.Sprintf("starter(%d)", s)
}

// MarshalText gives JSON the name.
func (s Starter) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// SerIRQCycle is one decoded SERIRQ cycle: start frame, IRQ/data frames and
// stop frame.
type SerIRQCycle struct {
	Index      int        `json:"index"`       // 0-based position among the capture's SERIRQ cycles
	Tick       int64      `json:"tick"`        // first clock of the start pulse
	EndTick    int64      `json:"end_tick"`    // last clock of the stop frame (or the last clock seen)
	StartedBy  Starter    `json:"started_by"`  // who started the cycle (inferred; see Starter)
	StartWidth int        `json:"start_width"` // clocks the start pulse was low
	Frames     int        `json:"frames"`      // IRQ/data frames before the stop frame (17 on ISA-style hosts, 21 with INTA#–INTD#)
	Asserted   []int      `json:"asserted"`    // frames (1-based) sampled low, in order; see FrameName
	StopWidth  int        `json:"stop_width"`  // clocks the stop frame was low; 0 when none was seen
	Mode       SerIRQMode `json:"mode"`        // the mode the stop frame selects for the next cycle
	Misaligned int        `json:"misaligned"`  // one-clock low pulses that were not on a frame's sample clock
	Status     Status     `json:"status"`      // complete, reset (LRESET# cut it off) or truncated
}

// IRQs returns the numbers of the asserted frames that carry an IRQ (frame
// k carries IRQ k−1; frame 3, SMI#, and frames from 17 on are left out).
func (c *SerIRQCycle) IRQs() []int {
	var out []int
	for _, f := range c.Asserted {
		if f >= 1 && f <= 16 && f != 3 {
			out = append(out, f-1)
		}
	}
	return out
}

// FrameName names SERIRQ frame k (1-based): "IRQ0", "IRQ1", "SMI#", "IRQ3"
// … "IRQ15", "IOCHCK#", then "INTA#" … "INTD#", and "frame22" beyond.
func FrameName(k int) string {
	switch {
	case k == 3:
		return "SMI#"
	case k >= 1 && k <= 16:
		return fmt.Sprintf("IRQ%d", k-1)
	case k == 17:
		return "IOCHCK#"
	case k >= 18 && k <= 21:
		return fmt.Sprintf("INT%c#", 'A'+k-18)
	}
	return fmt.Sprintf("frame%d", k)
}

// String formats the cycle on one line: mode, asserted frames, start and
// stop, and the status when the cycle did not complete.
func (c *SerIRQCycle) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "serirq     %-10s asserted=", c.Mode)
	if len(c.Asserted) == 0 {
		b.WriteString("none")
	}
	for i, f := range c.Asserted {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(FrameName(f))
	}
	fmt.Fprintf(&b, " start=%s/%d frames=%d stop=%d", c.StartedBy, c.StartWidth, c.Frames, c.StopWidth)
	if c.Misaligned > 0 {
		fmt.Fprintf(&b, " !misaligned=%d", c.Misaligned)
	}
	if c.Status != Complete {
		fmt.Fprintf(&b, " [%s]", strings.ToUpper(c.Status.String()))
	}
	return b.String()
}

// serirqDecoder follows the SERIRQ line clock by clock.
type serirqDecoder struct {
	emit func(*SerIRQCycle)

	low     int   // clocks the line has been low in the current run
	lowTick int64 // first clock of that run
	lowPos  int   // pos at the first clock of that run
	cur     *SerIRQCycle
	pos     int     // clocks since the start pulse's rising edge (0 at the edge)
	next    Starter // who starts the next cycle
	index   int
}

// clock handles one LCLK rising edge with the SERIRQ level sampled before it.
func (s *serirqDecoder) clock(tick int64, high bool) {
	if s.cur != nil {
		s.pos++
		s.cur.EndTick = tick
	}
	if !high {
		if s.low == 0 {
			s.lowTick, s.lowPos = tick, s.pos
		}
		s.low++
		return
	}
	if s.low > 0 {
		s.rise(tick)
		s.low = 0
	}
	if s.cur != nil && s.pos > serFirstFrame+3*serMaxFrames {
		s.end(Complete) // no stop frame: give the cycle up
	}
}

// rise handles the clock that ends a low run.
func (s *serirqDecoder) rise(tick int64) {
	if s.cur == nil {
		switch {
		case s.low >= serMinStart:
			s.cur = &SerIRQCycle{Tick: s.lowTick, EndTick: tick, StartedBy: s.next, StartWidth: s.low}
			s.pos = 0
		case s.low == serStopQuiet:
			s.next = StartedPeripheral // a stop frame of a cycle whose start the capture missed
		case s.low == serStopCont:
			s.next = StartedHost
		}
		return
	}
	c := s.cur
	if s.low == 1 {
		k, r := (s.lowPos-serFirstFrame)/3+1, (s.lowPos-serFirstFrame)%3
		if r != 0 || s.lowPos < serFirstFrame {
			c.Misaligned++
			return
		}
		c.Asserted = append(c.Asserted, k)
		return
	}
	c.StopWidth = s.low
	c.Frames = max(s.lowPos-serFirstFrame, 0) / 3
	c.EndTick = tick
	switch s.low {
	case serStopQuiet:
		c.Mode, s.next = SerIRQQuiet, StartedPeripheral
	case serStopCont:
		c.Mode, s.next = SerIRQContinuous, StartedHost
	default:
		c.Mode, s.next = SerIRQBadStop, StartedUnknown
	}
	s.end(Complete)
}

func (s *serirqDecoder) end(st Status) {
	c := s.cur
	c.Status = st
	c.Index = s.index
	s.index++
	s.cur = nil
	s.emit(c)
}

// reset handles a clock with LRESET# asserted: a cycle in progress is cut
// off, and the host starts the next one (the line restarts in continuous mode).
func (s *serirqDecoder) reset() {
	if s.cur != nil {
		s.end(ResetCut)
	}
	s.low, s.next = 0, StartedHost
}

// flush ends the capture: a cycle in progress is truncated.
func (s *serirqDecoder) flush() {
	if s.cur != nil {
		s.end(Truncated)
	}
}
