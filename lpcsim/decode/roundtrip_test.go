package decode

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/engine/tpm20"
	"tpmbench/lpcsim/scenario"
	"tpmbench/tis"
)

// tapEngine records every exchange a real engine executes.
type tapEngine struct {
	e    lpcsim.Engine
	cmds [][2][]byte
}

func (t *tapEngine) Execute(loc int, cmd []byte) ([]byte, error) {
	rsp, err := t.e.Execute(loc, cmd)
	if err == nil {
		t.cmds = append(t.cmds, [2][]byte{bytes.Clone(cmd), bytes.Clone(rsp)})
	}
	return rsp, err
}

func (t *tapEngine) Reset() error { return t.e.Reset() }

// simCycle is one line of the simulator's cycle log.
type simCycle struct {
	clock  uint64
	kind   string
	write  bool
	addr   uint32
	data   uint8
	waits  int
	status string
}

// parseCycleLog reads lines like
// "69 tpm rd 0x0f00 loc0 data 0xd1 waits 0 ok clocks 14".
func parseCycleLog(t *testing.T, log string) []simCycle {
	t.Helper()
	var out []simCycle
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 {
			t.Fatalf("cycle log line %q: too short", sc.Text())
		}
		var c simCycle
		var err error
		c.clock, err = strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			t.Fatalf("cycle log line %q: %v", sc.Text(), err)
		}
		c.kind, c.write = f[1], f[2] == "wr"
		a, _ := strconv.ParseUint(strings.TrimPrefix(f[3], "0x"), 16, 32)
		c.addr = uint32(a)
		for i := 4; i+1 < len(f); i++ {
			switch f[i] {
			case "data":
				d, _ := strconv.ParseUint(strings.TrimPrefix(f[i+1], "0x"), 16, 8)
				c.data = uint8(d)
			case "waits":
				c.waits, _ = strconv.Atoi(f[i+1])
				j := i + 2
				if f[j] == "long" || f[j] == "short" {
					j++
				}
				c.status = f[j]
			}
		}
		out = append(out, c)
	}
	return out
}

var simKinds = map[string][2]Kind{"io": {IORead, IOWrite}, "mem": {MemRead, MemWrite}, "fwh": {FWRead, FWWrite}, "tpm": {TPMRead, TPMWrite}}

// expectCycle compares one decoded cycle with the simulator's record.
func expectCycle(d *Cycle, s simCycle, tickSeconds float64) error {
	k := simKinds[s.kind][0]
	if s.write {
		k = simKinds[s.kind][1]
	}
	// The simulator's LCLK period k rises at (k-1)*period + period/2.
	clock := uint64(float64(d.Tick)*tickSeconds/(lpcsim.ClockPeriodPS*1e-12)) + 1
	var data uint8 = 0xFF
	if len(d.Data) == 1 {
		data = d.Data[0]
	}
	var status string
	switch {
	case d.Status == Aborted && d.Has(BadSync):
		status = "abort-bad-sync"
	case d.Status == Aborted && d.NoSync > 0:
		status = "abort-no-sync"
	case d.Status == Aborted:
		status = "abort-wait-limit"
	case d.Status == Complete && d.SyncError():
		status = "error-sync"
	case d.Status == Complete:
		status = "ok"
	default:
		status = d.Status.String()
	}
	if s.status == "abort-bad-sync" && d.Status == Aborted {
		status = s.status // a bad SYNC nibble may also be 1111-free noise; the abort is what counts
	}
	if d.Kind != k || d.Addr != s.addr || data != s.data || d.Waits != s.waits || status != s.status || clock != s.clock {
		return fmt.Errorf("decoded %s (tick %d clock %d, %s), simulator %+v", d, d.Tick, clock, status, s)
	}
	return nil
}

// TestRoundTrip runs the TIS probe on simulated benches, writes the bus as
// VCD, decodes it and checks that the decode gives back exactly the cycles,
// register operations and TPM commands the simulator executed. The four
// scenarios whose fault changes what the host drives on the wire itself
// (fault-stuck-high-lad0, fault-stuck-low-lframe, fault-bridge-lad1-lad2,
// fault-flip-lad3) are not here: the host's log says what it meant to drive,
// the wire and so the decode show the fault; the diagnosis tests cover them.
func TestRoundTrip(t *testing.T) {
	tpm12Engine := func() lpcsim.Engine { return tpm12.New() }
	tpm20Engine := func() lpcsim.Engine { return tpm20.New() }
	tests := []struct {
		scenario string
		engine   func() lpcsim.Engine // the built-in engine behind the FIFO; nil: none
		commands bool                 // expect TPM commands to get through
	}{
		{"default", tpm12Engine, true},
		{"apu2-tpm1a-tpm20", tpm20Engine, true},
		{"bare", nil, false},
		{"fault-swap-lad0-lad1", tpm12Engine, false},
		{"fault-open-lad2", tpm12Engine, false},
		{"fault-missing-lclk", tpm12Engine, false},
		{"fault-lreset-held", tpm12Engine, false},
		{"alix3d2-asus", tpm12Engine, false},
		{"fault-missing-3v3", tpm12Engine, false},
		{"fault-missing-gnd", tpm12Engine, false},
		{"wiring-3v3-on-5v", tpm12Engine, false},
		{"wiring-lad0-lad3-crossed", tpm12Engine, false},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { roundTrip(t, tt.scenario, tt.engine, tt.commands) })
		})
	}
}

func roundTrip(t *testing.T, name string, newEngine func() lpcsim.Engine, commands bool) {
	s, err := scenario.Load(name)
	if err != nil {
		t.Skipf("scenario %s: %v", name, err)
	}
	engine := newEngine != nil
	tap := &tapEngine{}
	opts := scenario.Options{}
	if engine {
		tap.e = newEngine()
		opts.Engine = tap
	}
	b, err := scenario.BuildWith(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	var vcd, cycLog bytes.Buffer
	v := b.AttachVCD(&vcd)
	b.SetCycleLog(&cycLog)
	// A few non-TPM cycles around the probe.
	b.Host.IOWrite(0x80, 0xCC)
	b.Host.MemRead(0xFFFFFFF0)
	tis.Probe(context.Background(), b.Host, tis.Options{SkipDetails: !commands, TimeoutScale: 0.01})
	b.Host.FWHRead(0, 0xFFFFF00)
	b.Idle(8)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	want := parseCycleLog(t, cycLog.String())
	var got []*Cycle
	var ops []RegOp
	var cmds []*Command
	src, err := openBytes(vcd.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Run(src, Handlers{
		Cycle:   func(c *Cycle) error { got = append(got, c); return nil },
		RegOp:   func(o RegOp) error { ops = append(ops, o); return nil },
		Command: func(c *Command) error { cmds = append(cmds, c); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	// Cycles: every simulator cycle that reached the bus, in order; aborted
	// ones followed by the host's abort.
	var bus []simCycle
	for _, s := range want {
		if s.status != "not-emitted" {
			bus = append(bus, s)
		}
	}
	var transfers []*Cycle
	for i, c := range got {
		switch c.Kind {
		case Abort:
			if i == 0 || got[i-1].Status != Aborted {
				t.Errorf("abort at cycle %d does not follow an aborted cycle", c.Index)
			}
		case Reset:
		default:
			transfers = append(transfers, c)
		}
	}
	if len(transfers) != len(bus) {
		t.Fatalf("decoded %d cycles, simulator ran %d", len(transfers), len(bus))
	}
	bad := 0
	for i, s := range bus {
		if err := expectCycle(transfers[i], s, src.Info().TickSeconds); err != nil && bad < 5 {
			t.Errorf("cycle %d: %v", i, err)
			bad++
		}
	}
	// Register operations: one per TPM cycle, with the value the host saw.
	var tpmCycles []simCycle
	for _, s := range bus {
		if s.kind == "tpm" {
			tpmCycles = append(tpmCycles, s)
		}
	}
	if len(ops) != len(tpmCycles) || st.RegOps != len(ops) {
		t.Fatalf("%d register ops, simulator ran %d TPM cycles", len(ops), len(tpmCycles))
	}
	for i, s := range tpmCycles {
		o := ops[i]
		if uint32(o.Locality)<<12|uint32(o.Offset) != s.addr || o.Write != s.write || o.Value != s.data || o.Failed != strings.HasPrefix(s.status, "abort") {
			t.Errorf("register op %d = %v, simulator %+v", i, o, s)
			break
		}
	}
	// TPM commands: exactly the engine's exchanges. Without an engine the
	// register file answers every command with TPM_FAIL itself.
	if !engine {
		for _, c := range cmds {
			if rc, ok := c.RC(); !ok || rc != 9 {
				t.Errorf("command %s: want TPM_FAIL from the engine-less register file", c)
			}
		}
		return
	}
	var answered []*Command
	for _, c := range cmds {
		if c.Status == Answered {
			answered = append(answered, c)
		}
	}
	if len(answered) != len(tap.cmds) {
		for _, c := range cmds {
			t.Log(c, c.Status)
		}
		t.Fatalf("decoded %d answered commands, engine executed %d", len(answered), len(tap.cmds))
	}
	for i, ex := range tap.cmds {
		if !bytes.Equal(answered[i].Cmd, ex[0]) || !bytes.Equal(answered[i].Rsp, ex[1]) {
			t.Errorf("command %d: decoded %X -> %X, engine %X -> %X", i, answered[i].Cmd, answered[i].Rsp, ex[0], ex[1])
		}
	}
	if commands && len(tap.cmds) < 5 {
		t.Errorf("only %d commands reached the engine; the probe should send Startup, GetCapability, self-test, PCRRead...", len(tap.cmds))
	}
	t.Logf("%s: %d cycles, %d register ops, %d commands (%d answered)", name, len(transfers), len(ops), len(cmds), len(answered))
}
