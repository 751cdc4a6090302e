package devmem

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWindowAccessWidths(t *testing.T) {
	mem := make([]byte, Size)
	w := FromBytes(mem)
	if err := w.Write32(0xF00, 0x000B15D1); err != nil {
		t.Fatal(err)
	}
	if got := mem[0xF00:0xF04]; got[0] != 0xD1 || got[1] != 0x15 || got[2] != 0x0B || got[3] != 0x00 {
		t.Errorf("Write32 stored % x, want little-endian d1 15 0b 00", got)
	}
	if v, err := w.Read8(0xF01); err != nil || v != 0x15 {
		t.Errorf("Read8(0xf01) = %#x, %v; want 0x15", v, err)
	}
	if err := w.Write8(0x18, 0x40); err != nil {
		t.Fatal(err)
	}
	if err := w.Write8(0x18, 0x20); err != nil {
		t.Fatal(err)
	}
	if v, err := w.Read32(0x18); err != nil || v != 0x20 {
		t.Errorf("Read32(0x18) after two byte writes = %#x, %v; want 0x20", v, err)
	}
	mem[0x4024] = 0x99 // locality 4 DATA_FIFO, the last page
	if v, err := w.Read8(0x4024); err != nil || v != 0x99 {
		t.Errorf("Read8(0x4024) = %#x, %v", v, err)
	}
}

func TestWindowRejectsBadAccesses(t *testing.T) {
	mem := make([]byte, Size+4)
	tests := []struct {
		name string
		w    *Window
		do   func(*Window) error
	}{
		{"read8 past the end", FromBytes(mem[:Size]), func(w *Window) error { _, err := w.Read8(Size); return err }},
		{"write8 past the end", FromBytes(mem[:Size]), func(w *Window) error { return w.Write8(Size, 1) }},
		{"read32 straddling the end", FromBytes(mem[:Size]), func(w *Window) error { _, err := w.Read32(Size - 2); return err }},
		{"read32 misaligned", FromBytes(mem[1:]), func(w *Window) error { _, err := w.Read32(0x18); return err }},
		{"write32 misaligned", FromBytes(mem[:Size]), func(w *Window) error { return w.Write32(0x19, 1) }},
		{"offset overflow", FromBytes(mem[:Size]), func(w *Window) error { _, err := w.Read32(0xFFFFFFFE); return err }},
	}
	for _, tt := range tests {
		if err := tt.do(tt.w); err == nil || !strings.HasPrefix(err.Error(), "devmem: ") {
			t.Errorf("%s: err = %v, want a devmem error", tt.name, err)
		}
	}
	for i := range mem {
		if mem[i] != 0 {
			t.Fatalf("a rejected access wrote byte %#x", i)
		}
	}
}

// fakeSystem builds a sysfs/procfs tree in a temporary directory, with an empty file standing
// in for /dev/mem.
func fakeSystem(t *testing.T, euid int, tpmDevices []string, iomem, lockdown string) System {
	t.Helper()
	dir := t.TempDir()
	s := System{SysClassTPM: filepath.Join(dir, "sys/class/tpm"), ProcIomem: filepath.Join(dir, "proc/iomem"),
		Lockdown: filepath.Join(dir, "sys/kernel/security/lockdown"), DevMem: filepath.Join(dir, "dev/mem"), EUID: euid}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(s.SysClassTPM, 0o755))
	for _, d := range tpmDevices {
		must(os.Mkdir(filepath.Join(s.SysClassTPM, d), 0o755))
	}
	must(os.MkdirAll(filepath.Dir(s.DevMem), 0o755))
	must(os.WriteFile(s.DevMem, nil, 0o600))
	must(os.MkdirAll(filepath.Dir(s.ProcIomem), 0o755))
	must(os.WriteFile(s.ProcIomem, []byte(iomem), 0o644))
	if lockdown != "" {
		must(os.MkdirAll(filepath.Dir(s.Lockdown), 0o755))
		must(os.WriteFile(s.Lockdown, []byte(lockdown), 0o644))
	}
	return s
}

// withoutDevMem is a fake system like fakeSystem's whose /dev/mem is missing, as in a container.
func withoutDevMem(t *testing.T, s System) System {
	t.Helper()
	if err := os.Remove(s.DevMem); err != nil {
		t.Fatal(err)
	}
	return s
}

const plainIomem = "00000000-00000fff : Reserved\nfed00000-fed003ff : HPET 0\nfee00000-fee00fff : Local APIC\n"

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		sys     func(t *testing.T) System
		force   bool
		want    error
		mention string
		never   string // a hint that does not apply
	}{
		{"free window", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "[none] integrity confidentiality\n")
		}, false, nil, "", ""},
		{"no lockdown file", func(t *testing.T) System { return fakeSystem(t, 0, nil, plainIomem, "") }, false, nil, "", ""},
		{"not root", func(t *testing.T) System { return fakeSystem(t, 1000, nil, plainIomem, "") }, false, ErrNotRoot, "sudo", ""},
		{"not root even with force", func(t *testing.T) System { return fakeSystem(t, 1000, nil, plainIomem, "") }, true, ErrNotRoot, "root", ""},
		{"lockdown integrity", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "none [integrity] confidentiality\n")
		}, false, ErrLockdown, "lockdown=none", ""},
		{"lockdown even with force", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "none integrity [confidentiality]\n")
		}, true, ErrLockdown, "Secure Boot", ""},
		{"sysfs tpm0", func(t *testing.T) System { return fakeSystem(t, 0, []string{"tpm0"}, plainIomem, "") }, false, ErrDriverBound, "unbind", ""},
		{"iomem tpm_tis", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem+"fed40000-fed44fff : tpm_tis\n", "")
		}, false, ErrDriverBound, "iomem=relaxed", ""},
		{"iomem MSFT0101 requested by a driver", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem+"fed40000-fed40fff : MSFT0101:00\n  fed40000-fed40fff : MSFT0101:00\n", "")
		}, false, ErrDriverBound, "iomem:5", ""},
		{"iomem PNP0C31 requested by a driver", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, "fed40000-fed44fff : PNP0C31:00\n  fed40000-fed44fff : PNP0C31:00\n", "")
		}, false, ErrDriverBound, "rmmod", ""},
		{"iomem MSFT0101 described by firmware, no driver", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem+"fed40000-fed44fff : MSFT0101:00\n", "[none] integrity\n")
		}, false, nil, "", ""},
		{"force skips the driver check", func(t *testing.T) System {
			return fakeSystem(t, 0, []string{"tpm0"}, "fed40000-fed44fff : tpm_tis\n", "[none]\n")
		}, true, nil, "", ""},
		{"no /dev/mem", func(t *testing.T) System {
			return withoutDevMem(t, fakeSystem(t, 0, nil, plainIomem, ""))
		}, false, ErrNoDevMem, "container", "iomem=relaxed"},
		{"no /dev/mem even with force", func(t *testing.T) System {
			return withoutDevMem(t, fakeSystem(t, 0, nil, plainIomem, ""))
		}, true, ErrNoDevMem, "CONFIG_DEVMEM", "iomem=relaxed"},
		{"no /dev/mem and a driver bound", func(t *testing.T) System {
			return withoutDevMem(t, fakeSystem(t, 0, []string{"tpm0"}, plainIomem, ""))
		}, false, ErrNoDevMem, "--privileged", "unbind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.sys(t).Check(tt.force)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Check = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Check error %q does not mention %q", err, tt.mention)
			}
			if tt.never != "" && strings.Contains(err.Error(), tt.never) {
				t.Errorf("Check error %q mentions %q, which does not apply", err, tt.never)
			}
		})
	}
}

func TestOpenRefusesBeforeMapping(t *testing.T) {
	tests := []struct {
		name string
		sys  func(t *testing.T) System
		want error
	}{
		{"not root", func(t *testing.T) System { return fakeSystem(t, 1000, nil, plainIomem, "") }, ErrNotRoot},
		{"no /dev/mem", func(t *testing.T) System { return withoutDevMem(t, fakeSystem(t, 0, nil, plainIomem, "")) }, ErrNoDevMem},
		{"driver bound", func(t *testing.T) System { return fakeSystem(t, 0, []string{"tpm0"}, plainIomem, "") }, ErrDriverBound},
	}
	for _, tt := range tests {
		if w, err := Open(tt.sys(t), false); !errors.Is(err, tt.want) || w != nil {
			t.Errorf("%s: Open = %v, %v; want %v", tt.name, w, err, tt.want)
		}
	}
}

// TestOpenErrorHints checks that each way opening or mapping /dev/mem fails gets the hint
// that fits it, and only that one: iomem=relaxed is about a refused range, not a missing device.
func TestOpenErrorHints(t *testing.T) {
	s := System{DevMem: "/dev/mem", ProcIomem: "/proc/iomem"}
	tests := []struct {
		name  string
		err   error
		is    error
		want  []string
		never []string
	}{
		{"open: no such file", s.openError("the TIS window", &fs.PathError{Op: "open", Path: "/dev/mem", Err: syscall.ENOENT}),
			ErrNoDevMem, []string{"open /dev/mem: no such file", "container", "--privileged", "CONFIG_DEVMEM"}, []string{"iomem=relaxed"}},
		{"open: not permitted", s.openError("the TIS window", &fs.PathError{Op: "open", Path: "/dev/mem", Err: syscall.EPERM}),
			syscall.EPERM, []string{"CAP_SYS_RAWIO", "--privileged", "lockdown"}, []string{"iomem=relaxed", "CONFIG_DEVMEM"}},
		{"open: other", s.openError("the TXT page", &fs.PathError{Op: "open", Path: "/dev/mem", Err: syscall.EISDIR}),
			syscall.EISDIR, []string{"opening /dev/mem for the TXT page"}, []string{"iomem=relaxed", "container"}},
		{"mmap: not permitted", s.mapError("the TIS window", Base, Size, syscall.EPERM),
			syscall.EPERM, []string{"0xfed40000-0xfed44fff", "CONFIG_IO_STRICT_DEVMEM", "/proc/iomem", "iomem=relaxed"}, []string{"container"}},
		{"mmap: access denied", s.mapError("the TXT page", TXTBase, TXTSize, syscall.EACCES),
			syscall.EACCES, []string{"0xfed30000-0xfed30fff", "iomem=relaxed"}, nil},
		{"mmap: other", s.mapError("the TIS window", Base, Size, syscall.EINVAL),
			syscall.EINVAL, []string{"mapping the TIS window"}, []string{"iomem=relaxed"}},
	}
	for _, tt := range tests {
		msg := tt.err.Error()
		if !errors.Is(tt.err, tt.is) || !strings.HasPrefix(msg, "devmem: ") {
			t.Errorf("%s: %q is not a devmem error matching %v", tt.name, msg, tt.is)
		}
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tt.name, msg, w)
			}
		}
		for _, n := range tt.never {
			if strings.Contains(msg, n) {
				t.Errorf("%s: %q mentions %q, which does not apply", tt.name, msg, n)
			}
		}
	}
}
