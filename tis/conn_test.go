package tis_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"tpmbench/lpcsim/tisdev"
	"tpmbench/tis"
	"tpmbench/tpm"
)

// TestOpenAndSend takes a locality without probing and moves raw commands through the FIFO.
func TestOpenAndSend(t *testing.T) {
	b := deviceBench(t, tisdev.SLB9635())
	conn, err := tis.Open(context.Background(), b.Host, 1, tis.Family12)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	rsp, err := conn.Send(tpm.Startup(tpm.STClear))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rsp, []byte{0x00, 0xC4, 0, 0, 0, 0x0A, 0, 0, 0, 0}) {
		t.Errorf("Startup response % x", rsp)
	}
	rsp, err = conn.Send(tpm.Startup(tpm.STClear))
	if err != nil || tpm.RC(rsp[9]) != tpm.RCInvalidPostinit {
		t.Errorf("second Startup: % x, %v; want TPM_INVALID_POSTINIT", rsp, err)
	}
	if _, err := conn.Send([]byte{0, 0xC1, 0, 0}); err == nil {
		t.Error("a 4-byte command was sent")
	}
	if _, err := tis.Open(context.Background(), b.Host, 5, tis.Family12); err == nil {
		t.Error("Open accepted locality 5")
	}
}

// TestResponseRetry: when the size field lies the driver asks for the response again
// (responseRetry, STS bit 1) before giving up.
func TestResponseRetry(t *testing.T) {
	p := tisdev.SLB9635()
	p.Faults.SizeDelta = 2
	b := deviceBench(t, p)
	var trace bytes.Buffer
	synctest.Test(t, func(t *testing.T) {
		_, rep, err := tis.Probe(context.Background(), tis.TraceBus{Bus: b.Host, W: &trace}, tis.Options{})
		if !errors.Is(err, tis.ErrBadResponse) || rep.Diagnosis.Symptom != tis.SymptomBadSize {
			t.Fatalf("err %v, diagnosis %+v", err, rep.Diagnosis)
		}
	})
	n := 0
	for _, l := range strings.Split(trace.String(), "\n") {
		if strings.Contains(l, "write reg 0x0018 STS_0 ") && strings.HasSuffix(l, " 0x02") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("responseRetry written %d times, want 3", n)
	}
}

// TestUnknownVendor: a DID_VID nobody knows is a note when the probe works, and the first
// suspect when it does not (bits moved on the way: swapped or stuck LAD lines).
func TestUnknownVendor(t *testing.T) {
	p := tisdev.SLB9635()
	p.DIDVID = 0x5A5A0B0B
	conn, rep, err := tis.Probe(context.Background(), deviceBench(t, p).Host, tis.Options{SkipDetails: true})
	if err != nil {
		t.Fatal(err)
	}
	conn.Release()
	if rep.Vendor != "" || !strings.Contains(strings.Join(rep.Notes, "\n"), "not a known TPM vendor") {
		t.Errorf("vendor %q, notes %q", rep.Vendor, rep.Notes)
	}
	p.Faults.NeverGrant = true
	synctest.Test(t, func(t *testing.T) {
		_, rep, err := tis.Probe(context.Background(), deviceBench(t, p).Host, tis.Options{})
		if err == nil {
			t.Fatal("probe succeeded")
		}
		if rep.Diagnosis.Symptom != tis.SymptomLocality || !strings.HasPrefix(rep.Diagnosis.Summary, "DID_VID is neither") {
			t.Errorf("diagnosis %+v", rep.Diagnosis)
		}
	})
}

// TestTimeoutScale: --timeout-scale stretches every TIS timeout.
func TestTimeoutScale(t *testing.T) {
	p := tisdev.SLB9635()
	p.Faults.NeverValid = true
	for _, tt := range []struct {
		scale float64
		want  time.Duration
	}{{0, 750 * time.Millisecond}, {1, 750 * time.Millisecond}, {2, 1500 * time.Millisecond}, {0.1, 75 * time.Millisecond}} {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			_, _, err := tis.Probe(context.Background(), deviceBench(t, p).Host, tis.Options{TimeoutScale: tt.scale})
			if took := time.Since(start); !errors.Is(err, tis.ErrNotValid) || took != tt.want {
				t.Errorf("scale %g: gave up after %v with %v, want %v and ErrNotValid", tt.scale, took, err, tt.want)
			}
		})
	}
}
