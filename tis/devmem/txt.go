package devmem

import (
	"fmt"
	"io"
	"unsafe"
)

// The Intel TXT public configuration space: one 4 KiB page at 0xFED30000, mapped read-only.
// Register offsets as tboot's config_regs.h and coreboot's TXT register header give them
// (Intel TXT Software Development Guide, appendix B).
const (
	// TXTBase is the physical address of the TXT public configuration space.
	TXTBase = 0xFED30000
	// TXTSize is the one page mapped.
	TXTSize = 0x1000

	// TXTStatusOffset is TXT.STS, low 32 bits: bit 0 SENTER.DONE, bit 1 SEXIT.DONE.
	TXTStatusOffset = 0x00
	// TXTErrorStatusOffset is TXT.ESTS, low 32 bits: bit 0 TXT_RESET.STS, bit 6 WAKE_ERROR.STS.
	TXTErrorStatusOffset = 0x08
	// TXTErrorCodeOffset is TXT.ERRORCODE.
	TXTErrorCodeOffset = 0x30
)

// TXTSpace is the TXT public configuration space, readable at three fixed registers only.
// It has no write method: the mapping is read-only and a store would fault.
type TXTSpace struct {
	mem    []byte
	closer io.Closer // the mapping; nil for TXTFromBytes
}

// TXTFromBytes returns a TXTSpace over plain memory laid out like the TXT page, for tests.
// The slice must be 4-byte aligned and long enough for the registers read.
func TXTFromBytes(b []byte) *TXTSpace { return &TXTSpace{mem: b} }

// CheckTXT returns nil when reading the TXT space may proceed: the process is root, the
// kernel is not locked down and /dev/mem exists (the checks of Check). A TPM driver does not own TXT space, so the driver check of
// Check does not apply.
func (s System) CheckTXT() error { return s.Check(true) }

// OpenTXT checks the system, then maps the TXT public configuration page read-only from the
// system's /dev/mem.
func OpenTXT(s System) (*TXTSpace, error) {
	if err := s.CheckTXT(); err != nil {
		return nil, err
	}
	b, closer, err := s.mapPhys(TXTBase, TXTSize, false, "the TXT page")
	if err != nil {
		return nil, err
	}
	return &TXTSpace{mem: b, closer: closer}, nil
}

// ErrorCode reads TXT.ERRORCODE (0xFED30030).
func (t *TXTSpace) ErrorCode() (uint32, error) { return t.read32("TXT.ERRORCODE", TXTErrorCodeOffset) }

// Status reads the low 32 bits of TXT.STS (0xFED30000).
func (t *TXTSpace) Status() (uint32, error) { return t.read32("TXT.STS", TXTStatusOffset) }

// ErrorStatus reads the low 32 bits of TXT.ESTS (0xFED30008).
func (t *TXTSpace) ErrorStatus() (uint32, error) { return t.read32("TXT.ESTS", TXTErrorStatusOffset) }

func (t *TXTSpace) read32(name string, off uint32) (uint32, error) {
	if uint64(off)+4 > uint64(len(t.mem)) {
		return 0, fmt.Errorf("devmem: %s at offset %#x is outside the %#x-byte TXT mapping", name, off, len(t.mem))
	}
	if uintptr(unsafe.Pointer(&t.mem[off]))%4 != 0 {
		return 0, fmt.Errorf("devmem: %s at offset %#x is not 4-byte aligned in the TXT mapping", name, off)
	}
	return load32(ptr32(t.mem, off)), nil
}

// Close unmaps the TXT page.
func (t *TXTSpace) Close() error {
	if t.closer == nil {
		return nil
	}
	err := t.closer.Close()
	t.closer, t.mem = nil, nil
	return err
}
