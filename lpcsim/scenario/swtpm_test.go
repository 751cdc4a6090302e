package scenario

import (
	"errors"
	"os"
	"os/exec"
	"testing"

	"tpmbench/tpm"
)

// TestSwtpmFactoryState checks that a swtpm scenario in the factory state starts the way the
// built-in engine does, disabled and deactivated, while "fresh" is libtpms's enabled, active
// state. It runs a real swtpm, so only with TPMBENCH_INTEGRATION=1.
func TestSwtpmFactoryState(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("runs a real swtpm; set TPMBENCH_INTEGRATION=1")
	}
	if _, err := exec.LookPath("swtpm"); err != nil {
		t.Fatalf("TPMBENCH_INTEGRATION=1 but swtpm is not installed (apt-get install swtpm swtpm-tools): %v", err)
	}
	for _, tt := range []struct {
		state string
		want  error // PCRRead(0) after Startup
	}{
		{"factory", tpm.RCDisabled},
		{"fresh", nil},
	} {
		t.Run(tt.state, func(t *testing.T) {
			s, err := Load("default")
			if err != nil {
				t.Fatal(err)
			}
			s.Engine, s.State = "swtpm", tt.state
			b, err := Build(s)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if rc := execRC(t, b.Engine, tpm.Startup(tpm.STClear)); rc != nil {
				t.Fatalf("Startup: %v", rc)
			}
			if rc := execRC(t, b.Engine, tpm.PCRRead(0)); !errors.Is(rc, tt.want) && rc != tt.want {
				t.Errorf("PCRRead(0) = %v, want %v", rc, tt.want)
			}
		})
	}
}

// execRC sends cmd to the engine and returns the TPM's return code as an error (nil on success).
func execRC(t *testing.T, e interface {
	Execute(int, []byte) ([]byte, error)
}, cmd []byte) error {
	t.Helper()
	raw, err := e.Execute(0, cmd)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	rsp, err := tpm.ParseResponse(raw)
	if err != nil {
		t.Fatalf("response: %v", err)
	}
	return rsp.Err()
}
