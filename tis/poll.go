package tis

import (
	"context"
	"fmt"
	"time"
)

// Polling: a few reads back to back (a ready TPM answers at once), then one read per
// pollInterval until the deadline. Every wait ends early when the context ends.
const (
	spinReads    = 16
	pollInterval = time.Millisecond
)

// poll calls check until it reports done, the timeout passes or ctx ends. On a timeout it
// returns an *Error with the symptom and op given, wrapping ErrTimeout (or notDone if given).
func poll(ctx context.Context, timeout time.Duration, s Symptom, op string, check func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for i := 0; ; i++ {
		done, err := check()
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fail(SymptomCanceled, fmt.Errorf("%w: %w", ErrCanceled, err), "%s", op)
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fail(s, fmt.Errorf("%w: not within %v", ErrTimeout, timeout), "%s", op)
		}
		if i < spinReads {
			continue
		}
		wait := min(pollInterval, left)
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return fail(SymptomCanceled, fmt.Errorf("%w: %w", ErrCanceled, ctx.Err()), "%s", op)
		case <-timer.C:
		}
	}
}
