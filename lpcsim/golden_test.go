package lpcsim

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"tpmbench/lpcsim/tisdev"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with fixtures/lpcsim/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "fixtures", "lpcsim", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./lpcsim -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./lpcsim -update and review the diff\ngot:\n%s", path, got)
	}
}

// TestGoldenLogs pins the cycle log, the register log and the waveform of a
// short register sequence on the reference personality: reads of every
// identity register, a locality request, an unanswered I/O read and a TPM
// cycle of a locality the device does not decode.
func TestGoldenLogs(t *testing.T) {
	p := tisdev.SLB9635()
	p.Timing.Waits = 1
	p.Timing.LongWait = true
	b, err := New(Config{Profile: APU, TPM: tisdev.New(p, nil)})
	if err != nil {
		t.Fatal(err)
	}
	var cycles, regs, vcd bytes.Buffer
	b.SetCycleLog(&cycles)
	b.SetRegLog(&regs)
	v := b.AttachVCD(&vcd)
	b.Host.Read32(0xF00)
	b.Host.Read8(0xF04)
	b.Host.Read8(0x000)
	b.Host.Write8(0x000, 0x02)
	b.Host.Read32(0x018)
	b.Host.Read8(0x5000 - 1)
	b.Host.IORead(0x2E)
	b.Host.TPMRead(0x5000)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	golden(t, "cycles.golden", cycles.Bytes())
	golden(t, "regs.golden", regs.Bytes())
	golden(t, "registers.vcd", vcd.Bytes())
}
