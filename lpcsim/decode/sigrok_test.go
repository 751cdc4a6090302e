package decode

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSigrokVCDExport converts every real capture to VCD with sigrok-cli and
// checks that the VCD reader gives the same cycles as the .sr reader. It
// runs with TPMBENCH_INTEGRATION=1 and then fails when sigrok-cli is missing.
func TestSigrokVCDExport(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("needs sigrok-cli; set TPMBENCH_INTEGRATION=1 to run")
	}
	sigrok, err := exec.LookPath("sigrok-cli")
	if err != nil {
		t.Fatalf("TPMBENCH_INTEGRATION=1 but sigrok-cli is missing (apt-get install sigrok-cli): %v", err)
	}
	files := []struct{ file, channels string }{
		{"h55/h55_lpc_io_write.sr", ""},
		{"power9/power9_lpc_io_read.sr", ""},
		{"power9/power9_lpc_io_write.sr", ""},
		{"power9/power9_lpc_firmware_read.sr", ""},
		{"power9/power9_lpc_firmware_write.sr", ""},
		{"power9/power9_lpc_io_write_abort.sr", ""},
		{"vultureprog/lpc_vultureprog_snippet.sr", ""},
	}
	for _, f := range files {
		t.Run(filepath.Base(f.file), func(t *testing.T) {
			sr := capturePath(t, f.file)
			vcd := filepath.Join(t.TempDir(), "export.vcd")
			if out, err := exec.Command(sigrok, "-i", sr, "-O", "vcd", "-o", vcd).CombinedOutput(); err != nil {
				t.Fatalf("sigrok-cli: %v\n%s", err, out)
			}
			want, _, err := DecodeFile(sr, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := DecodeFile(vcd, nil)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := cycleLines(got), cycleLines(want); g != w {
				t.Errorf("VCD export decodes to\n%s\nthe .sr to\n%s", g, w)
			}
		})
	}
}
