package main

import (
	"encoding/json"
	"strings"
	"testing"

	"tpmbench/bringup"
)

// nvLockJSON is what the tests read of "nv lock --json".
type nvLockJSON struct {
	Family        string                  `json:"family"`
	NVLocked      *bool                   `json:"nv_locked_before"`
	Risks         []string                `json:"risks"`
	Command       *bringup.StepResult     `json:"command"`
	Confirmed     bool                    `json:"confirmed"`
	Steps         []bringup.StepResult    `json:"steps"`
	NVLockedAfter *bool                   `json:"nv_locked_after"`
	Verified      bool                    `json:"verified"`
	Indices20     []bringup.NVIndexState2 `json:"tpm20_indices"`
}

func nvLock(t *testing.T, args ...string) (nvLockJSON, string, int) {
	t.Helper()
	out, errOut, code := runCmd(t, append([]string{"nv", "lock", "--json"}, args...)...)
	var r nvLockJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v (exit %d, stderr %s)\n%s", err, code, errOut, out)
	}
	return r, errOut, code
}

// TestNVLockWithoutYes: an unlocked TPM is reported with the risks and the fix; nothing is sent.
func TestNVLockWithoutYes(t *testing.T) {
	out, errOut, code := runCmd(t, "nv", "lock")
	if code != exitBench {
		t.Fatalf("exit %d, want %d: %s", code, exitBench, errOut)
	}
	inOrder(t, out, "nvLocked: FALSE", "writable without authorization", "worn out", "TXT measured launch is refused",
		"fix: TPM_NV_DefineSpace(TPM_NV_INDEX_LOCK 0xFFFFFFFF, size 0)", "00 C1 00 00 00 65 00 00 00 CC 00 18 FF FF FF FF",
		"cannot be undone", "nothing was sent; run again with --yes")
	if strings.Contains(out, "send 1/1") || strings.Contains(out, "answer") {
		t.Errorf("sent without --yes:\n%s", out)
	}
	bringupGolden(t, "nv-lock-report.txt", out)

	r, errOut, code := nvLock(t)
	if code != exitBench || r.NVLocked == nil || *r.NVLocked || r.Confirmed || len(r.Steps) != 0 || r.NVLockedAfter != nil || r.Verified {
		t.Errorf("JSON without --yes (exit %d): %+v", code, r)
	}
	if len(r.Risks) != 3 || r.Command == nil || !r.Command.Irreversible || r.Command.Status != bringup.StatusNotSent {
		t.Errorf("risks %d, command %+v", len(r.Risks), r.Command)
	}
	if strings.Contains(errOut, "send") {
		t.Errorf("stderr shows a command sent: %s", errOut)
	}
}

// TestNVLockYes: --yes defines TPM_NV_INDEX_LOCK, then nvLocked reads TRUE.
func TestNVLockYes(t *testing.T) {
	out, errOut, code := runCmd(t, "nv", "lock", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	inOrder(t, out, "nvLocked: FALSE", "fix:", "send 1/1 TPM_NV_DefineSpace(TPM_NV_INDEX_LOCK 0xFFFFFFFF, size 0): 00 C1 00 00 00 65",
		"answer TPM_SUCCESS (0x0)", "took effect (TPM_SUCCESS (0x0), confirmed by the flags)",
		"verified: TPM_PERMANENT_FLAGS.nvLocked now reads TRUE")
	bringupGolden(t, "nv-lock-yes.txt", out)

	r, errOut, code := nvLock(t, "--yes")
	if code != exitOK || !r.Confirmed || len(r.Steps) != 1 || r.Steps[0].Status != bringup.StatusDone ||
		r.Steps[0].Verified == nil || !*r.Steps[0].Verified || r.NVLockedAfter == nil || !*r.NVLockedAfter || !r.Verified {
		t.Errorf("JSON with --yes (exit %d): %+v", code, r)
	}
	if !strings.Contains(errOut, "send 1/1 TPM_NV_DefineSpace") {
		t.Errorf("the command sent is not on stderr: %q", errOut)
	}
}

func TestNVLockAlreadyLocked(t *testing.T) {
	for _, yes := range []string{"--yes=false", "--yes"} {
		out, errOut, code := runCmd(t, "nv", "lock", yes, benchScenario(t, "nv-locked", nil))
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", yes, code, errOut)
		}
		inOrder(t, out, "nvLocked: TRUE", "nothing to do")
		if strings.Contains(out, "send") {
			t.Errorf("%s: sent something to a locked TPM:\n%s", yes, out)
		}
	}
}

func TestNVLockTPM20(t *testing.T) {
	out, errOut, code := runCmd(t, "nv", "lock", "apu2-tpm20")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	inOrder(t, out, "TPM 2.0: no TPM_NV_INDEX_LOCK", "0x01C10102 AUX", "not defined", "0x01C10103 PS", "not defined", "0x01C10106 PO", "not defined")
	bringupGolden(t, "nv-lock-tpm20.txt", out)

	r, _, code := nvLock(t, "apu2-tpm20")
	if code != exitOK || r.Family != "2.0" || len(r.Indices20) != 3 || r.NVLocked != nil {
		t.Errorf("TPM 2.0 JSON: %+v", r)
	}
	for _, ix := range r.Indices20 {
		if ix.Defined || ix.WriteLocked {
			t.Errorf("%+v", ix)
		}
	}
}

// TestNVLockListed: nv lock sits under nv beside list.
func TestNVLockListed(t *testing.T) {
	out, _, code := runCmd(t, "nv", "--help")
	if code != exitOK || !strings.Contains(out, "lock") || !strings.Contains(out, "list") {
		t.Errorf("nv --help (exit %d):\n%s", code, out)
	}
}
