package integration

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// swtpm control-channel commands (swtpm_ioctls(3); all integers big-endian).
const (
	ctrlInit     = 0x02
	ctrlShutdown = 0x03
)

// swtpmConfig says how to run one swtpm process.
type swtpmConfig struct {
	state string // --tpmstate dir=
	tpm2  bool
	// data adds a data socket: "" for none (QEMU hands swtpm its data channel over the control
	// socket), "unix" or "tcp" (127.0.0.1, a free port).
	data  string
	flags string // --flags, e.g. "not-need-init,startup-clear"
}

// swtpmProc is a running swtpm whose sockets this test created and passed in, so they accept
// connections before swtpm has even started (no waiting for a socket file to appear).
type swtpmProc struct {
	cmd      *exec.Cmd
	ctrlPath string   // unix control socket
	dataAddr net.Addr // data socket, when asked for
	log      string
	exited   chan struct{}
	waitErr  error
}

// socketDir is a short directory for unix sockets: their paths must stay under 108 bytes, which
// a subtest's t.TempDir can exceed.
func socketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tpmb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// listenerFile listens and returns the socket as a file to hand to swtpm.
func listenerFile(t *testing.T, network, addr string) (*os.File, net.Addr) {
	t.Helper()
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("integration: listen %s %s: %v", network, addr, err)
	}
	var f *os.File
	switch l := l.(type) {
	case *net.UnixListener:
		l.SetUnlinkOnClose(false)
		f, err = l.File()
	case *net.TCPListener:
		f, err = l.File()
	}
	if err != nil {
		t.Fatalf("integration: socket file of %s: %v", addr, err)
	}
	a := l.Addr()
	l.Close() // swtpm holds its own copy of the descriptor
	return f, a
}

// startSwtpm starts swtpm socket on cfg.state and stops it at the end of the test.
func startSwtpm(t *testing.T, cfg swtpmConfig) *swtpmProc {
	t.Helper()
	bin := program(t, "swtpm")
	dir := socketDir(t)
	p := &swtpmProc{ctrlPath: filepath.Join(dir, "ctrl"), log: filepath.Join(dir, "swtpm.log"), exited: make(chan struct{})}
	ctrl, _ := listenerFile(t, "unix", p.ctrlPath)
	files := []*os.File{ctrl}
	args := []string{"socket", "--tpmstate", "dir=" + cfg.state, "--ctrl", "type=unixio,fd=3", "--log", "file=" + p.log + ",level=1"}
	switch cfg.data {
	case "unix":
		f, a := listenerFile(t, "unix", filepath.Join(dir, "data"))
		files, p.dataAddr = append(files, f), a
		args = append(args, "--server", "type=unixio,fd=4")
	case "tcp":
		// swtpm reads a TCP fd= as an accepted connection, so it gets a port to listen on.
		port := freePort(t)
		p.dataAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
		args = append(args, "--server", fmt.Sprintf("type=tcp,port=%d,bindaddr=127.0.0.1", port))
	}
	if cfg.tpm2 {
		args = append(args, "--tpm2")
	}
	if cfg.flags != "" {
		args = append(args, "--flags", cfg.flags)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.ExtraFiles = files
	var stderr bytes.Buffer
	p.cmd.Stdout, p.cmd.Stderr = &stderr, &stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("integration: starting swtpm: %v", err)
	}
	for _, f := range files {
		f.Close()
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		if stderr.Len() > 0 {
			p.waitErr = fmt.Errorf("%v: %s", p.waitErr, bytes.TrimSpace(stderr.Bytes()))
		}
		close(p.exited)
	}()
	t.Cleanup(func() { p.stop(t) })
	if cfg.data == "tcp" {
		p.awaitListening(t)
	}
	return p
}

// awaitListening waits until swtpm accepts on its TCP data port (it binds the port itself).
func (p *swtpmProc) awaitListening(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", p.dataAddr.String(), time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-p.exited:
			t.Fatalf("integration: swtpm exited: %v; log %s", p.waitErr, p.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("integration: swtpm not listening on %s after 10s: %v", p.dataAddr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop ends swtpm: QEMU sends CMD_SHUTDOWN when it quits, a test that talked to swtpm directly
// may not have; a process that ignores both is killed.
func (p *swtpmProc) stop(t *testing.T) {
	select {
	case <-p.exited:
		return
	default:
	}
	p.control(ctrlShutdown, nil)
	select {
	case <-p.exited:
		return
	case <-time.After(3 * time.Second):
	}
	p.cmd.Process.Kill()
	<-p.exited
	t.Logf("swtpm (pid %d) did not exit after CMD_SHUTDOWN; killed it", p.cmd.Process.Pid)
}

// logTail is the end of swtpm's log, for failure messages.
func (p *swtpmProc) logTail() string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return tail(string(b), 20)
}

// control sends one control-channel command and returns the 4-byte result code.
func (p *swtpmProc) control(code uint32, payload []byte) (uint32, error) {
	c, err := net.DialTimeout("unix", p.ctrlPath, 5*time.Second)
	if err != nil {
		return 0, fmt.Errorf("integration: swtpm control socket: %w", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	req := binary.BigEndian.AppendUint32(nil, code)
	if _, err := c.Write(append(req, payload...)); err != nil {
		return 0, fmt.Errorf("integration: swtpm control command %#x: %w", code, err)
	}
	var rsp [4]byte
	if _, err := io.ReadFull(c, rsp[:]); err != nil {
		return 0, fmt.Errorf("integration: swtpm control command %#x: reading the result: %w", code, err)
	}
	return binary.BigEndian.Uint32(rsp[:]), nil
}

// shutdown sends CMD_SHUTDOWN and waits for the process to end.
func (p *swtpmProc) shutdown() error {
	if rc, err := p.control(ctrlShutdown, nil); err != nil || rc != 0 {
		return fmt.Errorf("integration: swtpm CMD_SHUTDOWN: result %#x, %v", rc, err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("integration: swtpm still running 10s after CMD_SHUTDOWN")
	}
}

// tpmConn is a data-socket connection: raw TPM commands in, raw responses out.
type tpmConn struct{ net.Conn }

func (p *swtpmProc) dial() (*tpmConn, error) {
	c, err := net.DialTimeout(p.dataAddr.Network(), p.dataAddr.String(), 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("integration: swtpm data socket %s: %w", p.dataAddr, err)
	}
	return &tpmConn{c}, nil
}

// transmit sends a command and returns the TPM return code and the whole response (framed by the
// size field at offset 2).
func (c *tpmConn) transmit(cmd []byte) (uint32, []byte, error) {
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write(cmd); err != nil {
		return 0, nil, fmt.Errorf("integration: sending % x: %w", cmd, err)
	}
	hdr := make([]byte, 10)
	if _, err := io.ReadFull(c, hdr); err != nil {
		return 0, nil, fmt.Errorf("integration: response header to % x: %w", cmd, err)
	}
	size := binary.BigEndian.Uint32(hdr[2:6])
	if size < 10 || size > 4096 {
		return 0, nil, fmt.Errorf("integration: response to % x: size field %d out of range 10..4096", cmd, size)
	}
	rsp := append(hdr, make([]byte, size-10)...)
	if _, err := io.ReadFull(c, rsp[10:]); err != nil {
		return 0, nil, fmt.Errorf("integration: response body to % x: %w", cmd, err)
	}
	return binary.BigEndian.Uint32(hdr[6:10]), rsp, nil
}

// TPM 1.2 commands for making the factory state (research notes, swtpm §5.3), byte for byte.
var (
	tpm12StartupClear  = []byte{0x00, 0xC1, 0, 0, 0, 0x0C, 0, 0, 0, 0x99, 0, 0x01}
	tpm12PhysicalDisab = []byte{0x00, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0, 0x70}
	tpm12SetDeactTrue  = []byte{0x00, 0xC1, 0, 0, 0, 0x0B, 0, 0, 0, 0x72, 0x01}
)

// tscPhysicalPresence builds TSC_PhysicalPresence(bits).
func tscPhysicalPresence(bits uint16) []byte {
	return binary.BigEndian.AppendUint16([]byte{0x00, 0xC1, 0, 0, 0, 0x0C, 0x40, 0, 0, 0x0A}, bits)
}

var (
	factoryOnce  sync.Once
	factoryState string
	factoryErr   error
)

// tpm12FactoryState returns a fresh copy of a TPM 1.2 state in the TCG shipping defaults: disabled,
// deactivated, physicalPresenceCMDEnable clear, no owner, no EK. libtpms creates new TPM 1.2
// states enabled and active, so the first call walks a fresh state there the way the research
// notes did (swtpm §5.3): physical presence, deactivate, disable, then clear CMD_ENABLE again.
func tpm12FactoryState(t *testing.T) string {
	t.Helper()
	factoryOnce.Do(func() {
		factoryState = filepath.Join(workDir, "tpm12-factory")
		if factoryErr = os.Mkdir(factoryState, 0o700); factoryErr == nil {
			factoryErr = makeFactoryState(t, factoryState)
		}
	})
	if factoryErr != nil {
		t.Fatalf("integration: making the TPM 1.2 factory state: %v", factoryErr)
	}
	dst := t.TempDir()
	copyDir(t, factoryState, dst)
	return dst
}

func makeFactoryState(t *testing.T, dir string) error {
	p := startSwtpm(t, swtpmConfig{state: dir, data: "unix"})
	if rc, err := p.control(ctrlInit, []byte{0, 0, 0, 0}); err != nil || rc != 0 {
		return fmt.Errorf("CMD_INIT: result %#x, %v", rc, err)
	}
	c, err := p.dial()
	if err != nil {
		return err
	}
	for _, s := range []struct {
		what string
		cmd  []byte
	}{
		{"TPM_Startup(ST_CLEAR)", tpm12StartupClear},
		{"TSC_PhysicalPresence(CMD_ENABLE)", tscPhysicalPresence(0x0020)},
		{"TSC_PhysicalPresence(PRESENT)", tscPhysicalPresence(0x0008)},
		{"TPM_PhysicalSetDeactivated(TRUE)", tpm12SetDeactTrue},
		{"TPM_PhysicalDisable", tpm12PhysicalDisab},
		{"TSC_PhysicalPresence(CMD_DISABLE)", tscPhysicalPresence(0x0100)},
	} {
		rc, _, err := c.transmit(s.cmd)
		if err != nil {
			c.Close()
			return fmt.Errorf("%s: %w", s.what, err)
		}
		if rc != 0 {
			c.Close()
			return fmt.Errorf("%s: TPM return code %#x, want 0", s.what, rc)
		}
	}
	c.Close()
	return p.shutdown()
}

// copyDir copies the regular files of src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
