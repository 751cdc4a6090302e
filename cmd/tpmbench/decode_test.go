package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/tisdev"
)

// captureFile is the real LPC capture rel (under the captures' lpc/ directory); the test
// skips when it is absent.
func captureFile(t *testing.T, rel string) string {
	t.Helper()
	return reftest.Capture(t, "lpc/"+rel)
}

func TestDecodeRealCaptures(t *testing.T) {
	tests := []struct {
		file string
		args []string
		want []string
	}{
		{"h55/h55_lpc_io_write.sr", nil, []string{"io-write   addr=0x002E data=55\n", "cycles: 1: io-write 1\n"}},
		{"power9/power9_lpc_io_write_abort.sr", nil, []string{
			"io-write   addr=0x03FF data=68 !tar-not-1111(final-tar 0000) !short-final-tar\n",
			"abort      lframe#-low=4 clocks\n", "deviations: short-final-tar 1, tar-not-1111 1\n"}},
		{"power9/power9_lpc_firmware_read.sr", []string{"--cycles"}, []string{"fw-read    idsel=0 addr=0xFFF7000 msize=4 data=50415254 waits=15\n"}},
		{"vultureprog/lpc_vultureprog.sr", []string{"--channels", "lad0=0,lad1=1,lad2=2,lad3=3,lclk=4,lframe=5"}, []string{
			"mem-read   addr=0xFFBC0000 data=BF !short-final-tar\n", "mem-read   addr=0xFFBC0001 data=5B !short-final-tar\n",
			"cycles: 27490: mem-read 11918, mem-write 15572\n", "23552000 samples over 0.981333 s, 439840 LCLK edges\n"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			p := captureFile(t, tt.file)
			out, errOut, code := runCmd(t, append([]string{"decode", p}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	p := captureFile(t, "power9/power9_lpc_io_read.sr")
	out, errOut, code := runCmd(t, "decode", "--json", p)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Info struct {
			Format string `json:"format"`
		} `json:"info"`
		Cycles []struct {
			Kind  string `json:"kind"`
			Addr  uint32 `json:"addr"`
			Data  string `json:"data"`
			Waits int    `json:"waits"`
		} `json:"cycles"`
		Stats struct {
			Cycles int `json:"cycles"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(doc.Cycles) != 1 || doc.Stats.Cycles != 1 || doc.Info.Format != "sigrok .sr v2" {
		t.Fatalf("doc = %+v", doc)
	}
	if c := doc.Cycles[0]; c.Kind != "io-read" || c.Addr != 0x3FD || c.Data != "60" || c.Waits != 2 {
		t.Errorf("cycle = %+v, want io-read 0x3FD data 60 with 2 waits", c)
	}
}

// TestDecodeSimulatorVCD decodes the simulator's own waveform of a bench up
// to the TPM command it sent.
func TestDecodeSimulatorVCD(t *testing.T) {
	vcd := filepath.Join(t.TempDir(), "bare.vcd")
	if _, errOut, code := runCmd(t, "sim", "bare", "--vcd", vcd); code != exitOK {
		t.Fatalf("sim: exit %d: %s", code, errOut)
	}
	regs, errOut, code := runCmd(t, "decode", vcd, "--regs", "--json")
	if code != exitOK {
		t.Fatalf("--regs: exit %d: %s", code, errOut)
	}
	cmds, errOut, code := runCmd(t, "decode", vcd, "--commands", "--json")
	if code != exitOK {
		t.Fatalf("--commands: exit %d: %s", code, errOut)
	}
	var doc struct {
		Regs []struct {
			Register string `json:"register"`
			Value    uint32 `json:"value"`
			Width    int    `json:"width"`
		} `json:"regs"`
		Commands []struct {
			Name   string `json:"name"`
			Result string `json:"result"`
			Status string `json:"status"`
		} `json:"commands"`
	}
	for _, out := range []string{regs, cmds} {
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
	}
	if len(doc.Regs) == 0 || doc.Regs[0].Register != "DID_VID" || doc.Regs[0].Value != 0x000B15D1 || doc.Regs[0].Width != 4 {
		t.Errorf("first register access = %+v, want DID_VID 0x000B15D1", doc.Regs)
	}
	if len(doc.Commands) != 1 || doc.Commands[0].Name != "TPM_GetCapability" || doc.Commands[0].Status != "answered" {
		t.Errorf("commands = %+v, want one answered TPM_GetCapability", doc.Commands)
	}
}

func TestDecodeErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.vcd")
	if err := os.WriteFile(junk, []byte("$timescale 1ns $end\n$var wire 1 ! clk $end\n$enddefinitions $end\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "cut.sr")
	if err := os.WriteFile(truncated, []byte("PK\x03\x04 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"decode", filepath.Join(dir, "missing.sr")}, "no such file"},
		{[]string{"decode", junk}, "no channel for lad0"},
		{[]string{"decode", truncated}, "not a readable .sr"},
		{[]string{"decode", junk, "--channels", "lclk"}, "want SIGNAL=CHANNEL"},
		{[]string{"decode"}, "decode needs a CAPTURE file (.sr or .vcd)"},
		{[]string{"decode", junk, "--regs", "--commands"}, "[cycles regs commands]"},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestDecodeDiagnose(t *testing.T) {
	vcd := filepath.Join(t.TempDir(), "stuck.vcd")
	if _, errOut, code := runCmd(t, "sim", "fault-stuck-low-lframe", "--vcd", vcd); code == exitUsage {
		t.Fatalf("sim: exit %d: %s", code, errOut)
	}
	out, _, code := runCmd(t, "decode", "--diagnose", vcd)
	if code != exitBench || !strings.Contains(out, "FAULT stuck: LFRAME# is low on all") {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 and a stuck LFRAME# finding", code, out)
	}
	// A short capture of a bridge cannot tell which lines are bridged: a suspicion, not a fault.
	vcd = filepath.Join(t.TempDir(), "bridge.vcd")
	if _, errOut, code := runCmd(t, "sim", "fault-bridge-lad1-lad2", "--vcd", vcd); code == exitUsage {
		t.Fatalf("sim: exit %d: %s", code, errOut)
	}
	out, _, code = runCmd(t, "decode", "--diagnose", vcd)
	if code != exitBench || !strings.Contains(out, "UNSURE inconclusive") || strings.Contains(out, "FAULT inconclusive") {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 and the inconclusive finding marked UNSURE", code, out)
	}
	p := captureFile(t, "h55/h55_lpc_io_write.sr")
	out, _, code = runCmd(t, "decode", "--diagnose", "--json", p)
	if code != exitOK || !strings.Contains(out, `"findings": []`) {
		t.Errorf("exit %d, output:\n%s\nwant exit 0 and no findings", code, out)
	}
}

// TestDecodeNoCycles: a capture in which the bus stays idle decodes to no cycles, and the
// summary says so instead of an empty "ended:" line.
func TestDecodeNoCycles(t *testing.T) {
	idle := filepath.Join(t.TempDir(), "idle.vcd")
	vcd := "$timescale 1ns $end\n$var wire 1 ! LCLK $end\n$var wire 1 \" LFRAME# $end\n" +
		"$var wire 1 # LAD0 $end\n$var wire 1 $ LAD1 $end\n$var wire 1 % LAD2 $end\n$var wire 1 & LAD3 $end\n" +
		"$enddefinitions $end\n#0\n0!\n1\"\n1#\n1$\n1%\n1&\n#15\n1!\n#30\n0!\n#45\n1!\n"
	if err := os.WriteFile(idle, []byte(vcd), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "decode", idle)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "cycles: 0\nended: no cycles\n") {
		t.Errorf("summary of an idle capture:\n%s\nwant \"cycles: 0\" then \"ended: no cycles\"", out)
	}
}

// TestDecodeInterrupted: Ctrl-C (a canceled context) ends a decode, plain or --diagnose, with
// exit 130 and the sample where it stopped, not as a capture that cannot be read.
func TestDecodeInterrupted(t *testing.T) {
	vcd := filepath.Join(t.TempDir(), "bare.vcd")
	if _, errOut, code := runCmd(t, "sim", "bare", "--vcd", vcd); code != exitOK {
		t.Fatalf("sim: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"decode", vcd}, {"decode", "--diagnose", vcd}, {"decode", "--json", "--regs", vcd}} {
		t.Run(strings.Join(args[:len(args)-1], " "), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, errb bytes.Buffer
			err := run(ctx, args, &out, &errb)
			if code := exitCode(err); code != exitInterrupted {
				t.Fatalf("exit %d, want 130 (error %v)", code, err)
			}
			if !strings.Contains(err.Error(), "interrupted: decode: stopped at sample 0") {
				t.Errorf("error %q: want it to say where the decode stopped", err)
			}
		})
	}
}

// TestDecodeSerIRQ decodes a simulator VCD with SERIRQ in continuous mode and IRQ5 raised by
// the TPM: the text form lists the cycles with the asserted frames and counts them, the JSON
// form carries the same list.
func TestDecodeSerIRQ(t *testing.T) {
	b, err := lpcsim.New(lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(tisdev.SLB9635(), nil), SerIRQ: lpcsim.SerIRQContinuous})
	if err != nil {
		t.Fatal(err)
	}
	var vcd bytes.Buffer
	v := b.AttachVCD(&vcd)
	b.Host.Write8(0x000, 0x02) // requestUse
	b.Host.Write8(0x00C, 5)    // INT_VECTOR: IRQ5
	b.Host.Write32(0x008, tisdev.IntGlobalEnable|tisdev.IntLowLevel|tisdev.IntCommandReady)
	b.Host.Write8(0x018, 0x40) // commandReady: the interrupt becomes pending
	b.Idle(400)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "serirq.vcd")
	if err := os.WriteFile(p, vcd.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "decode", "--serirq", p)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "serirq     continuous asserted=IRQ5 start=host/4 frames=17 stop=3\n") ||
		!strings.Contains(out, "SERIRQ cycles: ") || strings.Contains(out, "tpm-write  addr") {
		t.Errorf("decode --serirq lacks the IRQ5 cycles or the count, or lists LPC cycles:\n%s", out)
	}
	out, errOut, code = runCmd(t, "decode", "--serirq", "--json", p)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		SerIRQ []struct {
			Mode  string   `json:"mode"`
			Names []string `json:"names"`
			IRQs  []int    `json:"irqs"`
		} `json:"serirq"`
		Stats struct {
			SerIRQ int `json:"serirq"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(doc.SerIRQ) == 0 || len(doc.SerIRQ) != doc.Stats.SerIRQ {
		t.Fatalf("%d SERIRQ cycles listed, stats count %d", len(doc.SerIRQ), doc.Stats.SerIRQ)
	}
	// The first cycle ran before the interrupt was pending, the last one is cut off.
	if len(doc.SerIRQ) < 3 {
		t.Fatalf("%d SERIRQ cycles, want several", len(doc.SerIRQ))
	}
	c := doc.SerIRQ[len(doc.SerIRQ)-2]
	if c.Mode != "continuous" || len(c.IRQs) != 1 || c.IRQs[0] != 5 || len(c.Names) != 1 || c.Names[0] != "IRQ5" {
		t.Errorf("SERIRQ cycle %+v, want continuous with IRQ5", c)
	}
}
