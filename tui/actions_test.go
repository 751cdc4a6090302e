package tui

import (
	"strings"
	"testing"
)

// probedActions probes a scenario and goes to the Actions screen.
func probedActions(t *testing.T, moves ...string) *driver {
	t.Helper()
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	d.keys(moves...)
	d.keys("r")
	d.mustShow("probe complete")
	toScreen(d, "Actions")
	return d
}

// TestActionsEnableThenLock takes the factory-state TPM 1.2 of the reference bench through
// enable, the simulated reset that activates it, and the NV lock with its confirmation, checking
// the flags the screen reads back at each stage.
func TestActionsEnableThenLock(t *testing.T) {
	d := probedActions(t)
	d.mustShow("on simulated bench default", "enabled no", "active no", "NV locked no",
		"› Enable and activate        4 steps, reversible", "IRREVERSIBLE", "TPM_PhysicalEnable")
	checkGolden(t, "actions-plan", d.screen())

	d.keys("enter")
	d.mustShow("enabled yes", "active no", "last run: enable and activate", "a reset is needed")
	a := d.m.screens[d.m.active].(*actionsModel)
	for _, s := range a.last.result.Steps {
		if s.Status != "done" || s.Verified == nil || !*s.Verified {
			t.Errorf("step %s: status %s, verified %v; want done and confirmed by the flags", s.Name, s.Status, s.Verified)
		}
	}

	d.keys("down", "down", "enter") // reset the bench and probe again
	d.mustShow("enabled yes", "active yes")

	d.keys("up", "enter")
	d.mustShow("This cannot be undone.", "TPM_NV_INDEX_LOCK", "Press y")
	checkGolden(t, "actions-confirm", d.screen())
	d.keys("y")
	d.mustShow("NV locked yes", "already locked", "last run: NV lock")
}

// TestActionsNVLockDeclined checks that any key but y at the confirmation sends nothing.
func TestActionsNVLockDeclined(t *testing.T) {
	d := probedActions(t)
	d.keys("down", "enter")
	d.mustShow("Press y")
	d.keys("n")
	d.mustShow("NV lock cancelled: nothing was sent", "NV locked no", "1 step, IRREVERSIBLE")
	if strings.Contains(d.screen(), "last run") {
		t.Error("a run is reported although the lock was declined")
	}
}

// TestActionsNeedProbe checks the screen before any probe and after a failed one.
func TestActionsNeedProbe(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	toScreen(d, "Actions")
	d.mustShow("run a successful probe on the Probe screen first")
	d.keys("enter")
	d.mustShow("run a successful probe")
}

// TestActionsTPM20 checks the TPM 2.0 bench: no enable, the TXT NV indices and their state.
func TestActionsTPM20(t *testing.T) {
	d := probedActions(t, "up", "up") // from default up to apu2-tpm1a-tpm20
	d.mustShow("TPM 2.0", "no enable/activate commands", "0x01C10102 AUX", "AUX")
}
