package tis

import (
	"context"
	"errors"
	"fmt"
)

func (c *Conn) readAccess() (Access, error) {
	v, err := c.bus.Read8(Offset(c.loc, RegAccess))
	if err != nil {
		return 0, fail(SymptomBusError, err, "read %s", RegName(Offset(c.loc, RegAccess)))
	}
	return Access(v), nil
}

// waitValid polls TPM_ACCESS until tpmRegValidSts is set, within TIMEOUT_A.
func (c *Conn) waitValid(ctx context.Context) (Access, error) {
	var a Access
	err := poll(ctx, c.Timeouts.A, SymptomNotValid,
		fmt.Sprintf("locality %d: TPM_ACCESS.tpmRegValidSts (TIMEOUT_A)", c.loc),
		func() (bool, error) {
			var err error
			a, err = c.readAccess()
			return err == nil && a.Valid(), err
		})
	if err != nil {
		return a, wrapLast(err, fmt.Sprintf("last TPM_ACCESS %#02x", uint8(a)), ErrNotValid)
	}
	return a, nil
}

// requestLocality writes requestUse and waits, within TIMEOUT_A, until the locality is active
// with requestUse cleared.
func (c *Conn) requestLocality(ctx context.Context) error {
	a, err := c.readAccess()
	if err != nil {
		return err
	}
	if a.Granted() {
		return nil
	}
	if err := c.bus.Write8(Offset(c.loc, RegAccess), uint8(AccessRequestUse)); err != nil {
		return fail(SymptomBusError, err, "write %s", RegName(Offset(c.loc, RegAccess)))
	}
	err = poll(ctx, c.Timeouts.A, SymptomLocality,
		fmt.Sprintf("locality %d not granted (TIMEOUT_A)", c.loc),
		func() (bool, error) {
			var err error
			a, err = c.readAccess()
			return err == nil && a.Granted(), err
		})
	if err != nil {
		return wrapLast(err, fmt.Sprintf("last TPM_ACCESS %#02x = %v", uint8(a), a), ErrLocalityDenied)
	}
	return nil
}

// Release relinquishes the locality (writes activeLocality to TPM_ACCESS).
func (c *Conn) Release() error {
	if err := c.bus.Write8(Offset(c.loc, RegAccess), uint8(AccessActiveLocality)); err != nil {
		return fail(SymptomBusError, err, "release locality %d", c.loc)
	}
	return nil
}

// wrapLast adds what the register read last, and a sentinel, to a timeout error.
func wrapLast(err error, last string, sentinel error) error {
	e, ok := err.(*Error)
	if !ok || e.Symptom == SymptomCanceled || e.Symptom == SymptomBusError {
		return err
	}
	inner := e.Err
	if last != "" {
		inner = fmt.Errorf("%w; %s", e.Err, last)
	}
	if errors.Is(inner, sentinel) {
		return &Error{Symptom: e.Symptom, Op: e.Op, Err: inner}
	}
	return &Error{Symptom: e.Symptom, Op: e.Op, Err: fmt.Errorf("%w: %w", sentinel, inner)}
}

// CheckLocality returns an error unless software may request locality loc: 0 to 3. Locality 4
// is in the TIS window but belongs to the chipset: only the dynamic root of trust (Intel TXT,
// AMD SKINIT) reaches it with hardware cycles, and a TPM ignores software writes there, so a
// request would time out and look like a wiring fault. The error wraps ErrBadOptions.
func CheckLocality(loc int) error {
	switch {
	case loc == Localities-1:
		return fail(SymptomOptions, fmt.Errorf("%w: it is reserved for the chipset's dynamic root of trust (Intel TXT, AMD SKINIT) and the TPM ignores software writes there; use locality 0-%d",
			ErrBadOptions, Localities-2), "locality %d", loc)
	case loc < 0 || loc >= Localities:
		return fail(SymptomOptions, fmt.Errorf("%w: want 0-%d", ErrBadOptions, Localities-2), "locality %d", loc)
	}
	return nil
}
