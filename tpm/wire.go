package tpm

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by every error about bytes that do not form a valid
// TPM message or structure: too short, a size field that lies, a wrong tag.
var ErrMalformed = errors.New("malformed TPM data")

// decoder reads big-endian fields from a byte slice and remembers the first
// error, which names the byte offset (relative to base) where it happened.
type decoder struct {
	b    []byte
	off  int
	base int
	what string
	err  error
}

func newDecoder(what string, b []byte, base int) *decoder {
	return &decoder{b: b, base: base, what: what}
}

func (d *decoder) need(n int, field string) bool {
	if d.err != nil {
		return false
	}
	if n < 0 || len(d.b)-d.off < n {
		d.err = fmt.Errorf("tpm: %s: %w: %s at byte offset %d needs %d bytes, only %d left",
			d.what, ErrMalformed, field, d.base+d.off, n, len(d.b)-d.off)
		return false
	}
	return true
}

func (d *decoder) u8(field string) uint8 {
	if !d.need(1, field) {
		return 0
	}
	v := d.b[d.off]
	d.off++
	return v
}

func (d *decoder) bool(field string) bool { return d.u8(field) != 0 }

func (d *decoder) u16(field string) uint16 {
	if !d.need(2, field) {
		return 0
	}
	v := binary.BigEndian.Uint16(d.b[d.off:])
	d.off += 2
	return v
}

func (d *decoder) u32(field string) uint32 {
	if !d.need(4, field) {
		return 0
	}
	v := binary.BigEndian.Uint32(d.b[d.off:])
	d.off += 4
	return v
}

func (d *decoder) bytes(n int, field string) []byte {
	if !d.need(n, field) {
		return nil
	}
	v := make([]byte, n)
	copy(v, d.b[d.off:])
	d.off += n
	return v
}

// expect16 reads a UINT16 and fails unless it equals want (structure tags).
func (d *decoder) expect16(want uint16, field string) {
	at := d.base + d.off
	if got := d.u16(field); d.err == nil && got != want {
		d.err = fmt.Errorf("tpm: %s: %w: %s at byte offset %d is 0x%04X, want 0x%04X",
			d.what, ErrMalformed, field, at, got, want)
	}
}

// done fails if bytes are left over after a complete structure.
func (d *decoder) done() error {
	if d.err == nil && d.off != len(d.b) {
		d.err = fmt.Errorf("tpm: %s: %w: %d trailing bytes at byte offset %d",
			d.what, ErrMalformed, len(d.b)-d.off, d.base+d.off)
	}
	return d.err
}

func put16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }
func put32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }

func putBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}
