package boards

// Signal is a canonical signal name such as "LAD0", "+3V3" or "GND".
type Signal string

// The canonical signals. The vendor's own name for a pin goes in Pin.Label.
const (
	LCLK    Signal = "LCLK"    // LPC clock, 33 MHz
	LFRAME  Signal = "LFRAME#" // start of an LPC cycle
	LRESET  Signal = "LRESET#" // LPC reset
	LAD0    Signal = "LAD0"    // LPC address/data bit 0
	LAD1    Signal = "LAD1"    // LPC address/data bit 1
	LAD2    Signal = "LAD2"    // LPC address/data bit 2
	LAD3    Signal = "LAD3"    // LPC address/data bit 3
	SERIRQ  Signal = "SERIRQ"  // serialised interrupt line
	LDRQ    Signal = "LDRQ#"   // LPC DMA request (TPMs do not use it)
	LPCPD   Signal = "LPCPD#"  // LPC power-down
	CLKRUN  Signal = "CLKRUN#" // clock run (stop the LPC clock)
	V3V3    Signal = "+3V3"    // main 3.3 V supply
	V3V3SB  Signal = "+3V3SB"  // standby 3.3 V supply
	V5      Signal = "+5V"     // 5 V supply
	GND     Signal = "GND"     // ground
	CLK48   Signal = "CLK48"   // 48 MHz clock for Super I/O parts
	KEY     Signal = "KEY"     // no pin: a key (missing pin or blocked hole)
	NC      Signal = "NC"      // not connected
	Other   Signal = "OTHER"   // a pin outside the LPC TPM vocabulary; its Label says what
	Unknown Signal = "UNKNOWN" // a pin whose function is not known
)

// Class groups signals by what the wiring does with them.
type Class int

// Signal classes.
const (
	ClassBus      Class = iota // LPC bus lines the TPM needs: LCLK, LFRAME#, LRESET#, LAD0-3
	ClassSideband              // optional LPC lines: SERIRQ, LDRQ#, LPCPD#, CLKRUN#, CLK48
	ClassPower                 // supply rails
	ClassGround                // ground
	ClassNone                  // KEY, NC: nothing to connect
	ClassOther                 // OTHER, UNKNOWN: not part of an LPC TPM wiring
)

// Direction is a pin's direction seen from the host (the mainboard).
type Direction string

// Directions.
const (
	HostToDevice Direction = "h2d"     // the host drives
	DeviceToHost Direction = "d2h"     // the device drives
	Bidir        Direction = "bidir"   // both drive, turn by turn
	OpenDrain    Direction = "od"      // wired-OR, pulled up on the board
	Supply       Direction = "pwr"     // a supply rail
	Ground       Direction = "gnd"     // ground
	NoDirection  Direction = "none"    // no pin or not connected
	DirUnknown   Direction = "unknown" // not known
)

// SignalInfo describes a canonical signal.
type SignalInfo struct {
	Name  Signal    // canonical name
	Class Class     // what the wiring does with it
	Dir   Direction // default direction of a pin carrying it
	Level string    // default level: "3.3V", "5V", "0V" or ""
	Desc  string    // one line for people
}

var signalTable = []SignalInfo{
	{LCLK, ClassBus, HostToDevice, "3.3V", "LPC clock, 33 MHz"},
	{LFRAME, ClassBus, HostToDevice, "3.3V", "LPC frame: marks the start of a cycle"},
	{LRESET, ClassBus, HostToDevice, "3.3V", "LPC reset, active low"},
	{LAD0, ClassBus, Bidir, "3.3V", "LPC address/data 0"},
	{LAD1, ClassBus, Bidir, "3.3V", "LPC address/data 1"},
	{LAD2, ClassBus, Bidir, "3.3V", "LPC address/data 2"},
	{LAD3, ClassBus, Bidir, "3.3V", "LPC address/data 3"},
	{SERIRQ, ClassSideband, OpenDrain, "3.3V", "serialised IRQ"},
	{LDRQ, ClassSideband, DeviceToHost, "3.3V", "LPC DMA request"},
	{LPCPD, ClassSideband, HostToDevice, "3.3V", "LPC power-down, active low"},
	{CLKRUN, ClassSideband, OpenDrain, "3.3V", "clock run, active low"},
	{CLK48, ClassSideband, HostToDevice, "3.3V", "48 MHz clock"},
	{V3V3, ClassPower, Supply, "3.3V", "3.3 V supply"},
	{V3V3SB, ClassPower, Supply, "3.3V", "3.3 V standby supply"},
	{V5, ClassPower, Supply, "5V", "5 V supply"},
	{GND, ClassGround, Ground, "0V", "ground"},
	{KEY, ClassNone, NoDirection, "", "no pin (key)"},
	{NC, ClassNone, NoDirection, "", "not connected"},
	{Other, ClassOther, DirUnknown, "", "other function (see the label)"},
	{Unknown, ClassOther, DirUnknown, "", "function not known"},
}

// Signals lists every canonical signal, bus lines first.
func Signals() []SignalInfo { return append([]SignalInfo(nil), signalTable...) }

// LookupSignal returns what is known about a canonical signal name.
func LookupSignal(s Signal) (SignalInfo, bool) {
	for _, si := range signalTable {
		if si.Name == s {
			return si, true
		}
	}
	return SignalInfo{}, false
}

// Class returns the signal's class; unknown names are ClassOther.
func (s Signal) Class() Class {
	if si, ok := LookupSignal(s); ok {
		return si.Class
	}
	return ClassOther
}

// Confidence says how well a fact is sourced.
type Confidence string

// Confidence tags, strongest first.
const (
	TwoSources  Confidence = "2S"          // two or more independent sources agree
	OneSource   Confidence = "1S"          // one source
	Inferred    Confidence = "INF"         // inferred, not stated by any source
	WriteupOnly Confidence = "WRITEUP"     // only the reference write-up says so
	Unconfirmed Confidence = "UNCONFIRMED" // looked for, not found
)

// Solid reports whether the fact has two or more independent sources.
func (c Confidence) Solid() bool { return c == TwoSources }

var confidences = []Confidence{TwoSources, OneSource, Inferred, WriteupOnly, Unconfirmed}
var directions = []Direction{HostToDevice, DeviceToHost, Bidir, OpenDrain, Supply, Ground, NoDirection, DirUnknown}
