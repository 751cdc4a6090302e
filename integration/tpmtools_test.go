package integration

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestVersionMatchesTpmVersion runs `tpmbench version --mmio` in the guest on the TPM 1.2
// factory state, then TrouSerS' tcsd and tpm-tools' tpm_version on the same state: both must
// print the same fields with the same values.
func TestVersionMatchesTpmVersion(t *testing.T) {
	requireIntegration(t)
	tcsdBin, tpmVersion := program(t, "tcsd"), program(t, "tpm_version")
	if os.Geteuid() != 0 {
		t.Fatal("integration: tcsd must start as root (it drops to the tss user and insists on a root:tss config file); run the integration tests as root")
	}
	t.Parallel()
	ours := qbootTPM12.boot(t).step(t, "version")
	if ours.rc != 0 {
		t.Fatalf("tpmbench version --mmio in the guest: %v", ours)
	}

	port := startTcsd(t, tcsdBin, qbootTPM12.dir) // the state the guest ran on
	stdout := runTpmTool(t, port, tpmVersion)

	want := versionFields(stdout)
	got := versionFields(ours.stdout)
	for _, k := range []string{"Chip Version", "Spec Level", "Errata Revision", "TPM Vendor ID", "TPM Version", "Manufacturer Info"} {
		if _, ok := want[k]; !ok {
			t.Fatalf("tpm_version printed no %q line:\n%s", k, stdout)
		}
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s: tpmbench version prints %q, tpm_version %q", k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("tpmbench version prints %q, which tpm_version does not", k)
		}
	}
	if t.Failed() {
		t.Logf("tpmbench version:\n%s\ntpm_version:\n%s", ours.stdout, stdout)
	} else {
		t.Logf("tpmbench version and tpm_version agree on %d fields", len(want))
	}
}

// runTpmTool runs a tpm-tools program against the tcsd on port and returns its stdout. stderr
// only goes into a failure message: tpm_version writes 5 bytes of garbage there on every run.
func runTpmTool(t *testing.T, port int, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LANG=C", "TSS_TCSD_HOSTNAME=127.0.0.1", "TSS_TCSD_PORT="+strconv.Itoa(port))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%q", filepath.Base(bin), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// versionFields reads tpm_version-style "  Key:   value" lines. Values lose surrounding blanks and
// NULs: tpm_version prints the 4-byte vendor ID raw, "IBM" and a NUL.
func versionFields(out string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok || strings.TrimSpace(v) == "" && strings.HasSuffix(strings.TrimSpace(l), "Info:") {
			continue // the "TPM 1.2 Version Info:" heading
		}
		m[strings.TrimSpace(k)] = strings.Trim(v, " \t\x00")
	}
	return m
}

// startTcsd runs swtpm on state with a TCP data socket, the TPM started by swtpm itself (tcsd
// exits on a TPM that wants TPM_Startup), and tcsd in the foreground against it, as the research
// notes ran them (swtpm §7.1). It returns tcsd's port for TSS_TCSD_PORT.
func startTcsd(t *testing.T, tcsdBin, state string) int {
	t.Helper()
	sw := startSwtpm(t, swtpmConfig{state: state, data: "tcp", flags: "not-need-init,startup-clear"})
	tpmPort := sw.dataAddr.(*net.TCPAddr).Port

	dir := tcsdDir(t)
	port := freePort(t)
	conf := filepath.Join(dir, "tcsd.conf")
	text := fmt.Sprintf("port = %d\nnum_threads = 4\nsystem_ps_file = %s\nfirmware_log_file = %s\nkernel_log_file = %s\ndisable_ipv6 = 1\n",
		port, filepath.Join(dir, "ps", "system.data"), filepath.Join(dir, "empty_bios_log"), filepath.Join(dir, "empty_ima_log"))
	for name, data := range map[string]string{"tcsd.conf": text, "empty_bios_log": "", "empty_ima_log": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(conf, 0, tssGID(t)); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(tcsdBin, "-f", "-e", "-c", conf)
	cmd.Env = append(os.Environ(), "TCSD_TCP_DEVICE_HOSTNAME=127.0.0.1", "TCSD_TCP_DEVICE_PORT="+strconv.Itoa(tpmPort))
	var log bytes.Buffer // tcsd's stdout is block-buffered on a pipe: read only after it ended
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting tcsd: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	// tcsd listens once it has read the TPM's capabilities.
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			t.Fatalf("tcsd ended before it listened on port %d: %v\n%s", port, cmd.ProcessState, log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("tcsd not listening on port %d within 30s", port)
		}
	}
	return port
}

// tcsdDir is a directory tcsd can use after dropping to the tss user: its persistent-storage
// directory must be writable by tss and the path to it traversable.
func tcsdDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tpmbench-tcsd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ps := filepath.Join(dir, "ps")
	if err := os.Mkdir(ps, 0o700); err != nil {
		t.Fatal(err)
	}
	u, err := user.Lookup("tss")
	if err != nil {
		t.Fatalf("integration: no tss user (the trousers package creates it): %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	if err := os.Chown(ps, uid, tssGID(t)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func tssGID(t *testing.T) int {
	t.Helper()
	g, err := user.LookupGroup("tss")
	if err != nil {
		t.Fatalf("integration: no tss group (the trousers package creates it): %v", err)
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		t.Fatal(err)
	}
	return gid
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago (tcsd takes a port number,
// not a socket).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
