package bringup_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"tpmbench/bringup"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/scenario"
	"tpmbench/tis"
	"tpmbench/tpm"
)

// bench is a simulated reference bench (apu1d + Asus module, SLB9635) with a probed
// connection.
type bench struct {
	b    *lpcsim.Bench
	conn *tis.Conn
	rep  *tis.Report
}

// newBench builds the default scenario's bench with a TPM 1.2 engine in the given state
// (factory without options) and probes it.
func newBench(t *testing.T, opts ...tpm12.Option) *bench {
	t.Helper()
	return benchWith(t, "default", tpm12.New(opts...))
}

func benchWith(t *testing.T, name string, eng lpcsim.Engine) *bench {
	t.Helper()
	s, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	o := scenario.Options{}
	if eng != nil {
		o.Engine = eng
	}
	b, err := scenario.BuildWith(s, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	bn := &bench{b: b}
	bn.probe(t)
	return bn
}

func (bn *bench) probe(t *testing.T) {
	t.Helper()
	conn, rep, err := tis.Probe(context.Background(), bn.b.Host, tis.Options{})
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	bn.conn, bn.rep = conn, rep
}

// reset asserts LRESET# (TPM_Init) and probes again, which sends TPM_Startup(ST_CLEAR).
func (bn *bench) reset(t *testing.T) {
	t.Helper()
	bn.b.Reset()
	bn.probe(t)
}

func (bn *bench) state(t *testing.T) bringup.State {
	t.Helper()
	s, err := bringup.ReadState(context.Background(), bn.conn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// send sends a raw command as firmware would and requires success.
func (bn *bench) send(t *testing.T, cmd []byte) {
	t.Helper()
	b, err := bn.conn.Send(cmd)
	if err != nil {
		t.Fatal(err)
	}
	rsp, err := tpm.ParseResponse(b)
	if err != nil || rsp.Err() != nil {
		t.Fatalf("%s: %v %v", tpm.DescribeCommand(cmd), err, rsp.Err())
	}
}

func stepNames(p bringup.Plan) []string {
	var n []string
	for _, s := range p.Steps {
		n = append(n, s.Name)
	}
	return n
}

// The requests swtpm_bios sends for the same steps on the same state (reference trace
// tpm12-factory-swtpm_bios-ea.trace, swtpm 0.7.1).
var swtpmBIOSCommands = []string{
	"00 C1 00 00 00 0C 40 00 00 0A 00 20",
	"00 C1 00 00 00 0C 40 00 00 0A 00 08",
	"00 C1 00 00 00 0A 00 00 00 6F",
	"00 C1 00 00 00 0B 00 00 00 72 00",
}

// TestEnableFactoryThenReset: factory state → the four steps → still deactivated until a
// reset → LRESET# and a probe show the TPM enabled and active.
func TestEnableFactoryThenReset(t *testing.T) {
	bn := newBench(t)
	if *bn.rep.Enabled || *bn.rep.Active {
		t.Fatalf("factory bench probes enabled %v active %v", *bn.rep.Enabled, *bn.rep.Active)
	}
	before := bn.state(t)
	plan, err := bringup.EnablePlan(before)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.ResetNeeded || plan.Irreversible() || len(plan.Steps) != len(swtpmBIOSCommands) {
		t.Fatalf("plan %v, reset %v, irreversible %v", stepNames(plan), plan.ResetNeeded, plan.Irreversible())
	}
	var log bytes.Buffer
	r := bringup.Runner{TPM: bn.conn, Log: &log}
	res := r.Run(context.Background(), plan)
	if res.Err != nil {
		t.Fatalf("run: %v\n%s", res.Err, log.String())
	}
	for i, s := range res.Steps {
		if s.Command != swtpmBIOSCommands[i] {
			t.Errorf("step %d %s sends %s, swtpm_bios sends %s", i+1, s.Name, s.Command, swtpmBIOSCommands[i])
		}
		if s.Status != bringup.StatusDone || s.Response != "TPM_SUCCESS (0x0)" {
			t.Errorf("step %d %s: %s %s", i+1, s.Name, s.Status, s.Response)
		}
	}
	// Every command is printed before its answer.
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2*len(plan.Steps) {
		t.Fatalf("log has %d lines, want %d:\n%s", len(lines), 2*len(plan.Steps), log.String())
	}
	for i, s := range plan.Steps {
		if !strings.HasPrefix(lines[2*i], "send ") || !strings.Contains(lines[2*i], s.Name) || !strings.Contains(lines[2*i+1], "answer TPM_SUCCESS") {
			t.Errorf("log lines %d-%d: %q %q", 2*i, 2*i+1, lines[2*i], lines[2*i+1])
		}
	}

	after := bn.state(t)
	res.Verify(after)
	if !res.Done() {
		t.Errorf("not every step verified: %+v", res.Steps)
	}
	if !after.Enabled() || after.Permanent.Deactivated || !after.STClear.Deactivated || after.Active() {
		t.Errorf("before the reset: enabled %v, permanent deactivated %v, stclear deactivated %v",
			after.Enabled(), after.Permanent.Deactivated, after.STClear.Deactivated)
	}
	// The plan made now says only the reset is missing.
	if p, err := bringup.EnablePlan(after); err != nil || len(p.Steps) != 0 || !p.ResetNeeded {
		t.Errorf("plan after the steps: %v %v reset %v", stepNames(p), err, p.ResetNeeded)
	}

	bn.reset(t)
	if !*bn.rep.Enabled || !*bn.rep.Active || bn.rep.PCR0 != "readable" {
		t.Errorf("after LRESET#: enabled %v active %v PCR0 %s", *bn.rep.Enabled, *bn.rep.Active, bn.rep.PCR0)
	}
	final := bn.state(t)
	if p, err := bringup.EnablePlan(final); err != nil || len(p.Steps) != 0 || p.ResetNeeded {
		t.Errorf("plan after the reset: %v %v reset %v", stepNames(p), err, p.ResetNeeded)
	}
	if final.STClear.PhysicalPresence {
		t.Error("physical presence still asserted after the reset")
	}
}

// TestEnableLifetimeLockedWithCMDEnable: a TPM whose BIOS locked the presence
// configuration with command presence enabled needs no CMD_ENABLE (which it would refuse).
func TestEnableLifetimeLockedWithCMDEnable(t *testing.T) {
	bn := newBench(t, tpm12.LifetimeLocked())
	st := bn.state(t)
	if !st.Permanent.PhysicalPresenceLifetimeLock || !st.Permanent.PhysicalPresenceCMDEnable {
		t.Fatalf("engine state %+v", st.Permanent)
	}
	plan, err := bringup.EnablePlan(st)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"TSC_PhysicalPresence(PRESENT)", "TPM_PhysicalEnable", "TPM_PhysicalSetDeactivated(FALSE)"}
	if strings.Join(stepNames(plan), ",") != strings.Join(want, ",") {
		t.Fatalf("plan %v, want %v", stepNames(plan), want)
	}
	res := (&bringup.Runner{TPM: bn.conn}).Run(context.Background(), plan)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	bn.reset(t)
	if !*bn.rep.Enabled || !*bn.rep.Active {
		t.Errorf("after the reset: enabled %v active %v", *bn.rep.Enabled, *bn.rep.Active)
	}
}

// TestEnableStoppedByTPMError: firmware locks physical presence after the plan was made;
// the TPM refuses PRESENT, the run stops there and reports exactly what took effect.
func TestEnableStoppedByTPMError(t *testing.T) {
	bn := newBench(t)
	plan, err := bringup.EnablePlan(bn.state(t))
	if err != nil {
		t.Fatal(err)
	}
	// What a BIOS does before the OS runs: enable command presence, then lock it for this boot.
	bn.send(t, tpm.TSCPhysicalPresence(tpm.PPCMDEnable))
	bn.send(t, tpm.TSCPhysicalPresence(tpm.PPNotPresent|tpm.PPLock))

	res := (&bringup.Runner{TPM: bn.conn}).Run(context.Background(), plan)
	if !errors.Is(res.Err, tpm.RCBadParameter) || !strings.Contains(res.Err.Error(), "step 2/4 TSC_PhysicalPresence(PRESENT)") {
		t.Fatalf("run error %v, want TPM_BAD_PARAMETER at step 2", res.Err)
	}
	res.Verify(bn.state(t))
	want := []struct {
		status bringup.Status
		effect bool
	}{{bringup.StatusDone, true}, {bringup.StatusRefused, false}, {bringup.StatusNotSent, false}, {bringup.StatusNotSent, false}}
	for i, w := range want {
		s := res.Steps[i]
		if s.Status != w.status || s.TookEffect() != w.effect {
			t.Errorf("step %d %s: %s took effect %v; want %s %v", i+1, s.Name, s.Status, s.TookEffect(), w.status, w.effect)
		}
	}
	if res.Steps[1].Response != "TPM_BAD_PARAMETER (0x3)" {
		t.Errorf("step 2 answer %q", res.Steps[1].Response)
	}
	if res.Done() {
		t.Error("Done() after a refused step")
	}
	// And the plan now made from the TPM's state says why.
	if _, err := bringup.EnablePlan(bn.state(t)); !errors.Is(err, bringup.ErrPresenceLocked) {
		t.Errorf("plan with presence locked: %v, want ErrPresenceLocked", err)
	}
}

// cancelAfter is a Sender that cancels the run's context once n commands have been
// answered, as Ctrl-C between two commands does. The commands go to the simulated TPM.
type cancelAfter struct {
	s      bringup.Sender
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) SendContext(ctx context.Context, cmd []byte) ([]byte, error) {
	rsp, err := c.s.SendContext(ctx, cmd)
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return rsp, err
}

// TestEnableCancelled: Ctrl-C during the run; the result says which steps took effect and
// the flags read afterwards agree.
func TestEnableCancelled(t *testing.T) {
	for n := 1; n <= 3; n++ {
		t.Run(fmt.Sprintf("after %d", n), func(t *testing.T) {
			bn := newBench(t)
			plan, err := bringup.EnablePlan(bn.state(t))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res := (&bringup.Runner{TPM: &cancelAfter{s: bn.conn, n: n, cancel: cancel}}).Run(ctx, plan)
			if !errors.Is(res.Err, context.Canceled) || !strings.Contains(res.Err.Error(), fmt.Sprintf("stopped before step %d/4", n+1)) {
				t.Fatalf("run error %v, want context.Canceled before step %d", res.Err, n+1)
			}
			after := bn.state(t)
			res.Verify(after)
			for i, s := range res.Steps {
				wantStatus := bringup.StatusNotSent
				if i < n {
					wantStatus = bringup.StatusDone
				}
				if s.Status != wantStatus || s.TookEffect() != (i < n) {
					t.Errorf("step %d %s: %s, took effect %v; want %s", i+1, s.Name, s.Status, s.TookEffect(), wantStatus)
				}
			}
			if enabled := n >= 3; after.Enabled() != enabled {
				t.Errorf("enabled %v after %d steps", after.Enabled(), n)
			}
		})
	}
}

// lossy delivers command number at to the simulated TPM and then loses the answer
// (executed), or loses the command before it reaches the TPM (!executed): a transfer
// failure on the bus.
type lossy struct {
	s        bringup.Sender
	at       int
	executed bool
}

var errLost = errors.New("transfer failed")

func (l *lossy) SendContext(ctx context.Context, cmd []byte) ([]byte, error) {
	l.at--
	if l.at != 0 {
		return l.s.SendContext(ctx, cmd)
	}
	if l.executed {
		_, _ = l.s.SendContext(ctx, cmd)
	}
	return nil, errLost
}

// TestEnableNoAnswer: a step sent without an answer is reported as such, and the flags
// read afterwards say whether it took effect.
func TestEnableNoAnswer(t *testing.T) {
	for _, executed := range []bool{false, true} {
		t.Run(fmt.Sprintf("executed=%v", executed), func(t *testing.T) {
			bn := newBench(t)
			plan, _ := bringup.EnablePlan(bn.state(t))
			res := (&bringup.Runner{TPM: &lossy{s: bn.conn, at: 3, executed: executed}}).Run(context.Background(), plan)
			if !errors.Is(res.Err, errLost) || !strings.Contains(res.Err.Error(), "step 3/4 TPM_PhysicalEnable: sent, no answer") {
				t.Fatalf("run error %v", res.Err)
			}
			s := res.Steps[2]
			if s.Status != bringup.StatusNoAnswer || s.TookEffect() {
				t.Errorf("before Verify: %s took effect %v", s.Status, s.TookEffect())
			}
			res.Verify(bn.state(t))
			s = res.Steps[2]
			if s.Verified == nil || *s.Verified != executed || s.TookEffect() != executed {
				t.Errorf("after Verify: verified %v took effect %v, want %v", s.Verified, s.TookEffect(), executed)
			}
			if res.Steps[3].Status != bringup.StatusNotSent || res.Steps[3].Verified != nil {
				t.Errorf("step 4: %s verified %v", res.Steps[3].Status, res.Steps[3].Verified)
			}
		})
	}
}

func TestEnableDryRunSendsNothing(t *testing.T) {
	bn := newBench(t)
	before := bn.state(t)
	plan, _ := bringup.EnablePlan(before)
	var log bytes.Buffer
	res := (&bringup.Runner{TPM: bn.conn, Log: &log, DryRun: true}).Run(context.Background(), plan)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if after := bn.state(t); after != before {
		t.Errorf("dry run changed the state: %+v → %+v", before, after)
	}
	for i, s := range res.Steps {
		if s.Status != bringup.StatusDryRun || !strings.Contains(log.String(), "would send "+string(rune('1'+i))+"/4 "+s.Name+": "+s.Command) {
			t.Errorf("step %d: %s; log:\n%s", i+1, s.Status, log.String())
		}
	}
}

// TestNVLock: without permission nothing is sent; with it nvLocked becomes TRUE for good.
func TestNVLock(t *testing.T) {
	bn := newBench(t)
	st := bn.state(t)
	if st.Permanent.NVLocked {
		t.Fatal("factory TPM is NV locked")
	}
	plan := bringup.NVLockPlan(st)
	if len(plan.Steps) != 1 || !plan.Irreversible() || !bytes.Equal(plan.Steps[0].Command, tpm.NVLock()) {
		t.Fatalf("plan %v irreversible %v", stepNames(plan), plan.Irreversible())
	}
	var log bytes.Buffer
	res := (&bringup.Runner{TPM: bn.conn, Log: &log}).Run(context.Background(), plan)
	if !errors.Is(res.Err, bringup.ErrNeedsConfirmation) || res.Steps[0].Status != bringup.StatusNotSent || log.Len() != 0 {
		t.Fatalf("without Yes: %v, %s, log %q", res.Err, res.Steps[0].Status, log.String())
	}
	if bn.state(t).Permanent.NVLocked {
		t.Fatal("nvLocked set without permission")
	}
	res = (&bringup.Runner{TPM: bn.conn, Log: &log, Yes: true}).Run(context.Background(), plan)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	after := bn.state(t)
	res.Verify(after)
	if !after.Permanent.NVLocked || !res.Done() || res.Steps[0].Verified == nil || !*res.Steps[0].Verified {
		t.Errorf("after the lock: nvLocked %v, result %+v", after.Permanent.NVLocked, res.Steps)
	}
	// Survives a reset, and the next plan has nothing to do.
	bn.reset(t)
	if st := bn.state(t); !st.Permanent.NVLocked || len(bringup.NVLockPlan(st).Steps) != 0 {
		t.Errorf("after a reset: nvLocked %v", st.Permanent.NVLocked)
	}
}

// TestReadNV2: the built-in TPM 2.0 defines no index; every TXT index reads as not defined.
func TestReadNV2(t *testing.T) {
	bn := benchWith(t, "apu2-tpm1a-tpm20", nil)
	if bn.conn.Family() != tis.Family20 {
		t.Fatalf("family %s", bn.conn.Family())
	}
	got, err := bringup.ReadNV2(context.Background(), bn.conn, bringup.TXTIndices2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(bringup.TXTIndices2) {
		t.Fatalf("%d results", len(got))
	}
	for i, s := range got {
		if s.Defined || s.Result != "" || s.Name != bringup.TXTIndices2[i].Name {
			t.Errorf("%+v", s)
		}
	}
}
