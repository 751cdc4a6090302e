package lpcsim

import "strings"

// Signal is one LPC header signal. The logic lines come first so that a
// resolved bus fits in a bit mask with LAD0..LAD3 in bits 0..3 (LAD[3] is
// bit 3 of a nibble); the supply and ground follow.
type Signal uint8

// The header signals the simulator models, with the canonical names the
// wiring uses.
const (
	LAD0   Signal = iota // LAD[0]
	LAD1                 // LAD[1]
	LAD2                 // LAD[2]
	LAD3                 // LAD[3]
	LFRAME               // LFRAME#, start of cycle or abort
	LRESET               // LRESET#, TPM_Init for a TPM
	SERIRQ               // serialized IRQ, open drain
	LCLK                 // the 33.33 MHz LPC clock
	LDRQ                 // LDRQ#, DMA request; a TPM leaves it high
	LPCPD                // LPCPD#, power-down warning
	CLKRUN               // CLKRUN#, clock-run protocol
	V3P3                 // +3V3 supply
	V3P3SB               // +3V3SB standby supply
	V5                   // +5V supply
	GND                  // ground
	numSignals
)

// numLines is the number of logic lines (the signals before the supplies).
const numLines = int(V3P3)

const (
	ladMask  = 1<<LAD0 | 1<<LAD1 | 1<<LAD2 | 1<<LAD3
	lineMask = 1<<numLines - 1
	bitFrame = 1 << LFRAME
	bitReset = 1 << LRESET
	bitIRQ   = 1 << SERIRQ
	bitClock = 1 << LCLK
)

var signalNames = [numSignals]string{
	LAD0: "LAD0", LAD1: "LAD1", LAD2: "LAD2", LAD3: "LAD3",
	LFRAME: "LFRAME#", LRESET: "LRESET#", SERIRQ: "SERIRQ", LCLK: "LCLK",
	LDRQ: "LDRQ#", LPCPD: "LPCPD#", CLKRUN: "CLKRUN#",
	V3P3: "+3V3", V3P3SB: "+3V3SB", V5: "+5V", GND: "GND",
}

// String returns the canonical signal name, such as "LFRAME#" or "+3V3".
func (s Signal) String() string {
	if s < numSignals {
		return signalNames[s]
	}
	return "signal?"
}

// IsLine reports whether s is a logic line (resolved each clock) rather than
// a supply or ground.
func (s Signal) IsLine() bool { return int(s) < numLines }

// ParseSignal returns the signal with the canonical name (case-insensitive;
// the trailing # of an active-low name and a leading + may be left out,
// "3V3" and "VCC3" name +3V3). Signals the simulator does not model (CLK48,
// KEY, NC) give ok false.
func ParseSignal(name string) (s Signal, ok bool) {
	n := strings.ToUpper(strings.TrimSpace(name))
	switch n {
	case "3V3", "VCC3", "3.3V", "+3.3V":
		return V3P3, true
	case "3V3SB", "3VSB", "+3VSB":
		return V3P3SB, true
	case "5V", "VCC5":
		return V5, true
	}
	for i, sn := range signalNames {
		if n == sn || n+"#" == sn || "+"+n == sn {
			return Signal(i), true
		}
	}
	return 0, false
}

// Signals returns every modelled signal, logic lines first.
func Signals() []Signal {
	out := make([]Signal, numSignals)
	for i := range out {
		out[i] = Signal(i)
	}
	return out
}
