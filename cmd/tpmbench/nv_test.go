package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/tpm"
)

// benchWithNVArea writes a scenario of the reference bench whose TPM 1.2 holds one NV area,
// 0x00011000 (PPREAD|PPWRITE, 8 bytes), as the reference TPM after tpm_nvdefine.
func benchWithNVArea(t *testing.T) string {
	t.Helper()
	st := tpm12.New().State()
	st.NV = append(st.NV, tpm12.NVState{Public: tpm.NewNVDataPublic(0x00011000, tpm.NVPerPPRead|tpm.NVPerPPWrite, 8), Data: make([]byte, 8)})
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "state.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := "name: nv-area\nboard: apu1d\nmodule: asus-tpm-20-1\npersonality: slb9635\nengine: tpm12\nhost: apu\nstate: state.json\n"
	path := filepath.Join(dir, "nv-area.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNVListEmpty: with no NV index defined, stdout is what tpm_nvinfo prints (nothing, or only
// the -n heading) and stderr says there is none; with one, stderr stays empty.
func TestNVListEmpty(t *testing.T) {
	withArea := benchWithNVArea(t)
	tests := []struct {
		name             string
		args             []string
		wantOut, wantErr string
	}{
		{"none", []string{"nv", "list"}, "", "no NV indices defined\n"},
		{"none -n", []string{"nv", "list", "-n"}, "The following NVRAM areas have been defined:\n", "no NV indices defined\n"},
		{"one -n", []string{"nv", "list", "-n", withArea}, "The following NVRAM areas have been defined:\n0x00011000 (69632)\n", ""},
		{"one", []string{"nv", "list", withArea}, "NVRAM index   : 0x00011000 (69632)\nPCR read  selection:\n Localities   : ALL\n" +
			"PCR write selection:\n Localities   : ALL\nPermissions   : 0x00010001 (PPREAD|PPWRITE)\nbReadSTClear  : FALSE\n" +
			"bWriteSTClear : FALSE\nbWriteDefine  : FALSE\nSize          : 8 (0x8)\n\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.args...)
			if code != exitOK || out != tt.wantOut || errOut != tt.wantErr {
				t.Errorf("%v: exit %d\nstdout %q\nwant   %q\nstderr %q\nwant   %q", tt.args, code, out, tt.wantOut, errOut, tt.wantErr)
			}
		})
	}
}
