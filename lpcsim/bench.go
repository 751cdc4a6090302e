package lpcsim

import (
	"fmt"
	"io"
)

// Engine is what sits behind a simulated TPM's FIFO: the same methods as the
// TIS device model's engine interface, so a bench can hold either built-in
// engine or the swtpm one.
type Engine interface {
	// Execute runs one TPM command received at the locality and returns the
	// response bytes.
	Execute(locality int, cmd []byte) (rsp []byte, err error)
	// Reset is TPM_Init: LRESET# asserted or the module power-cycled.
	Reset() error
}

// Config describes a bench to build.
type Config struct {
	// Profile is the host bridge's behaviour (New rejects one that fails
	// Profile.Check).
	Profile Profile
	// Wires join board signals to module signals; nil means FullWiring.
	Wires []Wire
	// Faults edit the wiring or hold lines (cut, stuck, swapped, bridged,
	// flipping), applied on top of Wires.
	Faults []Fault
	// TPM is the TIS device on the module (nil: an empty module socket).
	TPM TISDevice
	// Engine is the engine behind TPM, kept for the caller (may be nil).
	Engine Engine
	// Board are peripherals on the board side of the wires, such as an
	// on-board Super I/O; they see the board's lines and clock.
	Board []Target
	// SerIRQ selects the SERIRQ mode the host runs (default SerIRQOff).
	SerIRQ SerIRQMode
}

// Bench is a simulated bench: the host bridge, the wires with their faults,
// the module's TPM and its engine, board-side peripherals and the outputs.
// A Bench is not safe for concurrent use.
type Bench struct {
	Host   *Host      // the host bridge: drives cycles, keeps the logs and stats
	TPM    *TPMTarget // nil when the module has no TIS device
	Engine Engine     // the engine behind TPM, as given in Config (may be nil)
	Wires  []Wire     // the wiring the bench was built with (FullWiring when Config gave none)
	Faults []Fault    // a copy of the faults the bench was built with

	w        *wires
	clock    uint64
	hostBus  uint32 // host low mask on LAD and LFRAME#
	hostCtl  uint32 // host low mask on LRESET#
	boardLow uint32
	modLow   uint32
	board    uint32 // lines as the host sees them this clock
	module   uint32 // lines as the module sees them this clock
	boardPs  []*port
	tpmPort  *port // the module's TPM-cycle decoder, nil without a TPM
	irqHost  uint32
	// Copies of the wire topology's fast path, read every clock.
	fast      bool
	fastConn  uint32
	fastClock bool
	powered   bool
	irq       *serirq
	vcd       *VCD
}

// New builds a bench from cfg and takes it through power-on: LRESET# held
// for the profile's ResetClocks, then released.
func New(cfg Config) (*Bench, error) {
	if err := cfg.Profile.Check(); err != nil {
		return nil, err
	}
	ws := cfg.Wires
	if ws == nil {
		ws = FullWiring()
	}
	w, err := buildWires(ws, cfg.Faults)
	if err != nil {
		return nil, err
	}
	b := &Bench{
		Engine:    cfg.Engine,
		Wires:     ws,
		Faults:    append([]Fault(nil), cfg.Faults...),
		w:         w,
		fast:      w.straight,
		fastConn:  w.conn,
		fastClock: w.conn&bitClock != 0,
		powered:   w.powered,
		board:     lineMask,
		module:    lineMask,
	}
	b.Host = &Host{b: b, prof: cfg.Profile}
	if cfg.TPM != nil {
		b.TPM = NewTPMTarget(cfg.TPM)
		b.tpmPort = newPort(b.TPM)
	}
	for _, t := range cfg.Board {
		if t == nil {
			return nil, fmt.Errorf("lpcsim: nil board peripheral")
		}
		b.boardPs = append(b.boardPs, newPort(t))
	}
	if b.irq, err = newSerIRQ(cfg.SerIRQ, b.TPM); err != nil {
		return nil, err
	}
	b.Reset()
	return b, nil
}

// Close releases what the bench holds: an engine that is a process (swtpm)
// is stopped. The bench must not be used afterwards.
func (b *Bench) Close() error {
	if c, ok := b.Engine.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("lpcsim: closing the engine: %w", err)
		}
	}
	return nil
}

// Powered reports whether the module gets supply and ground through the
// wires; when it does not, Dead says why.
func (b *Bench) Powered() bool { return b.w.powered }

// Dead says why the module is unpowered ("" when it is powered).
func (b *Bench) Dead() string { return b.w.whyDead }

// Clock returns the number of LCLK periods simulated so far.
func (b *Bench) Clock() uint64 { return b.clock }

// Time returns the simulated bus time in picoseconds (30 ns per LCLK).
func (b *Bench) Time() uint64 { return b.clock * ClockPeriodPS }

// LCLK period (33.33 MHz).
const (
	ClockPeriodPS = 30000 // picoseconds
	ClockPeriodNS = 30    // nanoseconds
)

// Reset drives LRESET# low for the profile's ResetClocks (host holds
// LFRAME# high and releases LAD), then releases it and idles a few clocks.
func (b *Bench) Reset() {
	b.Host.stats.Resets++
	b.hostBus = 0
	b.hostCtl = bitReset
	for range b.Host.prof.ResetClocks {
		b.tick()
	}
	b.hostCtl = 0
	b.Idle(4)
}

// Idle runs n clocks with the host idle (SERIRQ keeps running).
func (b *Bench) Idle(n int) {
	for range n {
		b.tick()
	}
}

// SetCycleLog sends one line per LPC cycle to w (nil stops it).
func (b *Bench) SetCycleLog(w io.Writer) { b.Host.cycLog = w }

// SetRegLog sends one line per register access (Read8..Write32) to w (nil stops it).
func (b *Bench) SetRegLog(w io.Writer) { b.Host.regLog = w }

// tick simulates one LCLK period: the drives set before the call take
// effect at the falling edge, the lines resolve, and every clocked device
// samples them at the rising edge and decides its next drive.
func (b *Bench) tick() {
	b.clock++
	lowB := b.hostBus | b.hostCtl | b.boardLow | b.irqHost
	var bv, mv uint32
	edge := b.fastClock
	if b.fast {
		bv = ^(lowB | b.modLow&b.fastConn) & lineMask
		mv = ^(b.modLow | lowB&b.fastConn) & lineMask
	} else {
		bv, mv, edge = b.w.resolve(lowB, b.modLow)
	}
	b.board, b.module = bv, mv
	if b.vcd != nil {
		b.vcd.clock(b.clock, bv, mv, edge && b.w.powered)
	}
	if len(b.boardPs) > 0 {
		low := uint32(0)
		for _, p := range b.boardPs {
			p.step(bv)
			low |= p.low
		}
		b.boardLow = low
	}
	if edge && b.powered {
		low := uint32(0)
		if p := b.tpmPort; p != nil {
			p.step(mv)
			low = p.low
		}
		if b.irq != nil {
			b.irq.stepDevice(mv)
			low |= b.irq.devLow
		}
		b.modLow = low
	}
	if b.irq != nil {
		b.irq.stepHost(bv)
		b.irqHost = b.irq.hostLow
	}
}
