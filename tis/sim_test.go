package tis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/engine/tpm20"
	"tpmbench/lpcsim/scenario"
	"tpmbench/lpcsim/tisdev"
	"tpmbench/tis"
	"tpmbench/tpm"
)

var update = flag.Bool("update", false, "rewrite golden files")

// scenarioBench builds a built-in scenario's bench, with extra faults.
func scenarioBench(t testing.TB, name string, faults ...lpcsim.Fault) *lpcsim.Bench {
	t.Helper()
	s, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	s.Faults = append(append([]lpcsim.Fault(nil), s.Faults...), faults...)
	b, err := scenario.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deviceBench builds an APU bench with the full wiring, the given personality and a TPM 1.2
// engine, for device-level faults that scenarios do not name.
func deviceBench(t testing.TB, p tisdev.Personality, opts ...tpm12.Option) *lpcsim.Bench {
	t.Helper()
	eng := tpm12.New(opts...)
	b, err := lpcsim.New(lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(p, eng), Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tpm20Bench builds an APU bench with the Infineon SLB9665 (TPM 2.0 on TIS 1.3, INTERFACE_ID
// all ones) and the built-in TPM 2.0 engine.
func tpm20Bench(t testing.TB) *lpcsim.Bench {
	t.Helper()
	eng := tpm20.New()
	b, err := lpcsim.New(lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(tisdev.SLB9665(), eng), Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "fixtures", "tis", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tis -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestProbeDefaultScenario probes the reference bench and checks the three kernel lines of
// the reference write-up, in order, and the whole report against golden files.
func TestProbeDefaultScenario(t *testing.T) {
	b := scenarioBench(t, "default")
	var log bytes.Buffer
	conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{Log: &log})
	if err != nil {
		t.Fatalf("Probe: %v\n%s", err, log.String())
	}
	defer conn.Release()
	want := []string{"1.2 TPM (device-id 0xB, rev-id 16)", "Issuing TPM_STARTUP", "TPM is disabled/deactivated (0x7)"}
	if strings.Join(rep.Log, "\n") != strings.Join(want, "\n") {
		t.Errorf("log = %q, want %q", rep.Log, want)
	}
	if !strings.Contains(log.String(), "tpm_tis: Issuing TPM_STARTUP\n") {
		t.Errorf("Options.Log did not receive the lines as they happened:\n%s", log.String())
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"family", rep.Family, "1.2"},
		{"vendor", rep.Vendor, "Infineon"},
		{"device", rep.Device, "SLB9635 TT 1.2"},
		{"startup issued", rep.Startup.Issued, true},
		{"already started", rep.Startup.AlreadyStarted, false},
		{"pcr0", rep.PCR0, "TPM_DISABLED (0x7)"},
		{"enabled", *rep.Enabled, false},
		{"active", *rep.Active, false},
		{"owned", *rep.Owned, false},
		{"nvLocked", *rep.NVLocked, false},
		{"timeouts from the TPM", rep.Timeouts.Source, "tpm"},
		{"complete", rep.Complete, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	var text, js bytes.Buffer
	rep.WriteText(&text)
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "default.txt", text.Bytes())
	golden(t, "default.json", js.Bytes())
}

// TestProbeTPM20 probes the TPM 2.0 bench: detected as 2.0 although INTERFACE_ID reads all
// ones (TIS 1.3), started with TPM2_Startup after TPM_RC_INITIALIZE, fixed properties read.
// The log is in the words of Linux's tpm2_auto_startup, not the 3.x TPM 1.2 driver's.
func TestProbeTPM20(t *testing.T) {
	b := tpm20Bench(t)
	conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{})
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	conn.Release()
	if rep.Family != "2.0" || rep.Interface != "TIS 1.3 for TPM 2.0" || rep.InterfaceID == nil || *rep.InterfaceID != 0xFFFFFFFF {
		t.Errorf("family %s interface %q id %v", rep.Family, rep.Interface, rep.InterfaceID)
	}
	if !rep.Startup.Issued || rep.Startup.AlreadyStarted || rep.SelfTest != "passed" {
		t.Errorf("startup %+v self-test %q", *rep.Startup, rep.SelfTest)
	}
	if rep.Version == nil || rep.Version.TPMVendorID != "IFX" || rep.Version.TPMVersion != "2.0" {
		t.Errorf("version %+v", rep.Version)
	}
	if len(rep.Errors) != 0 || rep.NVIndices == nil || len(rep.NVIndices) != 0 {
		t.Errorf("command errors %q, NV indices %v; want none of either, the list read", rep.Errors, rep.NVIndices)
	}
	wantLog := []string{"2.0 TPM (device-id 0x1A, rev-id 16)", "A TPM error (256) occurred attempting the self test", "starting up the TPM manually"}
	if strings.Join(rep.Log, "\n") != strings.Join(wantLog, "\n") {
		t.Errorf("log %q, want %q", rep.Log, wantLog)
	}
	var text, js bytes.Buffer
	rep.WriteText(&text)
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "tpm20.txt", text.Bytes())
	golden(t, "tpm20.json", js.Bytes())

	// A second probe finds it started: the fact is reported, nothing fails.
	conn, rep, err = tis.Probe(context.Background(), b.Host, tis.Options{Startup: tis.StartupAlways})
	if err != nil {
		t.Fatalf("second Probe: %v", err)
	}
	conn.Release()
	if !rep.Startup.AlreadyStarted || !rep.Startup.Issued {
		t.Errorf("second probe startup %+v, want already started", *rep.Startup)
	}
}

// TestStartupPolicies runs the three policies on an un-started and on a started TPM 1.2.
func TestStartupPolicies(t *testing.T) {
	tests := []struct {
		name            string
		policy          tis.StartupPolicy
		started         bool
		issued, already bool
		isStarted       bool
		logStartup      bool
	}{
		{"auto, not started", tis.StartupAuto, false, true, false, true, true},
		{"auto, started", tis.StartupAuto, true, false, true, true, false},
		{"always, not started", tis.StartupAlways, false, true, false, true, false},
		{"always, started: already started is a fact", tis.StartupAlways, true, true, true, true, false},
		{"never, not started", tis.StartupNever, false, false, false, false, false},
		{"never, started", tis.StartupNever, true, false, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := deviceBench(t, tisdev.SLB9635())
			if tt.started {
				// Start the TPM the way firmware would: a first probe sends TPM_Startup.
				conn, _, err := tis.Probe(context.Background(), b.Host, tis.Options{SkipDetails: true})
				if err != nil {
					t.Fatal(err)
				}
				conn.Release()
			}
			conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{Startup: tt.policy})
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			defer conn.Release()
			s := rep.Startup
			if s.Issued != tt.issued || s.AlreadyStarted != tt.already || s.Started != tt.isStarted {
				t.Errorf("startup = %+v, want issued %v already %v started %v", *s, tt.issued, tt.already, tt.isStarted)
			}
			if got := strings.Contains(strings.Join(rep.Log, "\n"), "Issuing TPM_STARTUP"); got != tt.logStartup {
				t.Errorf("log %q: Issuing TPM_STARTUP present = %v, want %v", rep.Log, got, tt.logStartup)
			}
			if !tt.isStarted && rep.PCR0 != "" {
				t.Errorf("an un-started TPM got PCRRead: %q", rep.PCR0)
			}
		})
	}
}

// TestProbeLocality probes at localities 0-3; locality 4 belongs to the chipset (software
// writes to it are ignored), so asking for it is refused before the bus is touched, with a
// diagnosis that blames no wire.
func TestProbeLocality(t *testing.T) {
	for _, loc := range []int{4, 5, -1} {
		b := deviceBench(t, tisdev.SLB9635())
		_, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{Locality: loc, SkipDetails: true})
		if !errors.Is(err, tis.ErrBadOptions) || rep.Diagnosis.Symptom != tis.SymptomOptions || len(rep.Diagnosis.Signals()) != 0 {
			t.Errorf("locality %d: err %v, diagnosis %+v; want refused options and no signal to check", loc, err, rep.Diagnosis)
		}
		if cycles := b.Host.Stats().Cycles; cycles != 0 {
			t.Errorf("locality %d: %d bus cycles before refusing", loc, cycles)
		}
		if _, err := tis.Open(context.Background(), b.Host, loc, tis.Family12); !errors.Is(err, tis.ErrBadOptions) {
			t.Errorf("Open(locality %d): %v, want ErrBadOptions", loc, err)
		}
	}
	_, rep, err := tis.Probe(context.Background(), deviceBench(t, tisdev.SLB9635()).Host, tis.Options{Locality: 4})
	if msg := fmt.Sprint(err); !strings.Contains(msg, "locality 4") || !strings.Contains(msg, "reserved for the chipset") {
		t.Errorf("locality 4: error %q does not say it is reserved for the chipset", msg)
	}
	var text strings.Builder
	rep.WriteText(&text)
	if strings.Contains(text.String(), "no TPM answered") {
		t.Errorf("a refused probe reports a missing TPM:\n%s", text.String())
	}
	for l := range 4 {
		b := deviceBench(t, tisdev.SLB9635())
		conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{Locality: l, SkipDetails: true})
		if err != nil {
			t.Fatalf("locality %d: %v", l, err)
		}
		if conn.Locality() != l || rep.Locality != l {
			t.Errorf("locality %d: conn at %d, report %d", l, conn.Locality(), rep.Locality)
		}
		if err := conn.Release(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestProbeDeviceFaults: TPMs that answer but break the TIS protocol. Each must fail within
// its timeout, with the symptom named, and never hang (synctest: the timeouts cost no time).
func TestProbeDeviceFaults(t *testing.T) {
	tests := []struct {
		name    string
		faults  tisdev.Faults
		symptom tis.Symptom
		err     error
	}{
		{"tpmRegValidSts never set", tisdev.Faults{NeverValid: true}, tis.SymptomNotValid, tis.ErrNotValid},
		{"locality never granted", tisdev.Faults{NeverGrant: true}, tis.SymptomLocality, tis.ErrLocalityDenied},
		{"burstCount stuck at 0", tisdev.Faults{BurstZero: true}, tis.SymptomBurstZero, tis.ErrTimeout},
		{"stsValid never set", tisdev.Faults{NoStsValid: true}, tis.SymptomStsValid, tis.ErrTimeout},
		{"size field lies (+4)", tisdev.Faults{SizeDelta: 4}, tis.SymptomBadSize, tis.ErrBadResponse},
		{"size field lies (-3)", tisdev.Faults{SizeDelta: -3}, tis.SymptomBadSize, tis.ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tisdev.SLB9635()
			p.Faults = tt.faults
			b := deviceBench(t, p)
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				_, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{})
				took := time.Since(start)
				if !errors.Is(err, tt.err) {
					t.Fatalf("Probe error = %v, want %v", err, tt.err)
				}
				if rep.Diagnosis == nil || rep.Diagnosis.Symptom != tt.symptom {
					t.Fatalf("diagnosis = %+v, want symptom %s", rep.Diagnosis, tt.symptom)
				}
				if took > 10*time.Second {
					t.Errorf("probe took %v of simulated time", took)
				}
				t.Logf("%s after %v: %v", tt.symptom, took, err)
			})
		})
	}
}

// TestProbeCancel: a cancelled context ends a wait at once.
func TestProbeCancel(t *testing.T) {
	p := tisdev.SLB9635()
	p.Faults.NeverValid = true
	b := deviceBench(t, p)
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, rep, err := tis.Probe(ctx, b.Host, tis.Options{})
		if !errors.Is(err, tis.ErrCanceled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Probe error = %v, want ErrCanceled wrapping context.Canceled", err)
		}
		if took := time.Since(start); took > 110*time.Millisecond {
			t.Errorf("cancel took effect after %v", took)
		}
		if rep.Diagnosis.Symptom != tis.SymptomCanceled {
			t.Errorf("symptom %s, want %s", rep.Diagnosis.Symptom, tis.SymptomCanceled)
		}
	})
}

// TestTraceBus logs every access with the register name.
func TestTraceBus(t *testing.T) {
	b := deviceBench(t, tisdev.SLB9635())
	var trace bytes.Buffer
	conn, _, err := tis.Probe(context.Background(), tis.TraceBus{Bus: b.Host, W: &trace}, tis.Options{SkipDetails: true})
	if err != nil {
		t.Fatal(err)
	}
	conn.Release()
	lines := strings.Split(strings.TrimSpace(trace.String()), "\n")
	if !strings.Contains(lines[0], "read  reg 0x0f00 DID_VID_0") || !strings.Contains(lines[0], "0x000b15d1") {
		t.Errorf("first trace line %q, want the DID_VID read", lines[0])
	}
	for _, want := range []string{"write reg 0x0000 ACCESS_0", "write reg 0x0024 DATA_FIFO_0", "read  reg 0x0018 STS_0"} {
		if !strings.Contains(trace.String(), want) {
			t.Errorf("trace lacks %q", want)
		}
	}
}

// BenchmarkProbe measures one full simulated probe of the reference TPM 1.2 (Startup,
// self-test, PCR 0, version, flags, NV list) with the built-in engine: wall time per probe
// (ns/op) and the simulated LPC bus time it takes (bus-µs/op).
func BenchmarkProbe(b *testing.B) {
	bench := deviceBench(b, tisdev.SLB9635())
	var busPS uint64
	for b.Loop() {
		bench.Reset() // LRESET#: TPM_Init, so every probe sends TPM_Startup again
		t0 := bench.Time()
		conn, rep, err := tis.Probe(context.Background(), bench.Host, tis.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !rep.Startup.Issued || rep.NVIndices == nil {
			b.Fatalf("probe incomplete: %+v", rep.Startup)
		}
		conn.Release()
		busPS += bench.Time() - t0
	}
	b.ReportMetric(float64(busPS)/1e6/float64(b.N), "bus-µs/op")
}

// TestNVListAndLock defines an NV area and the lock index on the simulated TPM 1.2 through a
// probed connection, probes again, and checks the NV list (tpm_nvinfo format) and nvLocked:
// the lock index never appears in the list, nvLocked tells whether it was defined.
func TestNVListAndLock(t *testing.T) {
	b := deviceBench(t, tisdev.SLB9635())
	conn, rep, err := tis.Probe(context.Background(), b.Host, tis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if *rep.NVLocked || len(rep.NVIndices) != 0 {
		t.Fatalf("factory state: nvLocked %v, %d indices", *rep.NVLocked, len(rep.NVIndices))
	}
	for _, cmd := range [][]byte{
		tpm.NVDefineSpace(tpm.NewNVDataPublic(0x00011000, tpm.NVPerPPRead|tpm.NVPerPPWrite, 8)),
		tpm.NVLock(),
	} {
		raw, err := conn.Send(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := tpm.ParseResponse(raw); err != nil || r.Err() != nil {
			t.Fatalf("NV_DefineSpace: % x, %v, %v", raw, err, r.Err())
		}
	}
	conn.Release()
	conn, rep, err = tis.Probe(context.Background(), b.Host, tis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conn.Release()
	if !*rep.NVLocked {
		t.Error("nvLocked still FALSE after defining TPM_NV_INDEX_LOCK")
	}
	var out bytes.Buffer
	if err := rep.WriteNVInfo(&out, false); err != nil {
		t.Fatal(err)
	}
	want := "NVRAM index   : 0x00011000 (69632)\nPCR read  selection:\n Localities   : ALL\nPCR write selection:\n Localities   : ALL\n" +
		"Permissions   : 0x00010001 (PPREAD|PPWRITE)\nbReadSTClear  : FALSE\nbWriteSTClear : FALSE\nbWriteDefine  : FALSE\nSize          : 8 (0x8)\n\n"
	if out.String() != want {
		t.Errorf("nv list:\n%s\nwant (tpm_nvinfo on the same area):\n%s", out.String(), want)
	}
}

// TestReportShowsOnlyWhatWasRead: a probe that stops after DID_VID (TPM_ACCESS never valid)
// has not read RID, INTF_CAPABILITY or INTERFACE_ID; the text leaves them out and the JSON
// keeps their names with null values, instead of zeros that look like register contents.
func TestReportShowsOnlyWhatWasRead(t *testing.T) {
	p := tisdev.SLB9635()
	p.Faults.NeverValid = true
	synctest.Test(t, func(t *testing.T) {
		_, rep, err := tis.Probe(context.Background(), deviceBench(t, p).Host, tis.Options{})
		if !errors.Is(err, tis.ErrNotValid) {
			t.Fatalf("err %v, want ErrNotValid", err)
		}
		var text strings.Builder
		rep.WriteText(&text)
		for _, bad := range []string{"RID", "INTF_CAPABILITY", "INTERFACE_ID", "interface:"} {
			if strings.Contains(text.String(), bad) {
				t.Errorf("the report shows %s, which was never read:\n%s", bad, text.String())
			}
		}
		if !strings.Contains(text.String(), "(DID 0x000b)") {
			t.Errorf("the report lost the device ID it did read:\n%s", text.String())
		}
		var js bytes.Buffer
		if err := rep.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		if err := json.Unmarshal(js.Bytes(), &fields); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"revision_id", "intf_capability", "interface_id"} {
			if v, ok := fields[k]; !ok || v != nil {
				t.Errorf("JSON %s = %v (present %v), want null", k, v, ok)
			}
		}
		if fields["did_vid"] != "0x000b15d1" {
			t.Errorf("JSON did_vid = %v", fields["did_vid"])
		}
	})
}

// TestStartupUnknownOnFailure: a TPM whose first command answers TPM_FAIL (the register file
// with no engine behind it) has not said whether it is started; the report says what it
// answered instead of claiming it is not started.
func TestStartupUnknownOnFailure(t *testing.T) {
	_, rep, err := tis.Probe(context.Background(), scenarioBench(t, "bare").Host, tis.Options{})
	if !errors.Is(err, tpm.RCFail) || rep.Diagnosis.Symptom != tis.SymptomTPMError {
		t.Fatalf("err %v, diagnosis %+v; want TPM_FAIL and a TPM error", err, rep.Diagnosis)
	}
	s := rep.Startup
	if s == nil || !s.Unknown || s.Started || s.ProbeResult != "TPM_FAIL (0x9)" || s.ProbeCommand != "GetCapability(TPM_CAP_PROP_TIS_TIMEOUT)" {
		t.Fatalf("startup %+v; want unknown after TPM_FAIL to GetCapability", s)
	}
	var text strings.Builder
	rep.WriteText(&text)
	want := "startup:          unknown: the TPM answered TPM_FAIL (0x9) to GetCapability(TPM_CAP_PROP_TIS_TIMEOUT); it may be in failure mode"
	if !strings.Contains(text.String(), want) || strings.Contains(text.String(), "refuses commands until TPM_Startup") {
		t.Errorf("report:\n%s\nwant the line %q", text.String(), want)
	}
}
