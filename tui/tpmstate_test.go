package tui

import (
	"strings"
	"testing"
)

// TestProbeKeepsTPMState: what the Actions screen changed survives the next probe of the same
// scenario, even through a probe on a broken bench, until f puts the scenario's state back.
func TestProbeKeepsTPMState(t *testing.T) {
	d := probedActions(t)
	d.mustShow("enabled no", "active no")
	d.keys("enter")                 // enable and activate
	d.keys("down", "down", "enter") // reset the bench and probe again
	d.mustShow("enabled yes", "active yes")

	toProbe(d)
	d.keys("r")
	d.mustShow("probe complete", "TPM state kept (f resets)", "enabled yes", "active yes")
	toScreen(d, "Actions")
	d.mustShow("enabled yes", "active yes") // the Actions screen took the new probe's bench

	toProbe(d)
	d.keys("esc")
	d.mustShow("› default", "TPM state: kept from earlier probes and actions (f: the scenario's)")
	checkGolden(t, "probe-setup-kept", d.screen())

	// A bench with LAD2 open is a new bench around the same chip: no TPM answers, and the chip
	// keeps its state for when the wire is fixed.
	d.keys("right")
	for range 60 {
		if strings.Contains(d.screen(), "› [ ] open LAD2") {
			break
		}
		d.keys("down")
	}
	d.keys("space", "r")
	d.mustShow("probe failed", "no TPM answered")
	d.keys("esc", "space", "r")
	d.mustShow("probe complete", "enabled yes", "active yes")

	d.keys("f")
	d.mustShow("default: the next probe starts from the scenario's TPM state")
	d.keys("r")
	d.mustShow("probe complete", "enabled no", "active no")
	if strings.Contains(d.screen(), "TPM state kept") {
		t.Errorf("the probe after f says it used a kept TPM:\n%s", d.screen())
	}
	d.keys("esc", "left")
	d.mustShow("TPM state: kept from earlier probes") // the fresh TPM is kept from now on
	d.keys("f", "f")
	d.mustShow("default: the TPM is already in the scenario's state", "TPM state: the scenario's;")
}

// TestProbeKeptStatePerScenario: the TPM kept for one scenario is not the one another scenario
// probes.
func TestProbeKeptStatePerScenario(t *testing.T) {
	d := probedActions(t)
	d.keys("enter", "down", "down", "enter")
	d.mustShow("enabled yes", "active yes")
	toProbe(d)
	d.keys("esc", "up", "up") // from default up to apu2-tpm1a-tpm20
	d.mustShow("› apu2-tpm1a-tpm20", "TPM state: the scenario's;")
	d.keys("down", "down")
	d.mustShow("› default", "TPM state: kept from earlier probes")
}
