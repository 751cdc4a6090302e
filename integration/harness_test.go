package integration

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// installHint is what a failure about a missing program or file tells the reader to do.
const installHint = "run scripts/ci-integration-deps (Debian 12) to install it"

// enabled reports whether the integration tests were asked for.
func enabled() bool { return os.Getenv("TPMBENCH_INTEGRATION") == "1" }

// workDir holds what the whole run shares (the static tpmbench, the base initramfs, the TPM 1.2
// factory state); TestMain makes and removes it.
var workDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tpmbench-integration-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration: temp dir:", err)
		os.Exit(1)
	}
	workDir = dir
	code := m.Run()
	os.RemoveAll(workDir)
	os.Exit(code)
}

// requireIntegration skips the test unless TPMBENCH_INTEGRATION=1.
func requireIntegration(t *testing.T) {
	t.Helper()
	if !enabled() {
		t.Skip("integration test: set TPMBENCH_INTEGRATION=1 to run it (needs qemu-system-x86_64, swtpm, busybox-static, tcsd, tpm_version, tpm_nvinfo; " + installHint + ")")
	}
}

// program finds an outside program and fails the test when it is missing.
func program(t *testing.T, name string) string {
	t.Helper()
	p, err := findProgram(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// findProgram looks on PATH, then in the sbin directories (tcsd and tpm_version live in
// /usr/sbin, which an ordinary user's PATH may lack).
func findProgram(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("integration: program %s not found on PATH or in the sbin directories; %s", name, installHint)
}

// file fails the test when path is not a readable regular file.
func file(t *testing.T, path, what string) string {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("integration: %s: %v; %s", what, err, installHint)
	}
	if !st.Mode().IsRegular() {
		t.Fatalf("integration: %s: %s is not a regular file", what, path)
	}
	return path
}

// kernelImage is Debian's kernel, unpacked (not installed) by scripts/ci-integration-deps, or
// the image TPMBENCH_KERNEL names. The ELF vmlinux the script takes out of the bzImage is
// preferred: QEMU starts it through its PVH entry point and the guest decompresses nothing,
// which halves the boot under TCG.
func kernelImage(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TPMBENCH_KERNEL"); p != "" {
		return file(t, p, "kernel image from TPMBENCH_KERNEL")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("integration: no cache directory to find the kernel in (%v); set TPMBENCH_KERNEL to a kernel image", err)
	}
	dir := filepath.Join(cache, "tpmbench", "linux")
	if st, err := os.Stat(filepath.Join(dir, "vmlinux")); err == nil && st.Mode().IsRegular() {
		return filepath.Join(dir, "vmlinux")
	}
	return file(t, filepath.Join(dir, "vmlinuz"), "Debian kernel image (linux-image-amd64, unpacked)")
}

// staticBinary says why path is not an ELF executable without a program interpreter: the
// initramfs has no dynamic loader and no libraries.
func staticBinary(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("integration: %s: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("integration: %s is dynamically linked; the initramfs needs a static binary (busybox-static, CGO_ENABLED=0)", path)
		}
	}
	return nil
}

// moduleRoot is the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("integration: no go.mod above %s", dir)
		}
	}
}

// tools is what every boot shares, built once per run.
type tools struct {
	tpmbench  string // static tpmbench for the guest (and the host)
	initramfs []byte // gzip-compressed newc cpio: busybox, tpmbench, /init
	err       error
}

var (
	sharedOnce  sync.Once
	sharedTools tools
)

// shared builds the static tpmbench and the base initramfs on first use.
func shared(t *testing.T) *tools {
	t.Helper()
	root := moduleRoot(t)
	sharedOnce.Do(func() { sharedTools = buildTools(root) })
	if sharedTools.err != nil {
		t.Fatal(sharedTools.err)
	}
	return &sharedTools
}

func buildTools(root string) tools {
	goTool, err := findProgram("go")
	if err != nil {
		return tools{err: err}
	}
	bin := filepath.Join(workDir, "tpmbench")
	cmd := exec.Command(goTool, "build", "-ldflags=-s -w", "-o", bin, "./cmd/tpmbench")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		return tools{err: fmt.Errorf("integration: building a static tpmbench (CGO_ENABLED=0 go build ./cmd/tpmbench): %w\n%s", err, out)}
	}
	busybox, err := findProgram("busybox")
	if err != nil {
		return tools{err: err}
	}
	for _, p := range []string{busybox, bin} {
		if err := staticBinary(p); err != nil {
			return tools{err: err}
		}
	}
	img, err := baseInitramfs(busybox, bin, filepath.Join(root, "fixtures", "integration", "init"))
	if err != nil {
		return tools{err: err}
	}
	return tools{tpmbench: bin, initramfs: img}
}
