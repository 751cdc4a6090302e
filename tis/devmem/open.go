package devmem

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"periph.io/x/host/v3/pmem"
)

// The TIS window: five localities of 4 KiB from 0xFED40000, the only read-write mapping.
const (
	Base = 0xFED40000
	Size = 0x5000
)

// Refusal reasons, matched with errors.Is.
var (
	ErrDriverBound = errors.New("a kernel driver owns the TPM")
	ErrNotRoot     = errors.New("not root")
	ErrLockdown    = errors.New("kernel lockdown blocks /dev/mem")
)

// System names the files Open inspects before mapping, so tests can point them at a fake tree.
type System struct {
	SysClassTPM string // /sys/class/tpm: one entry per TPM a driver registered
	ProcIomem   string // /proc/iomem: resources claimed by drivers
	Lockdown    string // /sys/kernel/security/lockdown: "[none] integrity confidentiality"
	EUID        int    // effective user ID
}

// HostSystem is the running machine.
func HostSystem() System {
	return System{SysClassTPM: "/sys/class/tpm", ProcIomem: "/proc/iomem",
		Lockdown: "/sys/kernel/security/lockdown", EUID: os.Geteuid()}
}

// iomemDrivers are /proc/iomem names that only a TPM driver's own request gives the window.
var iomemDrivers = []string{"tpm_tis", "tpm_crb"}

// iomemDevices are the ACPI/PNP ids of TPMs. Their resource appears in /proc/iomem as soon as
// firmware describes the TPM, bound or not; a driver that binds requests the same range again
// under the same name, so the name appears a second time, nested.
var iomemDevices = []string{"MSFT0101", "PNP0C31", "IFX0102"}

// Check returns nil when mapping the TIS window may proceed, or an error that says what stands
// in the way and how to fix it. force skips only the driver check.
func (s System) Check(force bool) error {
	if s.EUID != 0 {
		return fmt.Errorf("devmem: %w (euid %d): mapping /dev/mem needs root (CAP_SYS_RAWIO); run with sudo", ErrNotRoot, s.EUID)
	}
	if mode, err := lockdownMode(s.Lockdown); err == nil && mode != "none" {
		return fmt.Errorf("devmem: %w (%s says %q): boot with lockdown=none, or turn off Secure Boot, which enables lockdown on many distributions",
			ErrLockdown, s.Lockdown, mode)
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

// Open checks the system, then maps the TIS window read-write from /dev/mem.
func Open(s System, force bool) (*Window, error) {
	if err := s.Check(force); err != nil {
		return nil, err
	}
	v, err := pmem.Map(Base, Size)
	if err != nil {
		return nil, fmt.Errorf("devmem: mapping %#x-%#x from /dev/mem: %w (a kernel with CONFIG_IO_STRICT_DEVMEM refuses ranges a driver claimed: boot with iomem=relaxed)",
			Base, Base+Size-1, err)
	}
	return &Window{mem: v.Bytes()[:Size], closer: v}, nil
}
