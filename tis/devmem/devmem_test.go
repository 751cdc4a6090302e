package devmem

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// fakeSystem builds a sysfs/procfs tree in a temporary directory.
func fakeSystem(t *testing.T, euid int, tpmDevices []string, iomem, lockdown string) System {
	t.Helper()
	dir := t.TempDir()
	s := System{SysClassTPM: filepath.Join(dir, "sys/class/tpm"), ProcIomem: filepath.Join(dir, "proc/iomem"),
		Lockdown: filepath.Join(dir, "sys/kernel/security/lockdown"), EUID: euid}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(s.SysClassTPM, 0o755))
	for _, d := range tpmDevices {
		must(os.Mkdir(filepath.Join(s.SysClassTPM, d), 0o755))
	}
	must(os.MkdirAll(filepath.Dir(s.ProcIomem), 0o755))
	must(os.WriteFile(s.ProcIomem, []byte(iomem), 0o644))
	if lockdown != "" {
		must(os.MkdirAll(filepath.Dir(s.Lockdown), 0o755))
		must(os.WriteFile(s.Lockdown, []byte(lockdown), 0o644))
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
	}{
		{"free window", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "[none] integrity confidentiality\n")
		}, false, nil, ""},
		{"no lockdown file", func(t *testing.T) System { return fakeSystem(t, 0, nil, plainIomem, "") }, false, nil, ""},
		{"not root", func(t *testing.T) System { return fakeSystem(t, 1000, nil, plainIomem, "") }, false, ErrNotRoot, "sudo"},
		{"not root even with force", func(t *testing.T) System { return fakeSystem(t, 1000, nil, plainIomem, "") }, true, ErrNotRoot, "root"},
		{"lockdown integrity", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "none [integrity] confidentiality\n")
		}, false, ErrLockdown, "lockdown=none"},
		{"lockdown even with force", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "none integrity [confidentiality]\n")
		}, true, ErrLockdown, "Secure Boot"},
		{"sysfs tpm0", func(t *testing.T) System { return fakeSystem(t, 0, []string{"tpm0"}, plainIomem, "") }, false, ErrDriverBound, "unbind"},
		{"iomem tpm_tis", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem+"fed40000-fed44fff : tpm_tis\n", "")
		}, false, ErrDriverBound, "iomem=relaxed"},
		{"iomem MSFT0101 requested by a driver", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem+"fed40000-fed40fff : MSFT0101:00\n  fed40000-fed40fff : MSFT0101:00\n", "")
		}, false, ErrDriverBound, "iomem:5"},
		{"iomem PNP0C31 requested by a driver", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, "fed40000-fed44fff : PNP0C31:00\n  fed40000-fed44fff : PNP0C31:00\n", "")
		}, false, ErrDriverBound, "rmmod"},
		{"iomem MSFT0101 described by firmware, no driver", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem+"fed40000-fed44fff : MSFT0101:00\n", "[none] integrity\n")
		}, false, nil, ""},
		{"force skips the driver check", func(t *testing.T) System {
			return fakeSystem(t, 0, []string{"tpm0"}, "fed40000-fed44fff : tpm_tis\n", "[none]\n")
		}, true, nil, ""},
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
		})
	}
}

func TestOpenRefusesBeforeMapping(t *testing.T) {
	s := fakeSystem(t, 1000, nil, plainIomem, "")
	if w, err := Open(s, false); !errors.Is(err, ErrNotRoot) || w != nil {
		t.Fatalf("Open as non-root = %v, %v; want ErrNotRoot", w, err)
	}
}
