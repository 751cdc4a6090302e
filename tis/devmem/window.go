package devmem

import (
	"fmt"
	"io"
	"unsafe"
)

// Window is a mapped register window. It satisfies tis.Bus: offsets are relative to the start
// of the window. Accesses out of range or misaligned fail without touching memory.
type Window struct {
	mem    []byte
	closer io.Closer // the mapping; nil for FromBytes
}

// FromBytes returns a Window over plain memory, for tests of the access layer. The slice must
// be 4-byte aligned for 32-bit accesses to be allowed.
func FromBytes(b []byte) *Window { return &Window{mem: b} }

func (w *Window) check(off uint32, width int) error {
	if uint64(off)+uint64(width) > uint64(len(w.mem)) {
		return fmt.Errorf("devmem: %d-byte access at offset %#x is outside the %#x-byte window", width, off, len(w.mem))
	}
	if width == 4 && (uintptr(unsafe.Pointer(&w.mem[off])))%4 != 0 {
		return fmt.Errorf("devmem: 32-bit access at offset %#x is not 4-byte aligned", off)
	}
	return nil
}

// Read8 reads one byte register.
func (w *Window) Read8(off uint32) (uint8, error) {
	if err := w.check(off, 1); err != nil {
		return 0, err
	}
	return load8(ptr8(w.mem, off)), nil
}

// Write8 writes one byte register.
func (w *Window) Write8(off uint32, v uint8) error {
	if err := w.check(off, 1); err != nil {
		return err
	}
	store8(ptr8(w.mem, off), v)
	return nil
}

// Read32 reads one aligned 32-bit register with a single load.
func (w *Window) Read32(off uint32) (uint32, error) {
	if err := w.check(off, 4); err != nil {
		return 0, err
	}
	return load32(ptr32(w.mem, off)), nil
}

// Write32 writes one aligned 32-bit register with a single store.
func (w *Window) Write32(off uint32, v uint32) error {
	if err := w.check(off, 4); err != nil {
		return err
	}
	store32(ptr32(w.mem, off), v)
	return nil
}

// Close unmaps the window.
func (w *Window) Close() error {
	if w.closer == nil {
		return nil
	}
	err := w.closer.Close()
	w.closer, w.mem = nil, nil
	return err
}
