package tis

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Family is the TPM family: 1.2 or 2.0.
type Family int

// TPM families.
const (
	FamilyUnknown Family = iota
	Family12
	Family20
)

// String returns "1.2", "2.0" or "unknown".
func (f Family) String() string {
	switch f {
	case Family12:
		return "1.2"
	case Family20:
		return "2.0"
	}
	return "unknown"
}

// maxResponse is the largest response the driver accepts: the TIS buffer size.
const maxResponse = 4096

// responseRetries is how often a response whose header or length does not add up is read
// again with responseRetry before giving up.
const responseRetries = 3

// Conn is a probed connection to a TPM at one locality. It owns the locality until Release.
// Send moves one command through the FIFO and returns the response; Conn also implements
// go-tpm's transport.TPM and io.ReadWriter (Write sends a command, Read returns its response).
//
// A Conn is not safe for concurrent use.
type Conn struct {
	bus    Bus
	loc    int
	family Family
	// Timeouts bound every register wait; Probe sets them from the TPM (1.2) or the PTP
	// defaults (2.0).
	Timeouts Timeouts
	// Durations bound how long a command may run before its response is available.
	Durations Durations

	ctx     context.Context // used by Send, Read and Write, which take no context
	pending []byte          // response bytes not yet returned by Read
}

// Open takes locality loc on bus without probing: it waits for TPM_ACCESS to be valid and
// requests the locality, using the given family's default timeouts. Most callers want Probe,
// which also identifies the TPM and learns its timeouts.
func Open(ctx context.Context, bus Bus, loc int, family Family) (*Conn, error) {
	if err := CheckLocality(loc); err != nil {
		return nil, err
	}
	c := &Conn{bus: bus, loc: loc, family: family, ctx: ctx}
	c.setDefaults()
	if _, err := c.waitValid(ctx); err != nil {
		return nil, err
	}
	if err := c.requestLocality(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Conn) setDefaults() {
	switch c.family {
	case Family20:
		c.Timeouts, c.Durations = DefaultTimeouts20, DefaultDurations20
	case Family12:
		c.Timeouts, c.Durations = DefaultTimeouts12, DefaultDurations12
	default:
		c.Timeouts, c.Durations = beforeDetection, DefaultDurations12
	}
}

// Locality returns the locality the connection uses.
func (c *Conn) Locality() int { return c.loc }

// Family returns the TPM family the probe found.
func (c *Conn) Family() Family { return c.family }

// SetContext sets the context that Send, Read and Write use; cancelling it ends their waits.
func (c *Conn) SetContext(ctx context.Context) { c.ctx = ctx }

// Send implements go-tpm's transport.TPM: it sends one complete command and returns the
// complete response. Errors name the FIFO step that failed; a TPM return code is not an error
// here (it is in the response).
func (c *Conn) Send(cmd []byte) ([]byte, error) { return c.SendContext(c.ctx, cmd) }

// SendContext is Send with its own context.
func (c *Conn) SendContext(ctx context.Context, cmd []byte) ([]byte, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(cmd) < 10 {
		return nil, fmt.Errorf("tis: command of %d bytes is shorter than a TPM header (10 bytes)", len(cmd))
	}
	if len(cmd) > maxResponse {
		return nil, fmt.Errorf("tis: command of %d bytes is larger than the TIS buffer (%d)", len(cmd), maxResponse)
	}
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	if err := c.send(ctx, cmd); err != nil {
		c.abort()
		return nil, err
	}
	if err := c.writeSTS(StsGo); err != nil {
		return nil, err
	}
	rsp, err := c.receive(ctx, c.duration(cmd))
	c.abort() // commandReady: release the buffers, as Linux and coreboot do after a response
	return rsp, err
}

// Write implements io.Writer: it sends p as one command and keeps the response for Read.
func (c *Conn) Write(p []byte) (int, error) {
	rsp, err := c.Send(p)
	if err != nil {
		return 0, err
	}
	c.pending = rsp
	return len(p), nil
}

// Read implements io.Reader: it returns the response of the last Write. It returns the bytes
// with a nil error (go-tpm's TPM 1.2 code treats any error as failure) and io.EOF only when
// nothing is left.
func (c *Conn) Read(p []byte) (int, error) {
	if len(c.pending) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func (c *Conn) status() (Status, error) {
	v, err := c.bus.Read32(Offset(c.loc, RegSTS))
	if err != nil {
		return 0, fail(SymptomBusError, err, "read %s", RegName(Offset(c.loc, RegSTS)))
	}
	s := Status(v)
	if !s.sane() {
		// An all-ones bus or a broken chip: bits that must read zero are set. Linux treats
		// such a status as 0.
		return 0, nil
	}
	return s, nil
}

func (c *Conn) writeSTS(s Status) error {
	if err := c.bus.Write8(Offset(c.loc, RegSTS), uint8(s)); err != nil {
		return fail(SymptomBusError, err, "write %s", RegName(Offset(c.loc, RegSTS)))
	}
	return nil
}

// abort writes commandReady, which returns the TPM to Ready (ending a reception or releasing a
// read response).
func (c *Conn) abort() { _ = c.writeSTS(StsCommandReady) }

// waitSTS polls TPM_STS until every bit of mask is set, and returns the last status.
func (c *Conn) waitSTS(ctx context.Context, mask Status, timeout time.Duration, s Symptom, op string) (Status, error) {
	var st Status
	err := poll(ctx, timeout, s, op, func() (bool, error) {
		var err error
		st, err = c.status()
		return err == nil && st.Has(mask), err
	})
	if err != nil {
		return st, wrapLast(err, fmt.Sprintf("last TPM_STS %#08x = %v", uint32(st), st), ErrTimeout)
	}
	return st, nil
}

// ready puts the TPM into the Ready state: write commandReady and wait for it (TIMEOUT_B).
func (c *Conn) ready(ctx context.Context) error {
	st, err := c.status()
	if err != nil || st.Has(StsCommandReady) {
		return err
	}
	if err := c.writeSTS(StsCommandReady); err != nil {
		return err
	}
	_, err = c.waitSTS(ctx, StsCommandReady, c.Timeouts.B, SymptomCommandReady,
		fmt.Sprintf("locality %d: TPM_STS.commandReady (TIMEOUT_B)", c.loc))
	return err
}

// burstCount waits for a non-zero burstCount: TIMEOUT_D for TPM 1.2, TIMEOUT_A for TPM 2.0.
func (c *Conn) burstCount(ctx context.Context) (int, error) {
	timeout := c.Timeouts.D
	if c.family == Family20 {
		timeout = c.Timeouts.A
	}
	var bc int
	err := poll(ctx, timeout, SymptomBurstZero, fmt.Sprintf("locality %d: TPM_STS.burstCount stuck at 0", c.loc),
		func() (bool, error) {
			st, err := c.status()
			bc = st.BurstCount()
			return err == nil && bc > 0, err
		})
	return bc, err
}

func (c *Conn) writeFIFO(b []byte) error {
	off := Offset(c.loc, RegDataFIFO)
	for _, v := range b {
		if err := c.bus.Write8(off, v); err != nil {
			return fail(SymptomBusError, err, "write %s", RegName(off))
		}
	}
	return nil
}

func (c *Conn) stsValid(ctx context.Context) (Status, error) {
	return c.waitSTS(ctx, StsValid, c.Timeouts.C, SymptomStsValid,
		fmt.Sprintf("locality %d: TPM_STS.stsValid (TIMEOUT_C)", c.loc))
}

// send writes the command into the FIFO in bursts, checking Expect after each burst and after
// the last byte.
func (c *Conn) send(ctx context.Context, cmd []byte) error {
	for sent := 0; sent < len(cmd)-1; {
		bc, err := c.burstCount(ctx)
		if err != nil {
			return err
		}
		n := min(bc, len(cmd)-1-sent)
		if err := c.writeFIFO(cmd[sent : sent+n]); err != nil {
			return err
		}
		sent += n
		st, err := c.stsValid(ctx)
		if err != nil {
			return err
		}
		if !st.Has(StsExpect) {
			return fail(SymptomExpect, ErrProtocol, "locality %d: TPM_STS.Expect cleared after %d of %d command bytes (TPM_STS %v)",
				c.loc, sent, len(cmd), st)
		}
	}
	if err := c.writeFIFO(cmd[len(cmd)-1:]); err != nil {
		return err
	}
	st, err := c.stsValid(ctx)
	if err != nil {
		return err
	}
	if st.Has(StsExpect) {
		return fail(SymptomExpect, ErrProtocol, "locality %d: TPM_STS.Expect still set after all %d command bytes (TPM_STS %v)",
			c.loc, len(cmd), st)
	}
	return nil
}

// receive waits for the response within the command's duration and reads it, retrying with
// responseRetry when the bytes do not add up.
func (c *Conn) receive(ctx context.Context, d time.Duration) ([]byte, error) {
	var st Status
	err := poll(ctx, d, SymptomNoResponse, fmt.Sprintf("locality %d: no response (TPM_STS.dataAvail) within %v", c.loc, d),
		func() (bool, error) {
			var err error
			st, err = c.status()
			if err == nil && st&(StsValid|StsCommandReady|StsDataAvail|StsExpect) == StsValid|StsCommandReady {
				return false, fail(SymptomCanceled, ErrCanceled, "locality %d: TPM canceled the command (TPM_STS %v)", c.loc, st)
			}
			return err == nil && st.Has(StsValid|StsDataAvail), err
		})
	if err != nil {
		return nil, wrapLast(err, fmt.Sprintf("last TPM_STS %v", st), ErrTimeout)
	}
	var rsp []byte
	for try := 0; ; try++ {
		rsp, err = c.readResponse(ctx)
		if err == nil || !errors.Is(err, ErrBadResponse) || try == responseRetries {
			return rsp, err
		}
		if err := c.writeSTS(StsResponseRetry); err != nil {
			return nil, err
		}
	}
}

// readN reads n response bytes in bursts, waiting for dataAvail before each burst.
func (c *Conn) readN(ctx context.Context, buf []byte, n int) ([]byte, error) {
	off := Offset(c.loc, RegDataFIFO)
	for len(buf) < n {
		st, err := c.waitSTS(ctx, StsValid|StsDataAvail, c.Timeouts.C, SymptomBadSize,
			fmt.Sprintf("locality %d: TPM_STS.dataAvail dropped after %d of %d response bytes", c.loc, len(buf), n))
		if err != nil {
			return buf, wrapLast(err, "", ErrBadResponse)
		}
		bc := st.BurstCount()
		if bc == 0 {
			if bc, err = c.burstCount(ctx); err != nil {
				return buf, err
			}
		}
		for k := 0; k < bc && len(buf) < n; k++ {
			v, err := c.bus.Read8(off)
			if err != nil {
				return buf, fail(SymptomBusError, err, "read %s", RegName(off))
			}
			buf = append(buf, v)
		}
	}
	return buf, nil
}

func (c *Conn) readResponse(ctx context.Context) ([]byte, error) {
	buf, err := c.readN(ctx, make([]byte, 0, 64), 10)
	if err != nil {
		return nil, err
	}
	size := int(binary.BigEndian.Uint32(buf[2:6]))
	if size < 10 || size > maxResponse {
		return nil, fail(SymptomBadSize, ErrBadResponse, "locality %d: response header % x has size field %d (must be 10-%d)",
			c.loc, buf, size, maxResponse)
	}
	if buf, err = c.readN(ctx, buf, size); err != nil {
		return nil, err
	}
	st, err := c.stsValid(ctx)
	if err != nil {
		return nil, err
	}
	if st.Has(StsDataAvail) {
		return nil, fail(SymptomBadSize, ErrBadResponse, "locality %d: TPM still offers data after the %d bytes the size field announced (TPM_STS %v)",
			c.loc, size, st)
	}
	return buf, nil
}

// duration returns how long the command may run: TPM 1.2 by the ordinal's duration class
// (Linux's table for the bring-up ordinals, Long otherwise), TPM 2.0 the long duration.
func (c *Conn) duration(cmd []byte) time.Duration {
	if c.family == Family20 {
		return c.Durations.Long
	}
	switch binary.BigEndian.Uint32(cmd[6:10]) {
	case 0x15, 0x14, 0x46, 0x54, 0x5D, 0x65, 0x6F, 0x72, 0x7C, 0x99, 0xCC, 0xCD, 0xCF, 0x70, 0x4000000A:
		return c.Durations.Short
	case 0x98:
		return c.Durations.Medium
	}
	return c.Durations.Long
}
