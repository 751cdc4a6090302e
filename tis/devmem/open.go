package devmem

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The TIS window: five localities of 4 KiB from 0xFED40000, the only read-write mapping.
const (
	// Base is the physical address of locality 0's TIS registers.
	Base = 0xFED40000
	// Size covers the five localities, 0xFED40000-0xFED44FFF.
	Size = 0x5000
)

// Refusal reasons, matched with errors.Is.
var (
	// ErrDriverBound is a kernel TPM driver holding the window (sysfs or /proc/iomem says so).
	ErrDriverBound = errors.New("a kernel driver owns the TPM")
	// ErrNotRoot is a process without the effective user ID 0 that mapping /dev/mem needs.
	ErrNotRoot = errors.New("not root")
	// ErrLockdown is a kernel in integrity or confidentiality lockdown, which refuses /dev/mem.
	ErrLockdown = errors.New("kernel lockdown blocks /dev/mem")
	// ErrNoDevMem is a machine without /dev/mem: a container, or a kernel built without
	// CONFIG_DEVMEM.
	ErrNoDevMem = errors.New("no /dev/mem")
)

// System names the files Open inspects before mapping, so tests can point them at a fake tree.
type System struct {
	// SysClassTPM is /sys/class/tpm: one entry per TPM a driver registered.
	SysClassTPM string
	// ProcIomem is /proc/iomem: the resources drivers claimed.
	ProcIomem string
	// Lockdown is /sys/kernel/security/lockdown: "[none] integrity confidentiality".
	Lockdown string
	// DevMem is /dev/mem, the physical-memory device the windows are mapped from.
	DevMem string
	// EUID is the effective user ID.
	EUID int
}

// HostSystem is the running machine.
func HostSystem() System {
	return System{SysClassTPM: "/sys/class/tpm", ProcIomem: "/proc/iomem",
		Lockdown: "/sys/kernel/security/lockdown", DevMem: "/dev/mem", EUID: os.Geteuid()}
}

// iomemDrivers are /proc/iomem names that only a TPM driver's own request gives the window.
var iomemDrivers = []string{"tpm_tis", "tpm_crb"}

// iomemDevices are the ACPI/PNP ids of TPMs. Their resource appears in /proc/iomem as soon as
// firmware describes the TPM, bound or not; a driver that binds requests the same range again
// under the same name, so the name appears a second time, nested.
var iomemDevices = []string{"MSFT0101", "PNP0C31", "IFX0102"}

// Check returns nil when mapping the TIS window may proceed, or an error that says what stands
// in the way and how to fix it: not root (ErrNotRoot), kernel lockdown (ErrLockdown), no
// /dev/mem at all (ErrNoDevMem), a driver that owns the TPM (ErrDriverBound). force skips only
// the driver check.
func (s System) Check(force bool) error {
	if s.EUID != 0 {
		return fmt.Errorf("devmem: %w (euid %d): mapping /dev/mem needs root (CAP_SYS_RAWIO); run with sudo", ErrNotRoot, s.EUID)
	}
	if mode, err := lockdownMode(s.Lockdown); err == nil && mode != "none" {
		return fmt.Errorf("devmem: %w (%s says %q): boot with lockdown=none, or turn off Secure Boot, which enables lockdown on many distributions",
			ErrLockdown, s.Lockdown, mode)
	}
	if _, err := os.Stat(s.DevMem); errors.Is(err, fs.ErrNotExist) {
		return noDevMem(err)
	}
	if force {
		return nil
	}
	if owner := s.driverOwner(); owner != "" {
		return fmt.Errorf("devmem: %w (%s): unload it (rmmod tpm_tis tpm_tis_core tpm_crb) or unbind it "+
			"(echo <device> > /sys/bus/platform/drivers/tpm_tis/unbind, or .../pnp/drivers/tpm_tis/unbind); "+
			"a kernel built with CONFIG_IO_STRICT_DEVMEM also needs iomem=relaxed on its command line; "+
			"--force skips this check when you know the driver is idle", ErrDriverBound, owner)
	}
	return nil
}

// noDevMem explains a missing physical-memory device; err is what the file system said
// (it names the path).
func noDevMem(err error) error {
	return fmt.Errorf("devmem: %w: %w: a container does not expose it (run on the board itself, or start the container "+
		"with --privileged and /dev/mem), and a kernel built without CONFIG_DEVMEM has none", ErrNoDevMem, err)
}

// openError explains why the physical-memory device did not open for mapping what.
func (s System) openError(what string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return noDevMem(err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("devmem: opening %s for %s: %w (the kernel refused: it needs CAP_SYS_RAWIO, which a container "+
			"has only with --privileged, and a kernel in lockdown refuses it to root too)", s.DevMem, what, err)
	}
	return fmt.Errorf("devmem: opening %s for %s: %w", s.DevMem, what, err)
}

// mapError explains why mapping what (base, size bytes) from the opened device failed.
func (s System) mapError(what string, base, size int64, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("devmem: mapping %s %#x-%#x from %s: %w (a kernel built with CONFIG_IO_STRICT_DEVMEM "+
			"refuses a range a driver claimed, listed in %s: unbind that driver, or boot with iomem=relaxed)",
			what, base, base+size-1, s.DevMem, err, s.ProcIomem)
	}
	return fmt.Errorf("devmem: mapping %s %#x-%#x from %s: %w", what, base, base+size-1, s.DevMem, err)
}

// lockdownMode returns the selected mode, the bracketed word of the lockdown file.
func lockdownMode(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := string(b)
	i, j := strings.IndexByte(s, '['), strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return strings.TrimSpace(s), nil
	}
	return s[i+1 : j], nil
}

// driverOwner describes the driver that holds the TPM, or returns "".
func (s System) driverOwner() string {
	if ents, err := os.ReadDir(s.SysClassTPM); err == nil && len(ents) > 0 {
		return fmt.Sprintf("%s lists %s", s.SysClassTPM, filepath.Join(s.SysClassTPM, ents[0].Name()))
	}
	f, err := os.Open(s.ProcIomem)
	if err != nil {
		return ""
	}
	defer f.Close()
	seen := map[string]int{} // ACPI id -> first line
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		for _, d := range iomemDrivers {
			if strings.Contains(text, d) {
				return fmt.Sprintf("%s:%d: %q", s.ProcIomem, line, text)
			}
		}
		for _, id := range iomemDevices {
			if !strings.Contains(text, id) {
				continue
			}
			if first, ok := seen[id]; ok {
				return fmt.Sprintf("%s:%d: %q requested again inside the firmware's entry at line %d", s.ProcIomem, line, text, first)
			}
			seen[id] = line
		}
	}
	return ""
}

// Open checks the system, then maps the TIS window read-write from the system's /dev/mem.
func Open(s System, force bool) (*Window, error) {
	if err := s.Check(force); err != nil {
		return nil, err
	}
	b, closer, err := s.mapPhys(Base, Size, true, "the TIS window")
	if err != nil {
		return nil, err
	}
	return &Window{mem: b, closer: closer}, nil
}
