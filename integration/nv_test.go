package integration

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestNVListMatchesTpmNvinfo runs `tpmbench nv list --mmio` (and -n) in the guest, then TrouSerS'
// tcsd and tpm-tools' tpm_nvinfo (and -n) on the same swtpm state: stdout must be the same byte
// for byte. Two states: the TPM 1.2 factory state, which has no NV index (tpm_nvinfo prints
// nothing), and the factory state with two indices defined, one as the research notes defined
// it and one with other localities, permissions and bWriteDefine set (booted with the kernel
// driver bound, the boot TestMMIOWithKernelDriver shares).
func TestNVListMatchesTpmNvinfo(t *testing.T) {
	requireIntegration(t)
	tcsdBin, nvinfo := program(t, "tcsd"), program(t, "tpm_nvinfo")
	if os.Geteuid() != 0 {
		t.Fatal("integration: tcsd must start as root (it drops to the tss user and insists on a root:tss config file); run the integration tests as root")
	}
	t.Parallel()
	for _, tc := range []struct {
		name  string
		guest *guest
		want  []string // lines tpm_nvinfo must print, so that two empty outputs cannot pass
	}{
		{"TPM1.2 factory state", qbootTPM12, nil},
		{"TPM1.2 with NV indices", driverTPM12NV, []string{
			"NVRAM index   : 0x00011000 (69632)", "Permissions   : 0x00010001 (PPREAD|PPWRITE)",
			"NVRAM index   : 0x00011002 (69634)", " Localities   : 0x1", " Localities   : 0x3",
			"Permissions   : 0x80012001 (READ_STCLEAR|PPREAD|WRITEDEFINE|PPWRITE)", "bWriteDefine  : TRUE",
			" PCRs\t : 0, 7", " Hash\t : a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.guest.boot(t)
			// tcsd's swtpm runs on a copy: another test may run its own on the guest's state.
			state := t.TempDir()
			copyDir(t, tc.guest.dir, state)
			port := startTcsd(t, tcsdBin, state)
			for _, c := range []struct {
				step string
				args []string
			}{{"nv_list", nil}, {"nv_list_n", []string{"-n"}}} {
				ours := r.step(t, c.step)
				theirs := runTpmTool(t, port, nvinfo, c.args...)
				ourCmd, theirCmd := strings.Join(append([]string{"tpmbench nv list"}, c.args...), " "), strings.Join(append([]string{"tpm_nvinfo"}, c.args...), " ")
				if ours.rc != 0 {
					t.Errorf("%s --mmio in the guest: %v", ourCmd, ours)
				}
				if ours.stdout != theirs {
					t.Errorf("%s and %s differ:\ntpmbench:\n%q\ntpm_nvinfo:\n%q", ourCmd, theirCmd, ours.stdout, theirs)
				} else {
					t.Logf("%s and %s agree (%d bytes)", ourCmd, theirCmd, len(theirs))
				}
				if c.args != nil {
					continue
				}
				for _, l := range tc.want {
					if !strings.Contains(theirs, l+"\n") {
						t.Errorf("tpm_nvinfo does not print %q; the state is not what the test defined:\n%s", l, theirs)
					}
				}
				if tc.want == nil && (theirs != "" || !strings.Contains(ours.stderr, "no NV indices defined")) {
					t.Errorf("on the factory state: tpm_nvinfo printed %q, tpmbench's stderr %q; want nothing, and \"no NV indices defined\"", theirs, ours.stderr)
				}
			}
		})
	}
}

// TPM 1.2 NV attribute bits (TPM 1.2 Main Part 2, 19.2), written out here rather than taken
// from the project's tpm package, so that the state does not depend on the code under test.
const (
	nvPerReadSTClear = 1 << 31
	nvPerPPRead      = 1 << 16
	nvPerWriteDefine = 1 << 13
	nvPerPPWrite     = 1 << 0
	localityAll      = 0x1F
)

// appendPCRInfoShort appends a TPM_PCR_INFO_SHORT that selects no PCR (3-byte selection, zero
// digestAtRelease) and allows the localities in the bit map locality.
func appendPCRInfoShort(b []byte, pcrs []int, locality byte, digest [20]byte) []byte {
	var sel [3]byte
	for _, n := range pcrs {
		sel[n/8] |= 1 << (n % 8)
	}
	b = append(binary.BigEndian.AppendUint16(b, 3), sel[0], sel[1], sel[2], locality)
	return append(b, digest[:]...)
}

// nvDefineSpace builds TPM_NV_DefineSpace (ordinal 0xCC) without authorization, which a TPM
// accepts while nvLocked is FALSE (research notes, swtpm §5.2: the first index there is
// index 0x00011000, PPREAD|PPWRITE, 8 bytes, byte for byte this command).
// readPCRs, when not empty, selects those PCRs for reading with readDigest as their
// digestAtRelease.
func nvDefineSpace(index uint32, readPCRs []int, readDigest [20]byte, readLocality, writeLocality byte, perm, size uint32) []byte {
	b := binary.BigEndian.AppendUint16(nil, 0x0018) // TPM_TAG_NV_DATA_PUBLIC
	b = binary.BigEndian.AppendUint32(b, index)
	b = appendPCRInfoShort(appendPCRInfoShort(b, readPCRs, readLocality, readDigest), nil, writeLocality, [20]byte{})
	b = binary.BigEndian.AppendUint16(b, 0x0017) // TPM_TAG_NV_ATTRIBUTES
	b = binary.BigEndian.AppendUint32(b, perm)
	b = append(b, 0, 0, 0) // bReadSTClear, bWriteSTClear, bWriteDefine
	b = binary.BigEndian.AppendUint32(b, size)
	b = append(b, make([]byte, 20)...) // encAuth
	return tpm12Command(0xCC, b)
}

// nvWriteValue builds TPM_NV_WriteValue (ordinal 0xCD) without authorization.
func nvWriteValue(index, offset uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, index)
	b = binary.BigEndian.AppendUint32(b, offset)
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	return tpm12Command(0xCD, append(b, data...))
}

// tpm12Command frames a TPM_TAG_RQU_COMMAND.
func tpm12Command(ordinal uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, 0x00C1)
	b = binary.BigEndian.AppendUint32(b, uint32(10+len(body)))
	b = binary.BigEndian.AppendUint32(b, ordinal)
	return append(b, body...)
}

var (
	nvStateOnce sync.Once
	nvState     string
	nvStateErr  error
)

// tpm12NVState returns a TPM 1.2 factory state with two NV indices defined: 0x00011000
// (PPREAD|PPWRITE, 8 bytes, as the research notes defined it) and 0x00011002 (READ_STCLEAR|
// PPREAD|WRITEDEFINE|PPWRITE, 32 bytes, read at locality 0 only with PCRs 0 and 7 selected,
// write at localities 0 and 1), written once with no data, which sets its bWriteDefine. Copy it
// before use.
func tpm12NVState(t *testing.T) string {
	t.Helper()
	nvStateOnce.Do(func() {
		nvState = filepath.Join(workDir, "tpm12-nv")
		if nvStateErr = os.Mkdir(nvState, 0o700); nvStateErr == nil {
			copyDir(t, tpm12FactoryState(t), nvState)
			nvStateErr = defineNVIndices(t, nvState)
		}
	})
	if nvStateErr != nil {
		t.Fatalf("integration: defining NV indices on the TPM 1.2 factory state: %v", nvStateErr)
	}
	return nvState
}

// nvReadDigest is the digestAtRelease of 0x00011002's read selection: any value will do, as it is
// only checked when the area is read.
var nvReadDigest = [20]byte{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3}

func defineNVIndices(t *testing.T, dir string) error {
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
		{"TPM_NV_DefineSpace(0x00011000)", nvDefineSpace(0x00011000, nil, [20]byte{}, localityAll, localityAll, nvPerPPRead|nvPerPPWrite, 8)},
		{"TPM_NV_DefineSpace(0x00011002)", nvDefineSpace(0x00011002, []int{0, 7}, nvReadDigest, 0x01, 0x03,
			nvPerReadSTClear|nvPerPPRead|nvPerWriteDefine|nvPerPPWrite, 32)},
		{"TPM_NV_WriteValue(0x00011002, no data)", nvWriteValue(0x00011002, 0, nil)},
	} {
		rc, _, err := c.transmit(s.cmd)
		if err == nil && rc != 0 {
			err = fmt.Errorf("TPM return code %#x, want 0", rc)
		}
		if err != nil {
			c.Close()
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	c.Close()
	return p.shutdown()
}
