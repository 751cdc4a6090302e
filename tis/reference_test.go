package tis

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/tpm"
)

// traceExchange is one command and its response from a reference .trace file.
type traceExchange struct {
	what string // the decoded command name, e.g. "TPM_GetCapability(NV_LIST)"
	cmd  []byte
	rsp  tpm.Response
}

// readTrace reads the data-socket exchanges of a .trace file and decodes each response.
func readTrace(t *testing.T, path string) []traceExchange {
	t.Helper()
	var out []traceExchange
	for _, x := range reftest.TraceExchanges(t, path) {
		tx := traceExchange{what: x.Name, cmd: x.Cmd}
		if x.Rsp != nil {
			var err error
			if tx.rsp, err = tpm.ParseResponse(x.Rsp); err != nil {
				t.Fatalf("%s: response to line %d: %v", path, x.Line, err)
			}
		}
		out = append(out, tx)
	}
	return out
}

func sized(t *testing.T, r tpm.Response) []byte {
	t.Helper()
	b, err := tpm.ParseSized(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWriteVersionMatchesTpmVersion decodes the responses tpm_version got from a real TPM
// stack and checks that WriteVersion prints its stdout byte for byte.
func TestWriteVersionMatchesTpmVersion(t *testing.T) {
	ref := reftest.ReferenceDir(t)
	traces, _ := filepath.Glob(filepath.Join(ref, "trousers", "*tpm_version.trace"))
	if len(traces) == 0 {
		t.Skip("no tpm_version traces in " + ref)
	}
	for _, tr := range traces {
		t.Run(filepath.Base(tr), func(t *testing.T) {
			var vv, ver, man []byte
			for _, x := range readTrace(t, tr) {
				switch x.what {
				case "TPM_GetCapability(VERSION_VAL)":
					vv = sized(t, x.rsp)
				case "TPM_GetCapability(VERSION)":
					ver = sized(t, x.rsp)
				case "TPM_GetCapability(PROPERTY, 0x103)":
					man = sized(t, x.rsp)
				}
			}
			v, err := versionReport12(vv, ver, man)
			if err != nil {
				t.Fatal(err)
			}
			r := &Report{Family: "1.2", Version: v}
			var got bytes.Buffer
			if err := r.WriteVersion(&got); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(tr, ".trace") + ".stdout")
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("WriteVersion:\n%q\nwant (tpm_version):\n%q", got.String(), want)
			}
		})
	}
}

// TestWriteNVInfoMatchesTpmNvinfo does the same for tpm_nvinfo and tpm_nvinfo -n.
func TestWriteNVInfoMatchesTpmNvinfo(t *testing.T) {
	ref := reftest.ReferenceDir(t)
	traces, _ := filepath.Glob(filepath.Join(ref, "trousers", "*tpm_nvinfo*.trace"))
	if len(traces) == 0 {
		t.Skip("no tpm_nvinfo traces in " + ref)
	}
	for _, tr := range traces {
		t.Run(filepath.Base(tr), func(t *testing.T) {
			exch := readTrace(t, tr)
			if len(exch) == 0 {
				t.Skip("no TPM traffic (usage error run)")
			}
			r := &Report{Family: "1.2"}
			listOnly := strings.HasSuffix(tr, "-n.trace")
			for _, x := range exch {
				switch {
				case x.what == "TPM_GetCapability(NV_LIST)" && listOnly:
					var l tpm.NVList
					if err := l.Unmarshal(sized(t, x.rsp)); err != nil {
						t.Fatal(err)
					}
					r.NVIndices = []NVIndexReport{}
					for _, i := range l {
						r.NVIndices = append(r.NVIndices, NVIndexReport{Index: Hex32(i)})
					}
				case x.what == "TPM_GetCapability(NV_LIST)":
					r.NVIndices = []NVIndexReport{}
				case strings.HasPrefix(x.what, "TPM_GetCapability(NV_INDEX"):
					var pub tpm.NVDataPublic
					if err := pub.Unmarshal(sized(t, x.rsp)); err != nil {
						t.Fatal(err)
					}
					r.NVIndices = append(r.NVIndices, nvReport(pub))
				}
			}
			var got bytes.Buffer
			if err := r.WriteNVInfo(&got, listOnly); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(tr, ".trace") + ".stdout")
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("WriteNVInfo:\n%s\nwant (tpm_nvinfo):\n%s", got.String(), want)
			}
		})
	}
}
