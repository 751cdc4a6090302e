package decode

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/tpm"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with fixtures/decode/NAME at the module root, or
// rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = filepath.Dir(dir)
	}
	p := filepath.Join(dir, "fixtures", "decode", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", p, diffLines(string(want), got))
	}
}

// diffLines shows the first lines that differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// render prints a decode the way the three views of the command do.
func render(t *testing.T, src Source) string {
	var b strings.Builder
	var accs []Access
	m := NewMerger(func(a Access) { accs = append(accs, a) })
	var cmds []*Command
	st, err := Run(src, Handlers{
		Cycle:   func(c *Cycle) error { fmt.Fprintf(&b, "%5d %10d  %s\n", c.Index, c.Tick, c); return nil },
		RegOp:   func(o RegOp) error { m.Add(o); return nil },
		Command: func(c *Command) error { cmds = append(cmds, c); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	m.Flush()
	b.WriteString("\nregister accesses:\n")
	for _, a := range accs {
		fmt.Fprintf(&b, "%5d  %s\n", a.First.Cycle, a)
	}
	b.WriteString("\ncommands:\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "%5d  %s [%s]\n       cmd %X\n       rsp %X\n", c.FirstCycle, c, c.Status, c.Cmd, c.Rsp)
	}
	fmt.Fprintf(&b, "\nsamples %d, clocks %d, cycles %d, kinds %v, statuses %v, deviations %v, reg ops %d, commands %d\n",
		st.Samples, st.Clocks, st.Cycles, st.Kinds, st.Statuses, st.Deviations, st.RegOps, st.Commands)
	return b.String()
}

// TestGoldenSynthetic: a bus with a TPM 1.2 and a TPM 2.0 exchange, a
// firmware read, an aborted TPM read and an LFRAME# restart.
func TestGoldenSynthetic(t *testing.T) {
	w := wave{}.idle(3).
		exchange(0, tpm.GetCapFlag(tpm.CapFlagPermanent), tpm.NewResponse(tpm.RC(0x7)), 10).
		frame(0xD).nib(0x0).nib(addrNibs(0xFFFFFF0, 7)...).nib(0x1, 0xF, 0xF, 0x5, 0x0).nib(dataNibs(0xEA, 0x5B)...).nib(0xF, 0xF).
		frame(0x5).nib(0x0).nib(addrNibs(0x4F00, 4)...).nib(0xF, 0xF, 0xF, 0xF, 0xF).frame(0xF, 0xF, 0xF, 0xF).idle(2).
		frame(0x0).nib(0x2, 0x0, 0x0).
		exchange(1, tpm.SelfTest2(true), tpm.NewResponse2(tpm.RC2(0x100)), 10).idle(2)
	src, err := openBytes(w.sr(t, srOptions{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "synthetic.golden", render(t, src))
}

// TestGoldenRealCaptures records the full decode of the small real captures.
func TestGoldenRealCaptures(t *testing.T) {
	var b strings.Builder
	for _, f := range []string{
		"h55/h55_lpc_io_write.sr",
		"power9/power9_lpc_firmware_read.sr",
		"power9/power9_lpc_firmware_write.sr",
		"power9/power9_lpc_io_read.sr",
		"power9/power9_lpc_io_write.sr",
		"power9/power9_lpc_io_write_abort.sr",
		"vultureprog/lpc_vultureprog_snippet.sr",
	} {
		src, err := Open(capturePath(t, f), nil)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s (%s)\n%s\n", f, src.Info().Format, render(t, src))
		src.Close()
	}
	golden(t, "real-captures.golden", b.String())
}
