package lpcsim

import (
	"fmt"
	"io"
)

// TPM register window: the host bridge maps WindowBase..WindowBase+WindowSize-1
// to TPM cycles (localities 0-4).
const (
	WindowBase = 0xFED40000
	WindowSize = 0x5000
)

// Stats counts what the host bridge did since the bench was built.
type Stats struct {
	Clocks     uint64 // LCLK periods simulated
	Cycles     uint64 // LPC cycles started
	Aborts     uint64 // cycles the host aborted (no SYNC, bad SYNC, wait limit)
	ErrorSyncs uint64 // cycles that ended with an error SYNC
	Waits      uint64 // wait SYNCs seen
	NotEmitted uint64 // accesses the profile does not put on the bus
	Resets     uint64 // LRESET# pulses
}

// Host is the host bridge: it turns register accesses into LPC cycles,
// clock by clock. Its Read8/Write8/Read32/Write32 methods are the TIS
// driver's register window (offsets from 0xFED40000); an aborted read returns
// 0xFF and no error, as on hardware, and Last and Stats say what happened.
type Host struct {
	b       *Bench
	prof    Profile
	last    Cycle
	worst   Status
	stats   Stats
	hdr     [10]uint8
	cycLog  io.Writer
	regLog  io.Writer
	lineBuf []byte
}

// Profile returns the host-bridge profile.
func (h *Host) Profile() Profile { return h.prof }

// Last returns the record of the most recent cycle.
func (h *Host) Last() Cycle { return h.last }

// AccessStatus returns how the last register access (Read8, Write8, Read32
// or Write32) went: the worst status of its byte cycles, or
// StatusNotEmitted when the profile's bridge does not put TPM cycles on the
// bus.
func (h *Host) AccessStatus() Status { return h.worst }

// Stats returns the host's counters.
func (h *Host) Stats() Stats {
	s := h.stats
	s.Clocks = h.b.clock
	return s
}

// drive sets what the host drives from the next falling edge: LFRAME# low
// or high and a LAD nibble (0xF drives 1111, which reads like released).
func (h *Host) drive(frameLow bool, lad uint8) {
	low := uint32(^lad & 0xF)
	if frameLow {
		low |= bitFrame
	}
	h.b.hostBus = low
}

func (h *Host) lad() uint8 { return uint8(h.b.board & ladMask) }

// run drives one cycle: START for the profile's start clocks, the header
// nibbles, write data, turn-around, SYNC, read data and the peripheral's
// turn-around; or the abort sequence when no good SYNC comes.
func (h *Host) run(c *Cycle, start uint8, hdr []uint8) {
	b := h.b
	first := b.clock + 1
	c.Clock, c.Waits, c.Long, c.Status = first, 0, false, StatusOK
	h.stats.Cycles++
	for range h.prof.StartClocks {
		h.drive(true, start)
		b.tick()
	}
	for _, nib := range hdr {
		h.drive(false, nib)
		b.tick()
	}
	if c.Write {
		h.drive(false, c.Data&0xF)
		b.tick()
		h.drive(false, c.Data>>4)
		b.tick()
	}
	h.drive(false, 0xF) // TAR: drive 1111, then float
	b.tick()
	b.hostBus = 0
	b.tick()
	if h.sync(c) {
		if !c.Write {
			b.tick()
			lo := h.lad()
			b.tick()
			c.Data = lo | h.lad()<<4
		}
		b.tick() // peripheral turn-around
		b.tick()
	} else {
		h.abort()
		if !c.Write {
			c.Data = 0xFF
		}
	}
	for range h.prof.IdleClocks {
		b.tick()
	}
	c.Clocks = int(b.clock - first + 1)
	h.finish(c)
}

// sync samples SYNC clocks until ready or error, or until the profile's
// limits make the host give up; it reports whether data may follow.
func (h *Host) sync(c *Cycle) bool {
	noSync := 0
	for {
		h.b.tick()
		s := h.lad()
		c.Sync = s
		switch s {
		case 0b0000:
			return true
		case 0b1010:
			c.Status = StatusErrorSync
			return true
		case 0b0101, 0b0110:
			noSync = 0
			c.Waits++
			c.Long = s == 0b0110
			if c.Waits > h.prof.WaitLimit {
				c.Status = StatusWaitLimit
				return false
			}
		case 0b1111:
			if noSync++; noSync >= h.prof.NoSyncLimit {
				c.Status = StatusNoSync
				return false
			}
		default:
			c.Status = StatusBadSync
			return false
		}
	}
}

// abort holds LFRAME# low for four clocks, driving LAD 1111 on the fourth.
func (h *Host) abort() {
	b := h.b
	b.hostBus = bitFrame
	b.tick()
	b.tick()
	b.tick()
	h.drive(true, 0xF)
	b.tick()
	b.hostBus = 0
}

func (h *Host) finish(c *Cycle) {
	switch {
	case c.Status.Aborted():
		h.stats.Aborts++
	case c.Status == StatusErrorSync:
		h.stats.ErrorSyncs++
	}
	h.stats.Waits += uint64(c.Waits)
	if c.Status > h.worst && h.worst != StatusNotEmitted {
		h.worst = c.Status
	}
	if h.cycLog != nil {
		h.lineBuf = append(c.AppendText(h.lineBuf[:0]), '\n')
		h.cycLog.Write(h.lineBuf) //nolint:errcheck // a log writer's failure must not stop the bus
	}
}

// ioHeader fills hdr with CYCTYPE+DIR and a 16-bit address, most significant nibble first.
func (h *Host) ioHeader(write bool, addr uint16) []uint8 {
	ct := uint8(0b0000)
	if write {
		ct = 0b0010
	}
	h.hdr[0] = ct
	for i := range 4 {
		h.hdr[1+i] = uint8(addr>>(12-4*i)) & 0xF
	}
	return h.hdr[:5]
}

// IORead drives an I/O read cycle and returns the byte (0xFF if aborted).
func (h *Host) IORead(port uint16) uint8 {
	h.last = Cycle{Kind: KindIO, Addr: uint32(port)}
	h.run(&h.last, 0b0000, h.ioHeader(false, port))
	return h.last.Data
}

// IOWrite drives an I/O write cycle.
func (h *Host) IOWrite(port uint16, v uint8) {
	h.last = Cycle{Kind: KindIO, Addr: uint32(port), Write: true, Data: v}
	h.run(&h.last, 0b0000, h.ioHeader(true, port))
}

// TPMRead drives a TPM locality read cycle (START 0101) at the 16-bit TPM
// register address (locality in bits 15:12).
func (h *Host) TPMRead(addr uint16) uint8 {
	h.last = Cycle{Kind: KindTPM, Addr: uint32(addr)}
	h.run(&h.last, 0b0101, h.ioHeader(false, addr))
	return h.last.Data
}

// TPMWrite drives a TPM locality write cycle.
func (h *Host) TPMWrite(addr uint16, v uint8) {
	h.last = Cycle{Kind: KindTPM, Addr: uint32(addr), Write: true, Data: v}
	h.run(&h.last, 0b0101, h.ioHeader(true, addr))
}

func (h *Host) memHeader(write bool, addr uint32) []uint8 {
	h.hdr[0] = 0b0100
	if write {
		h.hdr[0] = 0b0110
	}
	for i := range 8 {
		h.hdr[1+i] = uint8(addr>>(28-4*i)) & 0xF
	}
	return h.hdr[:9]
}

// MemRead drives an LPC memory read cycle (START 0000, 32-bit address).
func (h *Host) MemRead(addr uint32) uint8 {
	h.last = Cycle{Kind: KindMem, Addr: addr}
	h.run(&h.last, 0b0000, h.memHeader(false, addr))
	return h.last.Data
}

// MemWrite drives an LPC memory write cycle.
func (h *Host) MemWrite(addr uint32, v uint8) {
	h.last = Cycle{Kind: KindMem, Addr: addr, Write: true, Data: v}
	h.run(&h.last, 0b0000, h.memHeader(true, addr))
}

func (h *Host) fwhHeader(idsel uint8, addr uint32) []uint8 {
	h.hdr[0] = idsel & 0xF
	for i := range 7 {
		h.hdr[1+i] = uint8(addr>>(24-4*i)) & 0xF
	}
	h.hdr[8] = 0 // MSIZE: one byte
	return h.hdr[:9]
}

// FWHRead drives a firmware-hub memory read (START 1101) of one byte at the
// 28-bit address of the device with the given IDSEL.
func (h *Host) FWHRead(idsel uint8, addr uint32) uint8 {
	h.last = Cycle{Kind: KindFWH, Addr: addr & 0x0FFFFFFF, IDSEL: idsel & 0xF}
	h.run(&h.last, 0b1101, h.fwhHeader(idsel, addr))
	return h.last.Data
}

// FWHWrite drives a firmware-hub memory write (START 1110) of one byte.
func (h *Host) FWHWrite(idsel uint8, addr uint32, v uint8) {
	h.last = Cycle{Kind: KindFWH, Addr: addr & 0x0FFFFFFF, IDSEL: idsel & 0xF, Write: true, Data: v}
	h.run(&h.last, 0b1110, h.fwhHeader(idsel, addr))
}

// ErrOutsideWindow is returned (wrapped) for an offset past the TPM window.
var ErrOutsideWindow = fmt.Errorf("lpcsim: offset outside the TPM window 0x%X-0x%X", WindowBase, WindowBase+WindowSize-1)

func checkWindow(off uint32, n uint32) error {
	if off >= WindowSize || off+n > WindowSize {
		return fmt.Errorf("%w: offset 0x%X width %d", ErrOutsideWindow, off, n)
	}
	return nil
}

// windowRead reads one byte of the TPM window the way the profile's bridge
// forwards it.
func (h *Host) windowRead(off uint32) uint8 {
	if h.prof.TPMCycles {
		return h.TPMRead(uint16(off))
	}
	h.stats.NotEmitted++
	h.worst = StatusNotEmitted
	return h.MemRead(WindowBase + off)
}

func (h *Host) windowWrite(off uint32, v uint8) {
	if h.prof.TPMCycles {
		h.TPMWrite(uint16(off), v)
		return
	}
	h.stats.NotEmitted++
	h.worst = StatusNotEmitted
	h.MemWrite(WindowBase+off, v)
}

// Read8 reads the byte at off in the TPM window with one TPM cycle. An
// aborted cycle reads 0xFF with a nil error; only an offset outside the
// window is an error.
func (h *Host) Read8(off uint32) (uint8, error) {
	if err := checkWindow(off, 1); err != nil {
		return 0xFF, err
	}
	h.worst = StatusOK
	v := h.windowRead(off)
	h.logReg(false, off, 1, uint32(v))
	return v, nil
}

// Write8 writes v at off with one TPM cycle. A write nobody takes is lost
// silently, as on hardware.
func (h *Host) Write8(off uint32, v uint8) error {
	if err := checkWindow(off, 1); err != nil {
		return err
	}
	h.worst = StatusOK
	h.windowWrite(off, v)
	h.logReg(true, off, 1, uint32(v))
	return nil
}

// Read32 reads four bytes at off..off+3 with four byte cycles in ascending
// address order and assembles them little-endian.
func (h *Host) Read32(off uint32) (uint32, error) {
	if err := checkWindow(off, 4); err != nil {
		return 0xFFFFFFFF, err
	}
	h.worst = StatusOK
	var v uint32
	for i := range uint32(4) {
		v |= uint32(h.windowRead(off+i)) << (8 * i)
	}
	h.logReg(false, off, 4, v)
	return v, nil
}

// Write32 writes v as four byte cycles at off..off+3, least significant byte first.
func (h *Host) Write32(off uint32, v uint32) error {
	if err := checkWindow(off, 4); err != nil {
		return err
	}
	h.worst = StatusOK
	for i := range uint32(4) {
		h.windowWrite(off+i, uint8(v>>(8*i)))
	}
	h.logReg(true, off, 4, v)
	return nil
}
