package tis

import (
	"fmt"
	"math"
	"time"
)

// Timeouts are the four TIS timeouts (TIS 1.2 §11.2.13, PTP §6.5.1.3). The driver uses A for
// ACCESS and locality grants, B for commandReady, C for stsValid and dataAvail, and D for
// burstCount.
type Timeouts struct {
	// A bounds ACCESS validity and locality grants; B commandReady; C stsValid and dataAvail;
	// D burstCount.
	A, B, C, D time.Duration
}

// Durations bound how long a command may execute before dataAvail, by duration class.
type Durations struct {
	// Short, Medium and Long are the limits of the TPM's three duration classes (TPM 1.2
	// TPM_CAP_PROP_DURATION; TPM 2.0 uses the PTP defaults).
	Short, Medium, Long time.Duration
}

// Default timeouts and durations, from the TIS and PTP specifications and the Linux driver.
var (
	// DefaultTimeouts12 are the TIS 1.2 defaults, used until a TPM 1.2 reports its own.
	DefaultTimeouts12 = Timeouts{A: 750 * time.Millisecond, B: 2000 * time.Millisecond, C: 750 * time.Millisecond, D: 750 * time.Millisecond}
	// DefaultTimeouts20 are the PTP defaults for TPM 2.0.
	DefaultTimeouts20 = Timeouts{A: 750 * time.Millisecond, B: 2000 * time.Millisecond, C: 200 * time.Millisecond, D: 30 * time.Millisecond}
	// DefaultDurations12 are SeaBIOS's defaults for a TPM 1.2 that has not reported its
	// durations.
	DefaultDurations12 = Durations{Short: 2 * time.Second, Medium: 20 * time.Second, Long: 60 * time.Second}
	// DefaultDurations20 are the Linux TPM 2.0 durations.
	DefaultDurations20 = Durations{Short: 20 * time.Millisecond, Medium: 750 * time.Millisecond, Long: 2000 * time.Millisecond}
)

// beforeDetection are the timeouts used before the family is known: the larger of the 1.2 and
// 2.0 values, as Linux does.
var beforeDetection = DefaultTimeouts12

// Bounds of a timeout scale factor (Options.TimeoutScale, --timeout-scale). Below
// MinTimeoutScale a TIS timeout is shorter than a few bus cycles; above MaxTimeoutScale a probe
// of a dead bus would wait for hours.
const (
	MinTimeoutScale = 0.01
	MaxTimeoutScale = 1000
)

// MaxWait bounds every scaled timeout and duration, whatever the factor or the values a TPM
// reports: a scaled wait never exceeds it and is never negative.
const MaxWait = 24 * time.Hour

// CheckTimeoutScale returns an error (wrapping ErrBadOptions) unless f is a usable timeout scale: 0 (meaning 1) or a
// factor from MinTimeoutScale to MaxTimeoutScale. NaN and infinities are refused.
func CheckTimeoutScale(f float64) error {
	if f == 0 || (f >= MinTimeoutScale && f <= MaxTimeoutScale) {
		return nil
	}
	return fail(SymptomOptions, fmt.Errorf("%w: want a factor from %g to %g", ErrBadOptions, float64(MinTimeoutScale), float64(MaxTimeoutScale)), "timeout scale %g", f)
}

// scaleDuration multiplies d by f, saturating: f is clamped to MinTimeoutScale..MaxTimeoutScale
// (NaN counts as 1) and the result to 0..MaxWait, so no factor overflows into a negative or
// unbounded wait.
func scaleDuration(d time.Duration, f float64) time.Duration {
	switch {
	case math.IsNaN(f):
		f = 1
	case f < MinTimeoutScale:
		f = MinTimeoutScale
	case f > MaxTimeoutScale:
		f = MaxTimeoutScale
	}
	x := float64(d) * f
	switch {
	case x <= 0:
		return 0
	case x >= float64(MaxWait):
		return MaxWait
	}
	return time.Duration(x)
}

// Scale multiplies every timeout by f (for slow bridges or patient benches). It saturates: f
// is taken within MinTimeoutScale..MaxTimeoutScale (NaN as 1), and each result within
// 0..MaxWait.
func (t Timeouts) Scale(f float64) Timeouts {
	return Timeouts{A: scaleDuration(t.A, f), B: scaleDuration(t.B, f), C: scaleDuration(t.C, f), D: scaleDuration(t.D, f)}
}

// Scale multiplies every duration by f, saturating as Timeouts.Scale does.
func (d Durations) Scale(f float64) Durations {
	return Durations{Short: scaleDuration(d.Short, f), Medium: scaleDuration(d.Medium, f), Long: scaleDuration(d.Long, f)}
}

// String prints the four timeouts in milliseconds.
func (t Timeouts) String() string {
	return fmt.Sprintf("A=%v B=%v C=%v D=%v", t.A, t.B, t.C, t.D)
}

// String prints the three durations.
func (d Durations) String() string {
	return fmt.Sprintf("short=%v medium=%v long=%v", d.Short, d.Medium, d.Long)
}

// timeoutsFromTPM turns the four microsecond values of TPM_CAP_PROP_TIS_TIMEOUT into Timeouts
// the way Linux does: a zero keeps the default, and values of A below 1000 are taken to be
// milliseconds (some chips report them so). The note says what was adjusted, or is empty.
func timeoutsFromTPM(us [4]uint32, def Timeouts) (t Timeouts, note string) {
	scale := time.Microsecond
	if us[0] != 0 && us[0] < 1000 {
		scale = time.Millisecond
		note = fmt.Sprintf("Adjusting reported timeouts: A %d->%dus B %d->%dus C %d->%dus D %d->%dus",
			us[0], us[0]*1000, us[1], us[1]*1000, us[2], us[2]*1000, us[3], us[3]*1000)
	}
	pick := func(v uint32, d time.Duration) time.Duration {
		if v == 0 {
			return d
		}
		return time.Duration(v) * scale
	}
	return Timeouts{A: pick(us[0], def.A), B: pick(us[1], def.B), C: pick(us[2], def.C), D: pick(us[3], def.D)}, note
}

// durationsFromTPM turns the three microsecond values of TPM_CAP_PROP_DURATION into Durations:
// zeros keep the default, and a short duration below 10 ms means the chip reported
// milliseconds (Broadcom), so all three are multiplied by 1000, as Linux does.
func durationsFromTPM(us [3]uint32, def Durations) (d Durations, note string) {
	scale := time.Microsecond
	if us[0] != 0 && us[0] < 10000 {
		scale = time.Millisecond
		note = "Adjusting TPM timeout parameters."
	}
	pick := func(v uint32, x time.Duration) time.Duration {
		if v == 0 {
			return x
		}
		return time.Duration(v) * scale
	}
	return Durations{Short: pick(us[0], def.Short), Medium: pick(us[1], def.Medium), Long: pick(us[2], def.Long)}, note
}
