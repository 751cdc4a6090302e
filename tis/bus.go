package tis

import (
	"fmt"
	"io"
)

// Bus is the TIS register window as the host sees it. Offsets are relative to Base
// (0xFED40000): locality l's registers start at l<<12. A 32-bit access may be carried as four
// byte cycles in ascending address order, as LPC host bridges do.
//
// A simulated LPC host bridge and the /dev/mem mapping of package devmem satisfy it without
// importing this package.
type Bus interface {
	// Read8 reads the byte register at off. A read nobody answers returns 0xFF, as on the bus.
	Read8(off uint32) (uint8, error)
	// Write8 writes the byte register at off.
	Write8(off uint32, v uint8) error
	// Read32 reads the 32-bit register at off (little-endian, lowest address first).
	Read32(off uint32) (uint32, error)
	// Write32 writes the 32-bit register at off (little-endian, lowest address first).
	Write32(off uint32, v uint32) error
}

// TraceBus wraps a Bus and logs every register access, one line each, in the spirit of
// coreboot's TPM debug output: direction, register name and offset, value.
type TraceBus struct {
	Bus Bus       // the register window traced
	W   io.Writer // receives one line per access
}

// Read8 reads one byte and logs it.
func (t TraceBus) Read8(off uint32) (uint8, error) {
	v, err := t.Bus.Read8(off)
	t.log("read ", off, fmt.Sprintf("%#02x", v), err)
	return v, err
}

// Write8 writes one byte and logs it.
func (t TraceBus) Write8(off uint32, v uint8) error {
	err := t.Bus.Write8(off, v)
	t.log("write", off, fmt.Sprintf("%#02x", v), err)
	return err
}

// Read32 reads four bytes and logs them.
func (t TraceBus) Read32(off uint32) (uint32, error) {
	v, err := t.Bus.Read32(off)
	t.log("read ", off, fmt.Sprintf("%#08x", v), err)
	return v, err
}

// Write32 writes four bytes and logs them.
func (t TraceBus) Write32(off uint32, v uint32) error {
	err := t.Bus.Write32(off, v)
	t.log("write", off, fmt.Sprintf("%#08x", v), err)
	return err
}

func (t TraceBus) log(dir string, off uint32, val string, err error) {
	if err != nil {
		fmt.Fprintf(t.W, "tis: %s reg 0x%04x %-17s %s error: %v\n", dir, off, RegName(off), val, err)
		return
	}
	fmt.Fprintf(t.W, "tis: %s reg 0x%04x %-17s %s\n", dir, off, RegName(off), val)
}
