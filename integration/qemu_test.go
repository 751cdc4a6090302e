package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Firmware files from Debian's qemu-system-data and seabios packages.
const (
	qbootROM   = "/usr/share/qemu/qboot.rom"
	seabiosROM = "/usr/share/seabios/bios-256k.bin"
)

// bootTimeout bounds one boot. A boot takes about 2 s on an idle machine (3 s more from the
// compressed bzImage); the margin is for a loaded CI machine.
const bootTimeout = 90 * time.Second

// vm describes one boot of the guest.
type vm struct {
	seabios bool // SeaBIOS (sends TPM_Startup itself) instead of qboot (leaves the TPM alone)
	tpm2    bool
	state   string // swtpm state directory
	driver  bool   // let the kernel's tpm_tis bind the TPM (no initcall_blacklist=init_tis)
	cmdline []string
	steps   []step
}

// stepResult is what one guest step printed.
type stepResult struct {
	rc     int
	stdout string
	stderr string
}

func (r stepResult) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.rc, r.stdout, r.stderr)
}

// bootResult is the outcome of one boot.
type bootResult struct {
	console string
	steps   map[string]stepResult
	wall    time.Duration // QEMU start to exit
}

// step returns the result of the named step, failing the test when the guest did not report it.
func (b *bootResult) step(t *testing.T, name string) stepResult {
	t.Helper()
	r, ok := b.steps[name]
	if !ok {
		t.Fatalf("guest did not report step %q; console:\n%s", name, tail(b.console, 60))
	}
	return r
}

// boot starts swtpm on v.state, boots the guest under QEMU with a tpm-tis device backed by it,
// runs v.steps and returns what they printed.
func boot(t *testing.T, v vm) *bootResult {
	t.Helper()
	qemu := program(t, "qemu-system-x86_64")
	kernel := kernelImage(t)
	tl := shared(t)
	fw := file(t, qbootROM, "qboot firmware (qemu-system-data)")
	machine := "pc,acpi=off"
	if v.seabios {
		fw = file(t, seabiosROM, "SeaBIOS firmware (seabios)")
		machine = "pc"
	}
	steps, err := stepsArchive(v.steps)
	if err != nil {
		t.Fatal(err)
	}
	initrd := filepath.Join(t.TempDir(), "initramfs")
	if err := os.WriteFile(initrd, append(append([]byte{}, tl.initramfs...), steps...), 0o600); err != nil {
		t.Fatal(err)
	}
	sw := startSwtpm(t, swtpmConfig{state: v.state, tpm2: v.tpm2})

	args := []string{
		"-machine", machine, "-accel", "tcg", "-m", "256", "-smp", "1",
		"-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
		"-bios", fw, "-kernel", kernel, "-initrd", initrd, "-append", kernelCmdline(v),
		"-chardev", "socket,id=chrtpm,path=" + sw.ctrlPath,
		"-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
		"-device", "tpm-tis,tpmdev=tpm0",
	}
	ctx, cancel := context.WithTimeout(context.Background(), bootTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	start := time.Now()
	err = cmd.Run()
	res := &bootResult{console: strings.ReplaceAll(out.String(), "\r", ""), wall: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("QEMU did not finish within %v; console:\n%s\nswtpm log:\n%s", bootTimeout, tail(res.console, 60), sw.logTail())
	}
	if err != nil {
		t.Fatalf("QEMU: %v\n%s\nconsole:\n%s\nswtpm log:\n%s", err, stderr.String(), tail(res.console, 60), sw.logTail())
	}
	if res.steps, err = parseConsole(res.console); err != nil {
		t.Fatalf("%v; console:\n%s\nswtpm log:\n%s", err, tail(res.console, 60), sw.logTail())
	}
	t.Logf("boot (%s, TPM %s%s): %.1fs wall, guest uptime at the end %s s",
		firmwareName(v), family(v.tpm2), map[bool]string{true: ", kernel driver", false: ""}[v.driver],
		res.wall.Seconds(), guestUptime(res.console))
	return res
}

func firmwareName(v vm) string {
	if v.seabios {
		return "SeaBIOS"
	}
	return "qboot"
}

func family(tpm2 bool) string {
	if tpm2 {
		return "2.0"
	}
	return "1.2"
}

// fastBoot is kernel command line that shortens a boot under TCG by about a fifth (guest uptime
// at the end 2.0 s without it, 1.4-1.8 s with it, Debian's 6.1) and changes nothing the tests
// look at: no local APIC timer (its calibration counts PIT ticks for 100 ms of emulated time;
// the PIT drives the tick instead), no crypto self-tests, no speculation mitigations to patch
// in, no read-only remapping and W+X scan of the kernel image, and three initcalls the guest
// never uses (a key-derivation self-test, kprobe tracing, the built-in certificate keyring).
var fastBoot = []string{"noapictimer", "cryptomgr.notests", "mitigations=off", "rodata=off"}

var unusedInitcalls = []string{"crypto_kdf108_init", "init_kprobe_trace", "load_system_certificate_list"}

// kernelCmdline keeps the kernel's TPM driver off the device unless v.driver. qboot runs with
// ACPI off (qboot loses the e820 memory map when QEMU adds the TPM's ACPI tables, and the
// kernel then panics out of memory), so the driver needs tpm_tis.force=1 to find the TPM there.
func kernelCmdline(v vm) string {
	c := append([]string{"console=ttyS0", "panic=-1", "quiet"}, fastBoot...)
	blacklist := unusedInitcalls
	switch {
	case !v.driver:
		blacklist = append(slices.Clone(blacklist), "init_tis")
	case !v.seabios:
		c = append(c, "tpm_tis.force=1")
	}
	c = append(c, "initcall_blacklist="+strings.Join(blacklist, ","))
	return strings.Join(append(c, v.cmdline...), " ")
}

// parseConsole reads the markers /init prints:
//
//	@@STEP name rc / @@STDOUT name / base64... / @@STDERR name / base64... / @@END name
//
// and requires the final @@DONE.
func parseConsole(console string) (map[string]stepResult, error) {
	steps := map[string]stepResult{}
	var (
		cur     string
		res     stepResult
		section *strings.Builder
		stdout  strings.Builder
		stderr  strings.Builder
		done    bool
	)
	sc := bufio.NewScanner(strings.NewReader(console))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "@@STEP":
			if len(f) != 3 {
				return nil, fmt.Errorf("console line %d: malformed %q", line, sc.Text())
			}
			rc, err := strconv.Atoi(f[2])
			if err != nil {
				return nil, fmt.Errorf("console line %d: exit code %q: %w", line, f[2], err)
			}
			cur, res, section = f[1], stepResult{rc: rc}, nil
			stdout.Reset()
			stderr.Reset()
		case "@@STDOUT":
			section = &stdout
		case "@@STDERR":
			section = &stderr
		case "@@END":
			if cur == "" || len(f) != 2 || f[1] != cur {
				return nil, fmt.Errorf("console line %d: %q does not close step %q", line, sc.Text(), cur)
			}
			for _, s := range []struct {
				b   *strings.Builder
				dst *string
			}{{&stdout, &res.stdout}, {&stderr, &res.stderr}} {
				data, err := base64.StdEncoding.DecodeString(s.b.String())
				if err != nil {
					return nil, fmt.Errorf("console: step %s: output is not base64: %w", cur, err)
				}
				*s.dst = string(data)
			}
			steps[cur], cur, section = res, "", nil
		case "@@DONE":
			done = true
		default:
			if section != nil && len(f) == 1 {
				section.WriteString(f[0])
			}
		}
	}
	if cur != "" {
		return nil, fmt.Errorf("console: step %s has no @@END (the guest stopped in the middle)", cur)
	}
	if !done {
		return nil, fmt.Errorf("console: no @@DONE: /init did not finish (%d steps reported)", len(steps))
	}
	return steps, nil
}

// guestUptime is the guest's /proc/uptime when /init finished.
func guestUptime(console string) string {
	for _, l := range strings.Split(console, "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "@@DONE" {
			return f[1]
		}
	}
	return "?"
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
