package tisdev

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Engine executes TPM commands behind the FIFO. The built-in TPM 1.2 and 2.0
// models and the swtpm process engine satisfy it.
type Engine interface {
	// Execute runs one command received at the given locality and returns
	// the complete response (header included). cmd is only valid during the
	// call.
	Execute(locality int, cmd []byte) (rsp []byte, err error)
	// Reset is TPM_Init: LRESET# asserted or the power cycled.
	Reset() error
}

// ErrEngine marks failures of the engine behind the FIFO (an error from
// Execute or Reset, a panic, an empty or oversized response); match it with
// errors.Is on the error returned by Device.Err.
var ErrEngine = errors.New("engine failure")

// State is the state of the TIS FIFO state machine.
type State uint8

// FIFO states (TIS, as QEMU models them).
const (
	StateIdle       State = iota // no command; commandReady moves to Ready
	StateReady                   // buffer empty, accepting a command
	StateReception               // receiving command bytes
	StateExecution               // the engine is executing the command
	StateCompletion              // the response can be read
)

var stateNames = [...]string{"IDLE", "READY", "RECEPTION", "EXECUTION", "COMPLETION"}

// String returns the state's name in capitals, e.g. "RECEPTION".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// noLocality is the value of Device.active when no locality is active.
const noLocality = -1

// Device is a simulated TPM on the LPC bus. Its methods are not safe for
// concurrent use; the bus simulator calls them from one goroutine.
type Device struct {
	p   Personality
	eng Engine

	active   int               // active locality, or noLocality
	access   [Localities]uint8 // stored requestUse and beenSeized bits
	inte     [Localities]uint32
	ints     [Localities]uint32
	vector   uint8
	ifLock   bool // INTERFACE_ID.IntfSelLock written
	estab    bool // a DRTM has been established
	startup  int  // accesses still reading tpmRegValidSts = 0; -1 once valid (counted like toReady)
	state    State
	sts      uint8 // STS byte 0 flags except selfTestDone
	selfTest bool  // selfTestDone

	buf      [BufferSize]byte
	wrOff    int  // command bytes received
	rdOff    int  // response bytes read
	rspLen   int  // response length
	busy     int  // accesses left in EXECUTION
	hung     bool // EXECUTION never ends (engine failure, HangOnEngineError)
	toReady  int  // accesses left before a pending commandReady takes effect
	readying bool // a commandReady write is pending (Timing.ReadyAccesses)
	err      error
}

// New returns a device with personality p in its power-on state, with engine
// e behind the FIFO. New does not call e.Reset: a new engine is taken to be
// freshly powered on. e may be nil; every command then fails as an engine
// error.
func New(p Personality, e Engine) *Device {
	d := &Device{p: p, eng: e}
	d.powerOn()
	return d
}

// Personality returns the personality the device was built with.
func (d *Device) Personality() Personality { return d.p }

// Reset is LRESET#: every register returns to its power-on value, the FIFO to
// IDLE, no locality is active, and the engine gets TPM_Init (Engine.Reset).
// An engine error is kept for Err.
func (d *Device) Reset() {
	d.powerOn()
	if d.eng == nil {
		return
	}
	if err := d.eng.Reset(); err != nil {
		d.err = fmt.Errorf("tisdev: engine reset (TPM_Init) failed: %w: %w", ErrEngine, err)
	}
}

func (d *Device) powerOn() {
	d.active = noLocality
	for l := range Localities {
		d.access[l] = 0
		d.inte[l] = IntLowLevel
		d.ints[l] = 0
	}
	d.vector = d.p.IntVector
	d.ifLock = false
	d.estab = d.p.Established
	d.startup = d.p.Timing.StartupAccesses
	d.selfTest = false
	d.toIdle()
}

// Err returns the last engine failure (wrapping ErrEngine), or nil.
func (d *Device) Err() error { return d.err }

// State returns the FIFO state.
func (d *Device) State() State { return d.state }

// ActiveLocality returns the active locality, or -1 when none is active.
func (d *Device) ActiveLocality() int { return d.active }

// Decodes reports whether the device answers a TPM cycle at addr: addresses
// of localities 0-4 (0x0000-0x4FFF). Other TPM cycles get no SYNC.
func (d *Device) Decodes(addr uint16) bool { return addr>>12 < Localities }

// Waits returns the number of wait-state SYNCs the device drives before the
// ready SYNC for this access (0 = ready at once). It has no side effects.
func (d *Device) Waits(addr uint16, write bool) int {
	n := d.p.Timing.Waits
	if isFIFO(addr&0xFFF, d.xfifo()) {
		n += d.p.Timing.FIFOWaits
	}
	return max(n, 0)
}

// LongWait reports whether the device's wait SYNCs are long waits (0110)
// rather than short waits (0101).
func (d *Device) LongWait() bool { return d.p.Timing.LongWait }

// Read performs a TPM-cycle read of one byte: addr bits 15:12 are the
// locality, bits 11:0 the register offset. Undecoded offsets, and STS and the
// FIFO of a locality that is not active, read 0xFF.
func (d *Device) Read(addr uint16) uint8 {
	d.tick()
	l := int(addr >> 12)
	if l >= Localities {
		return noData
	}
	off := addr & 0xFFF
	shift := (off & 3) * 8
	switch off &^ 3 {
	case RegAccess:
		if off != RegAccess {
			return 0
		}
		return d.readAccess(l)
	case RegIntEnable:
		return uint8(d.inte[l] >> shift)
	case RegIntVector:
		if off != RegIntVector {
			return 0
		}
		return d.vector
	case RegIntStatus:
		return uint8(d.ints[l] >> shift)
	case RegIntfCapability:
		return uint8(d.capability() >> shift)
	case RegSts:
		if l != d.active {
			return noData
		}
		return uint8(d.status() >> shift)
	case RegDataFIFO:
		return d.readFIFO(l)
	case RegInterfaceID:
		return uint8(d.interfaceID() >> shift)
	case RegDIDVID:
		return uint8(d.p.DIDVID >> shift)
	case RegRID:
		if off != RegRID {
			return 0
		}
		return d.p.RID
	}
	if isXFIFO(off) && d.xfifo() {
		return d.readFIFO(l)
	}
	return noData
}

// Write performs a TPM-cycle write of one byte (see Read for addr). Writes
// to locality 4 are ignored (only hardware may use it), as are writes to STS,
// INT_ENABLE, INT_STATUS and the FIFO from a locality that is not active.
func (d *Device) Write(addr uint16, v uint8) {
	d.tick()
	l := int(addr >> 12)
	if l >= Localities-1 {
		return
	}
	off := addr & 0xFFF
	shift := (off & 3) * 8
	switch off &^ 3 {
	case RegAccess:
		if off == RegAccess {
			d.writeAccess(l, v)
		}
	case RegIntEnable:
		if l == d.active {
			mask := uint32(0xFF) << shift
			writable := IntGlobalEnable | IntPolarityMask | d.p.IntfCapability&intSources
			d.inte[l] = d.inte[l]&^(mask&writable) | uint32(v)<<shift&writable
		}
	case RegIntVector:
		if off == RegIntVector && l == d.active && !d.p.FixedVector {
			d.vector = v & 0x0F
		}
	case RegIntStatus:
		if l == d.active {
			d.ints[l] &^= uint32(v) << shift & intSources
		}
	case RegSts:
		if l == d.active {
			d.writeSts(l, off-RegSts, v)
		}
	case RegDataFIFO:
		if l == d.active {
			d.writeFIFO(v)
		}
	case RegInterfaceID:
		if off == RegInterfaceID+2 && v&(InterfaceIDIntfSelLock>>16) != 0 {
			d.ifLock = true
		}
	default:
		if isXFIFO(off) && d.xfifo() && l == d.active {
			d.writeFIFO(v)
		}
	}
}

// tick counts one bus access: it advances the startup delay and the
// execution of a command.
func (d *Device) tick() {
	if d.startup >= 0 {
		d.startup--
	}
	if d.state == StateExecution && !d.hung {
		d.busy--
		if d.busy < 0 {
			d.complete()
		}
	}
	if d.readying {
		d.toReady--
		if d.toReady < 0 {
			d.ready()
		}
	}
}

// xfifo reports whether the part has the XDATA_FIFO (TIS 1.3 and later).
func (d *Device) xfifo() bool {
	return d.p.IntfCapability&CapInterfaceVersionMask != CapInterfaceTIS12
}

func isXFIFO(off uint16) bool { return off >= RegXDataFIFO && off < RegXDataFIFO+0x40 }

func isFIFO(off uint16, xfifo bool) bool {
	return off&^3 == RegDataFIFO || xfifo && isXFIFO(off)
}

// capability is TPM_INTF_CAPABILITY; BurstCountStatic follows
// Timing.StaticBurst.
func (d *Device) capability() uint32 {
	c := d.p.IntfCapability &^ CapBurstCountStatic
	if d.p.Timing.StaticBurst && d.p.Timing.BurstCount > 0 {
		c |= CapBurstCountStatic
	}
	return c
}

func (d *Device) interfaceID() uint32 {
	v := d.p.InterfaceID
	if d.ifLock {
		v |= InterfaceIDIntfSelLock
	}
	return v
}

// status is the 32-bit TPM_STS value of the active locality.
func (d *Device) status() uint32 {
	s := uint32(d.sts)
	if d.selfTest {
		s |= StsSelfTestDone
	}
	if d.p.Faults.NoStsValid {
		s &^= StsValid
	}
	s |= uint32(d.burstCount()) << 8
	if d.p.Family == Family20 {
		s |= Sts3Family20 << 24
	}
	return s
}

// burstCount is the number of bytes the FIFO can move now without the host
// checking STS again.
func (d *Device) burstCount() uint16 {
	if d.p.Faults.BurstZero {
		return 0
	}
	var n int
	switch {
	case d.sts&StsDataAvail != 0:
		n = d.rspLen - d.rdOff
	case d.state <= StateReception:
		n = BufferSize - d.wrOff
	}
	if c := d.p.Timing.BurstCount; c > 0 && n > 0 && (n > c || d.p.Timing.StaticBurst) {
		n = c
	}
	return uint16(min(n, 0xFFFF))
}

// raise sets interrupt status bits of locality l that are enabled there.
func (d *Device) raise(l int, mask uint32) {
	if l == noLocality || d.inte[l]&IntGlobalEnable == 0 {
		return
	}
	d.ints[l] |= mask & d.inte[l] & intSources
}

// IRQ reports whether the device drives SERIRQ low in the sample clock of
// its frame (the frame is INT_VECTOR, see IntVector): its interrupt line as
// SERIRQ carries it. With globalIntEnable clear in every locality the device
// never drives SERIRQ (false). With the low-level or falling-edge
// typePolarity (low level is the reset value and the one a TIS TPM must
// support) it drives low while an enabled interrupt is pending in INT_STATUS
// of any locality. With high-level or rising-edge polarity the line idles
// low and is released while an interrupt is pending, so IRQ is then true
// while nothing is pending.
func (d *Device) IRQ() bool {
	enabled := false
	var pol uint32
	for l := range Localities {
		if d.inte[l]&IntGlobalEnable == 0 {
			continue
		}
		if d.ints[l] != 0 {
			return !activeHigh(d.inte[l])
		}
		if !enabled || l == d.active {
			enabled, pol = true, d.inte[l]
		}
	}
	return enabled && activeHigh(pol)
}

// activeHigh reports whether typePolarity in an INT_ENABLE value asserts high
// (high level 00 or rising edge 10).
func activeHigh(inte uint32) bool { return inte&IntLowLevel == 0 }

// IntVector returns TPM_INT_VECTOR: the SERIRQ frame (IRQ number) the device
// uses.
func (d *Device) IntVector() uint8 { return d.vector }

// be32 reads a big-endian uint32 from the TPM header field at b[off:off+4].
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
