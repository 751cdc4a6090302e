package tis_test

import (
	"bytes"
	"context"
	"errors"
	"math"
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

// TestTimeoutScaleBounds: a factor that would overflow or vanish is refused by Probe, and
// Scale saturates for callers that scale by hand, so no wait is ever negative or unbounded.
func TestTimeoutScaleBounds(t *testing.T) {
	for _, f := range []float64{math.Inf(1), math.Inf(-1), math.NaN(), 1e300, 1e-12, -1, 1001, 0.009} {
		_, rep, err := tis.Probe(context.Background(), deviceBench(t, tisdev.SLB9635()).Host, tis.Options{TimeoutScale: f})
		if !errors.Is(err, tis.ErrBadOptions) || rep.Diagnosis.Symptom != tis.SymptomOptions {
			t.Errorf("Probe with scale %g: %v, want ErrBadOptions", f, err)
		}
	}
	for _, f := range []float64{0, tis.MinTimeoutScale, 1, tis.MaxTimeoutScale} {
		if err := tis.CheckTimeoutScale(f); err != nil {
			t.Errorf("CheckTimeoutScale(%g): %v", f, err)
		}
	}
	for _, tt := range []struct {
		f    float64
		want time.Duration // what TIMEOUT_A (750ms) becomes
	}{
		{math.Inf(1), 750 * time.Second}, {1e300, 750 * time.Second}, {math.NaN(), 750 * time.Millisecond},
		{1e-12, 7500 * time.Microsecond}, {math.Inf(-1), 7500 * time.Microsecond}, {2, 1500 * time.Millisecond},
	} {
		got := tis.DefaultTimeouts12.Scale(tt.f)
		if got.A != tt.want {
			t.Errorf("Scale(%g).A = %v, want %v", tt.f, got.A, tt.want)
		}
		for _, d := range []time.Duration{got.A, got.B, got.C, got.D} {
			if d < 0 || d > tis.MaxWait {
				t.Errorf("Scale(%g) gives %v, outside 0..%v", tt.f, d, tis.MaxWait)
			}
		}
	}
	huge := tis.Durations{Short: time.Duration(math.MaxUint32) * time.Millisecond, Medium: -time.Second, Long: math.MaxInt64}
	if got := huge.Scale(tis.MaxTimeoutScale); got.Short != tis.MaxWait || got.Medium != 0 || got.Long != tis.MaxWait {
		t.Errorf("Durations.Scale saturates to %v, want short and long %v, medium 0", got, tis.MaxWait)
	}
}
