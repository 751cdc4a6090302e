package integration

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// guest is one boot several tests read: each boot costs about 2 s, so the steps of the tests
// that look at the same configuration run in one boot, the first test to ask starts it, and the
// others wait for it.
type guest struct {
	name    string
	tpm2    bool
	driver  bool                           // let the kernel's tpm_tis bind the TPM
	cmdline []string                       // added to the kernel command line
	state   func(t *testing.T, dir string) // fills the swtpm state directory before the boot
	steps   []step
	once    sync.Once
	dir     string // the state directory, kept for the whole run (tests look at it after the boot)
	res     *bootResult
}

// guestSteps is what every shared boot runs.
var guestSteps = []step{
	{"did_vid", []string{"devmem", "0xFED40F00", "32"}},
	{"access", []string{"devmem", "0xFED40000", "8"}},
	{"tpm_class", []string{"ls", "/sys/class/tpm"}},
	{"help", []string{"tpmbench", "--help"}},
	{"probe", probeJSON},
	{"version", []string{"tpmbench", "version", "--mmio"}},
}

// nvListSteps list the NV indices as tpm_nvinfo and "tpm_nvinfo -n" do; force adds --force
// for a guest whose kernel driver owns the TPM.
func nvListSteps(force bool) []step {
	list, listN := []string{"tpmbench", "nv", "list", "--mmio"}, []string{"tpmbench", "nv", "list", "--mmio", "-n"}
	if force {
		list, listN = append(list, "--force"), append(listN, "--force")
	}
	return []step{{"nv_list", list}, {"nv_list_n", listN}}
}

// The shared boots: qboot (which leaves the TPM alone), no kernel driver; and TPM 1.2 with NV
// indices defined and the kernel driver bound, which the tests of --force and of nv list share.
var (
	qbootTPM12 = &guest{name: "qboot-tpm12-factory", steps: append(slices.Clone(guestSteps), nvListSteps(false)...),
		state: func(t *testing.T, dir string) { copyDir(t, tpm12FactoryState(t), dir) }}
	qbootTPM20 = &guest{name: "qboot-tpm20-fresh", tpm2: true, steps: guestSteps,
		state: func(t *testing.T, dir string) { copyDir(t, tpm20State(t), dir) }}
	driverTPM12NV = &guest{name: "driver-tpm12-nv", driver: true, cmdline: []string{"iomem=relaxed"},
		steps: append([]step{
			{"tpm_class", []string{"ls", "/sys/class/tpm"}},
			{"refusal", probeJSON},
			{"probe", []string{"tpmbench", "probe", "--mmio", "--force", "--json"}},
		}, nvListSteps(true)...),
		state: func(t *testing.T, dir string) { copyDir(t, tpm12NVState(t), dir) }}
)

// boot runs the guest once per test binary and returns its result.
func (g *guest) boot(t *testing.T) *bootResult {
	t.Helper()
	g.once.Do(func() {
		g.dir = filepath.Join(workDir, g.name)
		if err := os.Mkdir(g.dir, 0o700); err != nil {
			t.Fatal(err)
		}
		g.state(t, g.dir)
		g.res = boot(t, vm{tpm2: g.tpm2, driver: g.driver, cmdline: g.cmdline, state: g.dir, steps: g.steps})
	})
	if g.res == nil {
		t.Fatalf("the shared boot %s failed in another test (see that test's failure)", g.name)
	}
	return g.res
}

var (
	tpm20Once  sync.Once
	tpm20Dir   string
	tpm20Props [][2]uint32
)

// tpm20State returns a TPM 2.0 state directory made once per run: libtpms creates it (new seeds)
// at the first TPM_Init. Copy it before use. The first call also reads the fixed properties
// directly from swtpm (tpm20Fixed).
func tpm20State(t *testing.T) string {
	t.Helper()
	tpm20Once.Do(func() {
		dir := filepath.Join(workDir, "tpm20-fresh")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		p := startSwtpm(t, swtpmConfig{state: dir, tpm2: true})
		if rc, err := p.control(ctrlInit, []byte{0, 0, 0, 0}); err != nil || rc != 0 {
			t.Fatalf("integration: CMD_INIT on a new TPM 2.0 state: result %#x, %v", rc, err)
		}
		if err := p.shutdown(); err != nil {
			t.Fatal(err)
		}
		tpm20Props = askTPM20Properties(t, dir)
		tpm20Dir = dir
	})
	if tpm20Dir == "" {
		t.Fatal("making the TPM 2.0 state failed in another test (see that test's failure)")
	}
	return tpm20Dir
}

// tpm20Fixed is what swtpm answered directly for TPM_PT_FIXED on the TPM 2.0 state.
func tpm20Fixed(t *testing.T) [][2]uint32 {
	t.Helper()
	tpm20State(t)
	return tpm20Props
}
