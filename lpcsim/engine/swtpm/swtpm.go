package swtpm

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"tpmbench/tpm"
)

// ErrNotInstalled is returned by Start when the swtpm binary cannot be
// found.
var ErrNotInstalled = errors.New("swtpm not installed")

// ErrControl wraps a non-zero result code from the control socket.
var ErrControl = errors.New("swtpm control command failed")

// Control-socket command codes (swtpm_ioctls(3)).
const (
	cmdInit        = 0x02
	cmdShutdown    = 0x03
	cmdSetLocality = 0x05
)

// Config says how to start swtpm.
type Config struct {
	// Binary is the swtpm program; "" looks up "swtpm" in PATH.
	Binary string
	// StateDir is copied to a temporary directory that swtpm then uses;
	// "" starts from a fresh state (for TPM 1.2: enabled and active, the
	// libtpms default).
	StateDir string
	// TPM2 runs a TPM 2.0 instead of a TPM 1.2.
	TPM2 bool
	// SaveDir, if set, receives a copy of the state files when Close has
	// stopped the process, e.g. to make a state directory for later runs.
	SaveDir string
	// Timeout bounds each exchange with the process; 0 means 30 s (a
	// TPM 1.2 CMD_INIT takes up to about half a second).
	Timeout time.Duration
}

// Engine is a running swtpm process. Execute, Reset and Close may be called
// from several goroutines; they run one at a time.
type Engine struct {
	mu       sync.Mutex
	cfg      Config
	dir      string
	proc     *exec.Cmd
	exited   chan struct{}
	stderr   *syncBuffer
	data     net.Conn
	locality int
	closed   bool
}

// Start copies the state, starts swtpm and sends CMD_INIT. ctx bounds the
// start-up only.
func Start(ctx context.Context, cfg Config) (*Engine, error) {
	bin := cfg.Binary
	if bin == "" {
		bin = "swtpm"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, fmt.Errorf("swtpm: %w: %v (install it with: apt-get install swtpm swtpm-tools)", ErrNotInstalled, err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	dir, err := os.MkdirTemp("", "tpmbench-swtpm-")
	if err != nil {
		return nil, fmt.Errorf("swtpm: temporary directory: %w", err)
	}
	e := &Engine{cfg: cfg, dir: dir, stderr: &syncBuffer{}, exited: make(chan struct{})}
	if err := e.start(ctx, path); err != nil {
		e.kill()
		os.RemoveAll(dir)
		return nil, err
	}
	return e, nil
}

func (e *Engine) stateDir() string { return filepath.Join(e.dir, "state") }
func (e *Engine) dataPath() string { return filepath.Join(e.dir, "data.sock") }
func (e *Engine) ctrlPath() string { return filepath.Join(e.dir, "ctrl.sock") }

func (e *Engine) start(ctx context.Context, bin string) error {
	if err := os.Mkdir(e.stateDir(), 0o700); err != nil {
		return fmt.Errorf("swtpm: %w", err)
	}
	if e.cfg.StateDir != "" {
		if err := copyState(e.cfg.StateDir, e.stateDir()); err != nil {
			return err
		}
	}
	args := []string{"socket",
		"--tpmstate", "dir=" + e.stateDir(),
		"--server", "type=unixio,path=" + e.dataPath(),
		"--ctrl", "type=unixio,path=" + e.ctrlPath(),
	}
	if e.cfg.TPM2 {
		args = append(args, "--tpm2")
	}
	e.proc = exec.Command(bin, args...)
	e.proc.Stderr = e.stderr
	e.proc.Stdout = e.stderr
	if err := e.proc.Start(); err != nil {
		return fmt.Errorf("swtpm: starting %s: %w", bin, err)
	}
	go func() {
		e.proc.Wait()
		close(e.exited)
	}()
	conn, err := e.dial(ctx, e.dataPath())
	if err != nil {
		return err
	}
	e.data = conn
	return e.control(cmdInit, []byte{0, 0, 0, 0})
}

// dial connects to a socket of the process, waiting for it to appear.
func (e *Engine) dial(ctx context.Context, path string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "unix", path)
		if err == nil {
			return conn, nil
		}
		select {
		case <-e.exited:
			return nil, fmt.Errorf("swtpm: process exited before %s appeared: %s", filepath.Base(path), e.stderr.String())
		case <-ctx.Done():
			return nil, fmt.Errorf("swtpm: %s not reachable: %w (swtpm output: %s)", filepath.Base(path), err, e.stderr.String())
		case <-tick.C:
		}
	}
}

// control sends one control command on a fresh connection and checks the
// 4-byte result code.
func (e *Engine) control(code uint32, payload []byte) error {
	conn, err := e.dial(context.Background(), e.ctrlPath())
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(e.cfg.Timeout))
	msg := binary.BigEndian.AppendUint32(nil, code)
	if _, err := conn.Write(append(msg, payload...)); err != nil {
		return fmt.Errorf("swtpm: control command 0x%02X: %w", code, err)
	}
	var res [4]byte
	if _, err := io.ReadFull(conn, res[:]); err != nil {
		return fmt.Errorf("swtpm: control command 0x%02X: reading result: %w", code, err)
	}
	if rc := binary.BigEndian.Uint32(res[:]); rc != 0 {
		return fmt.Errorf("swtpm: %w: command 0x%02X answered %v", ErrControl, code, tpm.RC(rc))
	}
	return nil
}

// Execute sends one TPM command from the given locality and returns the
// response. Errors are transport failures (process gone, socket closed,
// malformed response); TPM errors are return codes in the response.
func (e *Engine) Execute(locality int, cmd []byte) ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, errors.New("swtpm: engine closed")
	}
	if locality != e.locality {
		if err := e.control(cmdSetLocality, []byte{byte(locality)}); err != nil {
			return nil, fmt.Errorf("swtpm: locality %d: %w", locality, err)
		}
		e.locality = locality
	}
	e.data.SetDeadline(time.Now().Add(e.cfg.Timeout))
	if _, err := e.data.Write(cmd); err != nil {
		return nil, fmt.Errorf("swtpm: sending %d-byte command: %w", len(cmd), err)
	}
	head := make([]byte, 6)
	if _, err := io.ReadFull(e.data, head); err != nil {
		return nil, fmt.Errorf("swtpm: reading response header: %w", err)
	}
	size, err := tpm.ResponseSize(head)
	if err != nil {
		return nil, fmt.Errorf("swtpm: %w", err)
	}
	rsp := make([]byte, size)
	copy(rsp, head)
	if _, err := io.ReadFull(e.data, rsp[6:]); err != nil {
		return nil, fmt.Errorf("swtpm: reading %d-byte response: %w", size, err)
	}
	return rsp, nil
}

// Reset sends CMD_INIT: TPM_Init, after which the TPM needs TPM_Startup.
func (e *Engine) Reset() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return errors.New("swtpm: engine closed")
	}
	return e.control(cmdInit, []byte{0, 0, 0, 0})
}

// Close sends CMD_SHUTDOWN, waits for the process to exit, copies the state
// to Config.SaveDir if set and removes the temporary directory.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	defer os.RemoveAll(e.dir)
	e.data.Close()
	err := e.control(cmdShutdown, nil)
	select {
	case <-e.exited:
	case <-time.After(e.cfg.Timeout):
		e.kill()
		return fmt.Errorf("swtpm: process did not exit after CMD_SHUTDOWN (killed): %v", err)
	}
	if err != nil {
		return err
	}
	if e.cfg.SaveDir != "" {
		return copyState(e.stateDir(), e.cfg.SaveDir)
	}
	return nil
}

func (e *Engine) kill() {
	if e.data != nil {
		e.data.Close()
	}
	if e.proc != nil && e.proc.Process != nil {
		e.proc.Process.Kill()
		<-e.exited
	}
}

// copyState copies the regular files of src (not the lock file) into dst.
func copyState(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return fmt.Errorf("swtpm: reading state directory: %w", err)
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return fmt.Errorf("swtpm: %w", err)
	}
	for _, ent := range entries {
		if !ent.Type().IsRegular() || ent.Name() == ".lock" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, ent.Name()))
		if err != nil {
			return fmt.Errorf("swtpm: copying state: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dst, ent.Name()), b, 0o600); err != nil {
			return fmt.Errorf("swtpm: copying state: %w", err)
		}
	}
	return nil
}

// syncBuffer collects the process output for error messages.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p, or drops it once more than 64 KiB are kept; it never fails.
func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return s.buf.Write(p)
}

// String returns what was collected.
func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
