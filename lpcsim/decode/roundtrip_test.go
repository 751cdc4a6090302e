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

// tapDevice records every register access the simulated TPM executed: the
// wire as the TPM itself saw it.
type tapDevice struct {
	lpcsim.TISDevice
	ops []devOp
}

type devOp struct {
	addr  uint16
	write bool
	value uint8
}

func (t *tapDevice) Read(addr uint16) uint8 {
	v := t.TISDevice.Read(addr)
	t.ops = append(t.ops, devOp{addr, false, v})
	return v
}

func (t *tapDevice) Write(addr uint16, v uint8) {
	t.ops = append(t.ops, devOp{addr, true, v})
	t.TISDevice.Write(addr, v)
}

// TestRoundTrip runs the TIS probe on every built-in scenario, writes the
// bus as VCD, decodes it and checks the decode against what the simulator
// executed.
//
// For a scenario whose wires leave the host's drive intact on the board
// (a correct bench, a fault on the module side of the wires, or no module
// power), the host's cycle log is what the board lines carried: the decode
// must give back exactly its cycles (kind, address, data, waits, outcome,
// start clock), one register operation per TPM cycle with the value the
// host saw, and the TPM commands the engine executed.
//
// In the four scenarios with a fault on a board-side line
// (fault-stuck-high-lad0, fault-stuck-low-lframe, fault-bridge-lad1-lad2,
// fault-flip-lad3), the host's log says what the host meant to drive, not
// what the wire carried: a stuck, bridged or flipping LAD line changes
// START, cycle type, address and write data on the wire, so the decoded
// kind, address and write data differ from the log by design. For them the
// test compares what stays exact:
//   - framing (LFRAME# intact, all but stuck-low-lframe): one decoded
//     record per host cycle, starting on the clock the host logged, and a
//     decoded abort right after each cycle the host aborted and nowhere
//     else; a cycle the host saw complete decodes complete;
//   - the host's view of data: each cycle the host saw complete and read
//     decodes with the byte the host read (both sample the board wire);
//   - the TPM's view: the TPM register operations that completed on the
//     wire are, in order, exactly the accesses the simulated TIS device
//     executed (address, direction and value), since a board-side fault
//     reaches the module through the same net;
//   - TPM commands: the answered ones are exactly the engine's exchanges;
//   - fault-stuck-low-lframe: LFRAME# low on every clock frames no cycle
//     at all, so the decode holds a single record cut off in its START, no
//     transfer and no register operation, and the host saw no cycle
//     complete.
func TestRoundTrip(t *testing.T) {
	tpm12Engine := func() lpcsim.Engine { return tpm12.New() }
	tpm20Engine := func() lpcsim.Engine { return tpm20.New() }
	tests := []struct {
		scenario string
		engine   func() lpcsim.Engine // the built-in engine behind the FIFO; nil: none
		commands bool                 // expect TPM commands to get through
		faulted  bool                 // a fault on a board-side line: the wire differs from the host's log
	}{
		{"default", tpm12Engine, true, false},
		{"apu2-tpm1a-tpm20", tpm20Engine, true, false},
		{"bare", nil, false, false},
		{"fault-swap-lad0-lad1", tpm12Engine, false, false},
		{"fault-open-lad2", tpm12Engine, false, false},
		{"fault-missing-lclk", tpm12Engine, false, false},
		{"fault-lreset-held", tpm12Engine, false, false},
		{"alix3d2-asus", tpm12Engine, false, false},
		{"fault-missing-3v3", tpm12Engine, false, false},
		{"fault-missing-gnd", tpm12Engine, false, false},
		{"wiring-3v3-on-5v", tpm12Engine, false, false},
		{"wiring-lad0-lad3-crossed", tpm12Engine, false, false},
		{"fault-stuck-high-lad0", tpm12Engine, false, true},
		{"fault-stuck-low-lframe", tpm12Engine, false, true},
		{"fault-bridge-lad1-lad2", tpm12Engine, false, true},
		{"fault-flip-lad3", tpm12Engine, false, true},
	}
	all, err := scenario.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tt := range tests {
		listed[tt.scenario] = true
	}
	for _, s := range all {
		if !listed[s.Name] {
			t.Errorf("built-in scenario %s has no round-trip case", s.Name)
		}
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := runScenario(t, tt.scenario, tt.engine, tt.commands)
				if tt.faulted {
					r.checkFaulted(t)
				} else {
					r.checkCycles(t)
				}
				r.checkCommands(t, tt.commands)
			})
		})
	}
}

// scenarioRun is one simulated bench run and its decode.
type scenarioRun struct {
	name      string
	bus       []simCycle // the host's log of cycles that reached the bus
	got       []*Cycle
	transfers []*Cycle // got without aborts and resets
	ops       []RegOp
	cmds      []*Command
	st        Stats
	tick      float64 // seconds per tick
	tap       *tapEngine
	dev       *tapDevice // nil without a TPM on the module
}

func runScenario(t *testing.T, name string, newEngine func() lpcsim.Engine, commands bool) *scenarioRun {
	s, err := scenario.Load(name)
	if err != nil {
		t.Fatalf("scenario %s: %v", name, err)
	}
	r := &scenarioRun{name: name}
	opts := scenario.Options{}
	if newEngine != nil {
		r.tap = &tapEngine{e: newEngine()}
		opts.Engine = r.tap
	}
	b, err := scenario.BuildWith(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if b.TPM != nil {
		r.dev = &tapDevice{TISDevice: b.TPM.Dev}
		b.TPM.Dev = r.dev
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
	for _, c := range parseCycleLog(t, cycLog.String()) {
		if c.status != "not-emitted" {
			r.bus = append(r.bus, c)
		}
	}
	src, err := openBytes(vcd.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.st, err = Run(src, Handlers{
		Cycle:   func(c *Cycle) error { r.got = append(r.got, c); return nil },
		RegOp:   func(o RegOp) error { r.ops = append(r.ops, o); return nil },
		Command: func(c *Command) error { r.cmds = append(r.cmds, c); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	r.tick = src.Info().TickSeconds
	for _, c := range r.got {
		if c.Kind != Abort && c.Kind != Reset {
			r.transfers = append(r.transfers, c)
		}
	}
	return r
}

// clock returns the simulator clock of a decoded tick: LCLK period k
// rises at (k-1)*period + period/2.
func (r *scenarioRun) clock(tick int64) uint64 {
	return uint64(float64(tick)*r.tick/(lpcsim.ClockPeriodPS*1e-12)) + 1
}

// checkCycles compares the decode with the host's log cycle by cycle.
func (r *scenarioRun) checkCycles(t *testing.T) {
	t.Helper()
	for i, c := range r.got {
		if c.Kind == Abort && (i == 0 || r.got[i-1].Status != Aborted) {
			t.Errorf("abort at cycle %d does not follow an aborted cycle", c.Index)
		}
	}
	if len(r.transfers) != len(r.bus) {
		t.Fatalf("decoded %d cycles, simulator ran %d", len(r.transfers), len(r.bus))
	}
	bad := 0
	for i, s := range r.bus {
		if err := expectCycle(r.transfers[i], s, r.tick); err != nil && bad < 5 {
			t.Errorf("cycle %d: %v", i, err)
			bad++
		}
	}
	// Register operations: one per TPM cycle, with the value the host saw.
	var tpmCycles []simCycle
	for _, s := range r.bus {
		if s.kind == "tpm" {
			tpmCycles = append(tpmCycles, s)
		}
	}
	if len(r.ops) != len(tpmCycles) || r.st.RegOps != len(r.ops) {
		t.Fatalf("%d register ops, simulator ran %d TPM cycles", len(r.ops), len(tpmCycles))
	}
	for i, s := range tpmCycles {
		o := r.ops[i]
		if uint32(o.Locality)<<12|uint32(o.Offset) != s.addr || o.Write != s.write || o.Value != s.data || o.Failed != strings.HasPrefix(s.status, "abort") {
			t.Errorf("register op %d = %v, simulator %+v", i, o, s)
			break
		}
	}
}

// checkFaulted compares, for a fault on a board-side line, what stays
// exact (see TestRoundTrip).
func (r *scenarioRun) checkFaulted(t *testing.T) {
	t.Helper()
	ok := 0
	for _, s := range r.bus {
		if s.status == "ok" {
			ok++
		}
	}
	if r.name == "fault-stuck-low-lframe" {
		if len(r.got) != 1 || r.got[0].Status != Truncated || r.got[0].Field != FieldStart || len(r.ops) != 0 || ok != 0 {
			t.Errorf("LFRAME# stuck low: decoded %d records (%v), %d register ops; host saw %d of %d cycles complete; want one record truncated in its START, no op, none complete",
				len(r.got), r.got, len(r.ops), ok, len(r.bus))
		}
		return
	}
	if len(r.transfers) != len(r.bus) {
		t.Fatalf("decoded %d cycles, the host ran %d", len(r.transfers), len(r.bus))
	}
	aborts := 0
	for i, c := range r.got {
		if c.Kind == Abort {
			aborts++
			if i == 0 || r.got[i-1].Kind == Abort {
				t.Errorf("abort at cycle %d follows no cycle", c.Index)
			}
		}
	}
	hostAborts, next := 0, 0
	for i, s := range r.bus {
		d := r.transfers[i]
		for r.got[next] != d {
			next++
		}
		abortNext := next+1 < len(r.got) && r.got[next+1].Kind == Abort
		aborted := strings.HasPrefix(s.status, "abort")
		if aborted {
			hostAborts++
		}
		switch {
		case r.clock(d.Tick) != s.clock:
			t.Errorf("cycle %d: decoded %s starts at clock %d, the host's at %d", i, d, r.clock(d.Tick), s.clock)
		case aborted != abortNext:
			t.Errorf("cycle %d: decoded %s, abort after it %t; host %+v", i, d, abortNext, s)
		case s.status == "ok" && d.Status != Complete:
			t.Errorf("cycle %d: decoded %s, the host saw it complete: %+v", i, d, s)
		case s.status == "ok" && !s.write && (len(d.Data) != 1 || d.Data[0] != s.data):
			t.Errorf("cycle %d: decoded %s, the host read 0x%02X", i, d, s.data)
		}
	}
	if aborts != hostAborts {
		t.Errorf("decoded %d aborts, the host aborted %d cycles", aborts, hostAborts)
	}
	var done []RegOp
	for _, o := range r.ops {
		if !o.Failed {
			done = append(done, o)
		}
	}
	if len(done) != len(r.dev.ops) {
		t.Fatalf("%d register ops completed on the wire, the TPM executed %d accesses", len(done), len(r.dev.ops))
	}
	for i, o := range done {
		d := r.dev.ops[i]
		if uint16(o.Locality)<<12|o.Offset != d.addr || o.Write != d.write || o.Write && o.Value != d.value {
			t.Errorf("register op %d = %v, the TPM executed %+v", i, o, d)
			break
		}
	}
	t.Logf("%s: %d cycles (%d complete, %d aborted), %d register ops completed", r.name, len(r.bus), ok, hostAborts, len(done))
}

// checkCommands compares the decoded TPM commands with what the engine
// executed. Without an engine the register file answers every command with
// TPM_FAIL itself.
func (r *scenarioRun) checkCommands(t *testing.T, commands bool) {
	t.Helper()
	if r.tap == nil {
		for _, c := range r.cmds {
			if rc, ok := c.RC(); !ok || rc != 9 {
				t.Errorf("command %s: want TPM_FAIL from the engine-less register file", c)
			}
		}
		return
	}
	var answered []*Command
	for _, c := range r.cmds {
		if c.Status == Answered {
			answered = append(answered, c)
		}
	}
	if len(answered) != len(r.tap.cmds) {
		for _, c := range r.cmds {
			t.Log(c, c.Status)
		}
		t.Fatalf("decoded %d answered commands, engine executed %d", len(answered), len(r.tap.cmds))
	}
	for i, ex := range r.tap.cmds {
		if !bytes.Equal(answered[i].Cmd, ex[0]) || !bytes.Equal(answered[i].Rsp, ex[1]) {
			t.Errorf("command %d: decoded %X -> %X, engine %X -> %X", i, answered[i].Cmd, answered[i].Rsp, ex[0], ex[1])
		}
	}
	if commands && len(r.tap.cmds) < 5 {
		t.Errorf("only %d commands reached the engine; the probe should send Startup, GetCapability, self-test, PCRRead...", len(r.tap.cmds))
	}
	t.Logf("%s: %d cycles, %d register ops, %d commands (%d answered)", r.name, len(r.transfers), len(r.ops), len(r.cmds), len(answered))
}
