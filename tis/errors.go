package tis

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is. Every error the driver returns wraps one of them
// inside an *Error that names the symptom.
var (
	// ErrNoTPM: nothing answers in the TIS window (DID_VID reads all ones or all zeros).
	ErrNoTPM = errors.New("no TPM answers")
	// ErrTimeout: a register did not reach the expected state within its TIS timeout.
	ErrTimeout = errors.New("timeout")
	// ErrNotValid: TPM_ACCESS.tpmRegValidSts never became 1.
	ErrNotValid = errors.New("TPM_ACCESS not valid")
	// ErrLocalityDenied: the requested locality was never granted.
	ErrLocalityDenied = errors.New("locality not granted")
	// ErrProtocol: the TPM broke the FIFO protocol (Expect, dataAvail or burstCount wrong).
	ErrProtocol = errors.New("FIFO protocol violation")
	// ErrBadResponse: a response could not be read back intact (its size field lies).
	ErrBadResponse = errors.New("bad response")
	// ErrUnstable: the same register read back different values.
	ErrUnstable = errors.New("register reads are unstable")
	// ErrCanceled: the TPM canceled the command, or the caller's context ended.
	ErrCanceled = errors.New("canceled")
	// ErrBadOptions: the caller asked for something the driver refuses before touching the
	// bus (a reserved or missing locality, an unusable timeout scale).
	ErrBadOptions = errors.New("not allowed")
)

// Error is a driver failure: the symptom (for the diagnosis table), what the driver was doing,
// and the underlying error.
type Error struct {
	Symptom Symptom // what the driver saw, the key of the diagnosis table
	Op      string  // what failed, with register and locality, e.g. "locality 0 request"
	Err     error   // the underlying error, wrapping one of the sentinel errors
}

// Error returns "tis: OP: ERR".
func (e *Error) Error() string { return fmt.Sprintf("tis: %s: %v", e.Op, e.Err) }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

func fail(s Symptom, err error, format string, a ...any) error {
	return &Error{Symptom: s, Op: fmt.Sprintf(format, a...), Err: err}
}
