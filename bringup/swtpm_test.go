package bringup_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tpmbench/bringup"
	"tpmbench/internal/reftest"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/swtpm"
	"tpmbench/tpm"
)

// These tests run the bring-up against a real swtpm (libtpms TPM 1.2) from the TCG factory
// state and compare it with swtpm_bios, the BIOS-side client of swtpm-tools, on a copy of
// the same state: the same commands, the same return codes, the same end state. They run
// only with TPMBENCH_INTEGRATION=1 and fail when swtpm, swtpm_bios or swtpm_ioctl is missing
// (apt-get install swtpm swtpm-tools).

func requireIntegration(t *testing.T) {
	t.Helper()
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("integration test: set TPMBENCH_INTEGRATION=1 (needs swtpm and swtpm-tools)")
	}
	for _, p := range []string{"swtpm", "swtpm_bios", "swtpm_ioctl"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s not found (apt-get install swtpm swtpm-tools): %v", p, err)
		}
	}
}

// factoryState returns a TPM 1.2 state directory in the TCG factory state: the project's
// reference state when it is beside the checkout, else one made with swtpm.
func factoryState(t *testing.T) string {
	t.Helper()
	if ref, ok := reftest.Reference(); ok {
		dir := filepath.Join(ref, "swtpm-state", "tpm12-factory-disabled-deactivated")
		if _, err := os.Stat(filepath.Join(dir, "tpm-00.permall")); err == nil {
			return dir
		}
	}
	t.Log("no reference state beside the checkout: making the factory state with swtpm")
	dir := t.TempDir()
	if err := swtpm.CreateFactoryState(context.Background(), swtpm.Config{}, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// exchange is one command and its response.
type exchange struct{ cmd, rsp []byte }

// recorder is an engine that records what passes through it to the engine behind.
type recorder struct {
	lpcsim.Engine
	mu  sync.Mutex
	log []exchange
}

func (r *recorder) Execute(loc int, cmd []byte) ([]byte, error) {
	rsp, err := r.Engine.Execute(loc, cmd)
	r.mu.Lock()
	r.log = append(r.log, exchange{append([]byte(nil), cmd...), append([]byte(nil), rsp...)})
	r.mu.Unlock()
	return rsp, err
}

func (r *recorder) Close() error { return r.Engine.(io.Closer).Close() }

func (r *recorder) since(n int) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.log[n:]...)
}

// stateChanging keeps the exchanges of the commands a bring-up changes the TPM with.
func stateChanging(x []exchange) []exchange {
	var out []exchange
	for _, e := range x {
		c, err := tpm.ParseCommand(e.cmd)
		if err != nil {
			continue
		}
		switch c.Ordinal() {
		case tpm.OrdTSCPhysicalPresence, tpm.OrdPhysicalEnable, tpm.OrdPhysicalSetDeactivated, tpm.OrdNVDefineSpace:
			out = append(out, e)
		}
	}
	return out
}

// ours runs the bring-up on the simulated reference bench with a swtpm engine started from
// state, and returns what it sent and the state directory swtpm left behind (no reset).
func ours(t *testing.T, state string) ([]exchange, string) {
	t.Helper()
	saved := t.TempDir()
	eng, err := swtpm.Start(context.Background(), swtpm.Config{StateDir: state, SaveDir: saved})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Engine: eng}
	bn := benchWith(t, "default", rec)
	if *bn.rep.Enabled || *bn.rep.Active {
		t.Fatalf("swtpm factory state probes enabled %v active %v", *bn.rep.Enabled, *bn.rep.Active)
	}
	plan, err := bringup.EnablePlan(bn.state(t))
	if err != nil {
		t.Fatal(err)
	}
	n := len(rec.since(0))
	res := (&bringup.Runner{TPM: bn.conn}).Run(context.Background(), plan)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	sent := rec.since(n)
	res.Verify(bn.state(t))
	if !res.Done() {
		t.Errorf("not every step verified on swtpm: %+v", res.Steps)
	}
	if err := bn.b.Close(); err != nil {
		t.Fatal(err)
	}
	return sent, saved
}

// theirs runs swtpm_bios -ea on a copy of state through a recording proxy and returns what
// it sent, its exit code and stdout, and the state directory swtpm left behind.
func theirs(t *testing.T, state string) ([]exchange, int, string, string) {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join(state, "tpm-00.permall"), filepath.Join(dir, "tpm-00.permall"))
	sock, err := os.MkdirTemp("", "tpmbench-bios-") // short: socket paths are limited to 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(sock)
	data, ctrl, proxy := filepath.Join(sock, "data"), filepath.Join(sock, "ctrl"), filepath.Join(sock, "proxy")
	proc := exec.Command("swtpm", "socket", "--tpmstate", "dir="+dir,
		"--server", "type=unixio,path="+data, "--ctrl", "type=unixio,path="+ctrl)
	var perr bytes.Buffer
	proc.Stderr, proc.Stdout = &perr, &perr
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- proc.Wait() }()
	defer func() {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = proc.Process.Kill()
			t.Errorf("swtpm did not exit: %s", perr.String())
		}
	}()
	waitFor(t, ctrl)
	ioctl(t, ctrl, "-i") // CMD_INIT: TPM_Init, as the reference runs did

	ln, err := net.Listen("unix", proxy)
	if err != nil {
		t.Fatal(err)
	}
	var x []exchange
	proxied := make(chan error, 1)
	go func() {
		var rerr error
		x, rerr = relay(ln, data)
		proxied <- rerr
	}()

	cmd := exec.Command("swtpm_bios", "--unix", proxy, "-ea")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	code := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		code = ee.ExitCode()
	}
	ln.Close()
	if err := <-proxied; err != nil {
		t.Fatalf("proxy: %v", err)
	}
	ioctl(t, ctrl, "-s") // CMD_SHUTDOWN: swtpm writes its state and exits
	return x, code, out.String(), dir
}

// relay serves the clients of ln one after the other (swtpm_bios connects once per
// command), passing each TPM command to the swtpm data socket over one connection and
// recording it with its response, until ln is closed.
func relay(ln net.Listener, data string) ([]exchange, error) {
	d, err := net.Dial("unix", data)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var x []exchange
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return x, nil
		}
		if err != nil {
			return x, err
		}
		x, err = serve(c, d, x)
		c.Close()
		if err != nil {
			return x, err
		}
	}
}

// serve relays the commands of one client until it closes.
func serve(c, d net.Conn, x []exchange) ([]exchange, error) {
	for {
		cmd, err := readMessage(c)
		if errors.Is(err, io.EOF) {
			return x, nil
		}
		if err != nil {
			return x, err
		}
		if _, err := d.Write(cmd); err != nil {
			return x, err
		}
		rsp, err := readMessage(d)
		if err != nil {
			return x, err
		}
		x = append(x, exchange{cmd, rsp})
		if _, err := c.Write(rsp); err != nil {
			return x, err
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	head := make([]byte, 6)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, err
	}
	size := int(binary.BigEndian.Uint32(head[2:]))
	if size < tpm.HeaderSize || size > tpm.MaxMessageSize {
		return nil, errors.New("size field out of range")
	}
	msg := make([]byte, size)
	copy(msg, head)
	_, err := io.ReadFull(r, msg[6:])
	return msg, err
}

func waitFor(t *testing.T, path string) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", path)
}

func ioctl(t *testing.T, ctrl, op string) {
	t.Helper()
	if out, err := exec.Command("swtpm_ioctl", "--unix", ctrl, op).CombinedOutput(); err != nil {
		t.Fatalf("swtpm_ioctl %s: %v: %s", op, err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// afterReset starts swtpm on a saved state (TPM_Init), probes it on the simulated bench
// (TPM_Startup) and returns the report's view and the raw TPM_PERMANENT_FLAGS.
func afterReset(t *testing.T, state string) (enabled, active bool, perm []byte) {
	t.Helper()
	eng, err := swtpm.Start(context.Background(), swtpm.Config{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	bn := benchWith(t, "default", eng)
	st := bn.state(t)
	return *bn.rep.Enabled && st.Enabled(), *bn.rep.Active && st.Active(), st.Permanent.Marshal()
}

// TestSwtpmEnableMatchesSwtpmBIOS: on the same factory state, our enable sends the
// state-changing commands swtpm_bios -ea sends, gets the same return codes, and leaves the
// same permanent state, which is enabled and active after a reset; swtpm_bios says the TPM
// needs a reset (exit 129), as our plan does.
func TestSwtpmEnableMatchesSwtpmBIOS(t *testing.T) {
	requireIntegration(t)
	state := factoryState(t)

	got, oursDir := ours(t, state)
	want, code, out, theirsDir := theirs(t, state)
	if code != 129 || !strings.Contains(out, "TPM requires a reset") {
		t.Errorf("swtpm_bios -ea: exit %d, output %q; want 129 and \"TPM requires a reset\"", code, out)
	}
	want = stateChanging(want)
	if len(got) != len(want) {
		t.Fatalf("we sent %d state-changing commands, swtpm_bios %d:\nours   %v\ntheirs %v", len(got), len(want), got, want)
	}
	for i := range got {
		if !bytes.Equal(got[i].cmd, want[i].cmd) || !bytes.Equal(got[i].rsp, want[i].rsp) {
			t.Errorf("command %d: ours % X → % X; swtpm_bios % X → % X", i+1, got[i].cmd, got[i].rsp, want[i].cmd, want[i].rsp)
		}
	}
	en1, act1, perm1 := afterReset(t, oursDir)
	en2, act2, perm2 := afterReset(t, theirsDir)
	if !bytes.Equal(perm1, perm2) {
		t.Errorf("TPM_PERMANENT_FLAGS differ:\nours   % X\ntheirs % X", perm1, perm2)
	}
	if !en1 || !act1 || !en2 || !act2 {
		t.Errorf("after a reset: ours enabled %v active %v, swtpm_bios's enabled %v active %v", en1, act1, en2, act2)
	}
}

// TestSwtpmEnableMatchesReferenceTrace compares what we send with the recorded swtpm_bios
// trace of the project's reference outputs, when they are beside the checkout.
func TestSwtpmEnableMatchesReferenceTrace(t *testing.T) {
	requireIntegration(t)
	ref := reftest.ReferenceDir(t)
	want := stateChanging(readTrace(t, filepath.Join(ref, "swtpm_bios", "tpm12-factory-swtpm_bios-ea.trace")))
	got, _ := ours(t, factoryState(t))
	if len(got) != len(want) || len(want) != 4 {
		t.Fatalf("ours %d state-changing commands, reference trace %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].cmd, want[i].cmd) || !bytes.Equal(got[i].rsp, want[i].rsp) {
			t.Errorf("command %d: ours % X → % X; reference % X → % X", i+1, got[i].cmd, got[i].rsp, want[i].cmd, want[i].rsp)
		}
	}
}

// readTrace reads the command and response pairs of a reference .trace.
func readTrace(t *testing.T, path string) []exchange {
	t.Helper()
	var x []exchange
	for _, e := range reftest.TraceExchanges(t, path) {
		x = append(x, exchange{cmd: e.Cmd, rsp: e.Rsp})
	}
	return x
}

// TestSwtpmNVLock: on swtpm from the factory state, the definition of TPM_NV_INDEX_LOCK
// gets the answer the built-in model gives, nvLocked reads TRUE afterwards and stays TRUE
// across a reset.
func TestSwtpmNVLock(t *testing.T) {
	requireIntegration(t)
	eng, err := swtpm.Start(context.Background(), swtpm.Config{StateDir: factoryState(t)})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Engine: eng}
	bn := benchWith(t, "default", rec)
	model := newBench(t)

	for _, b := range []*bench{bn, model} {
		plan := bringup.NVLockPlan(b.state(t))
		res := (&bringup.Runner{TPM: b.conn, Yes: true}).Run(context.Background(), plan)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		res.Verify(b.state(t))
		if !res.Done() {
			t.Errorf("NV lock not verified: %+v", res.Steps)
		}
	}
	x := stateChanging(rec.since(0))
	if len(x) != 1 || !bytes.Equal(x[0].cmd, tpm.NVLock()) || !bytes.Equal(x[0].rsp, tpm.NewResponse(tpm.RCSuccess)) {
		t.Errorf("swtpm exchange: %v", x)
	}
	bn.reset(t)
	if st := bn.state(t); !st.Permanent.NVLocked || !*bn.rep.NVLocked {
		t.Error("nvLocked not TRUE after a reset")
	}
}
