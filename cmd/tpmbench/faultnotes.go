package main

import (
	"fmt"
	"io"

	"tpmbench/lpcsim"
)

// passiveLines are the logic lines the simulated bench neither drives nor reads: they idle at
// their pull-up, and no simulated part looks at them.
var passiveLines = []lpcsim.Signal{lpcsim.LDRQ, lpcsim.LPCPD, lpcsim.CLKRUN}

// noOpFault says why a fault changes nothing on the simulated bench, or returns "" when it
// does change something. It follows lpcsim's fault semantics: a stuck fault forces the level
// of the net it is on, the supplies and ground keep their fixed levels (only +3V3 and GND
// decide whether the module is powered), and LDRQ#, LPCPD# and CLKRUN# are not modelled
// beyond their pull-ups.
func noOpFault(f lpcsim.Fault) string {
	switch {
	case f.Kind == lpcsim.StuckLow && f.Line == lpcsim.GND:
		return "GND is low anyway"
	case f.Kind == lpcsim.StuckHigh && f.Line == lpcsim.V3P3:
		return "+3V3 is high anyway"
	case (f.Kind == lpcsim.StuckLow || f.Kind == lpcsim.StuckHigh) && (f.Line == lpcsim.V3P3SB || f.Line == lpcsim.V5):
		return fmt.Sprintf("the simulator keeps %s at its own level and powers the module from +3V3 and GND only", f.Line)
	}
	for _, p := range passiveLines {
		if f.Line != p {
			continue
		}
		switch f.Kind {
		case lpcsim.Open, lpcsim.StuckHigh:
			return fmt.Sprintf("nothing on the simulated bench drives %s, so it is high (pulled up) anyway", p)
		case lpcsim.StuckLow, lpcsim.Flip:
			return fmt.Sprintf("nothing on the simulated bench reads %s (the simulated TPM ignores it)", p)
		}
	}
	return ""
}

// noteNoOpFaults prints a note on w for each fault that changes nothing on the simulated bench,
// so a user who injected it does not take the bench's behaviour for its effect.
func noteNoOpFaults(w io.Writer, faults []lpcsim.Fault) {
	for _, f := range faults {
		if why := noOpFault(f); why != "" {
			fmt.Fprintf(w, "tpmbench: note: the fault %q changes nothing: %s\n", f.String(), why)
		}
	}
}
