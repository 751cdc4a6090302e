package lpcsim

// Target is a peripheral's register side: the cycle decoder in front of it
// asks whether it claims a cycle, how many wait states it needs, and then
// reads or writes one byte. Targets are called only from the simulation's
// single goroutine.
type Target interface {
	// Claims reports whether the target answers a cycle of kind k at addr
	// (16 bits for io and tpm, 32 for mem; for fwh IDSEL in bits 31:28 and
	// the 28-bit address below).
	Claims(k Kind, addr uint32) bool
	// Waits returns the wait SYNCs the access needs before ready (0 = ready at once).
	Waits(k Kind, addr uint32, write bool) int
	// Read returns the byte at addr; it is called when the target drives ready SYNC.
	Read(k Kind, addr uint32) uint8
	// Write stores v at addr; it is called when the target drives ready SYNC.
	Write(k Kind, addr uint32, v uint8)
	// LongWait reports whether the target's wait SYNCs are long waits
	// (0110) rather than short waits (0101).
	LongWait() bool
	// Reset is LRESET# asserted (for a TPM: TPM_Init).
	Reset()
}

// TISDevice is the TPM register file the simulator puts behind TPM cycles:
// the methods of the TIS device model (addr bits 15:12 = locality, 11:0 =
// register).
type TISDevice interface {
	// Read returns the register byte a TPM read cycle gets.
	Read(addr uint16) uint8
	// Write stores the byte of a TPM write cycle.
	Write(addr uint16, v uint8)
	// Waits is the number of wait SYNCs the access needs (0: ready at once).
	Waits(addr uint16, write bool) int
	// IRQ reports the device's interrupt request level.
	IRQ() bool
	// Reset is LRESET# asserted: the device returns to its power-on state.
	Reset()
}

// The TIS device model may also report which addresses it decodes and
// whether its waits are long; TPMTarget uses these when present.
type (
	decoder    interface{ Decodes(addr uint16) bool }
	longWaiter interface{ LongWait() bool }
	vectorer   interface{ IntVector() uint8 }
)

// ErrorSyncer is an optional Target method: a target whose ErrorSync
// returns true for an access ends it with an error SYNC (1010) instead of
// ready; read data still follows, as the LPC rules require.
type ErrorSyncer interface {
	// ErrorSync reports whether the access ends with an error SYNC.
	ErrorSync(k Kind, addr uint32, write bool) bool
}

// TPMTarget answers TPM locality cycles (START 0101) for localities 0-4 with
// a TIS device and ignores every other cycle, as a TPM must. It remembers the
// SERIRQ frame the host wrote to TPM_INT_VECTOR.
type TPMTarget struct {
	Dev    TISDevice  // the register file behind the TPM cycles
	dec    decoder    // Dev's own address decode, if it has one
	long   longWaiter // Dev's wait-SYNC kind, if it says
	vec    vectorer   // Dev's INT_VECTOR, if it tells
	vector uint8
}

// NewTPMTarget returns the TPM-cycle adapter around dev.
func NewTPMTarget(dev TISDevice) *TPMTarget {
	t := &TPMTarget{Dev: dev}
	t.dec, _ = dev.(decoder)
	t.long, _ = dev.(longWaiter)
	t.vec, _ = dev.(vectorer)
	return t
}

// Claims implements Target: TPM cycles the device decodes (localities 0-4
// when it does not say).
func (t *TPMTarget) Claims(k Kind, addr uint32) bool {
	if k != KindTPM {
		return false
	}
	if t.dec != nil {
		return t.dec.Decodes(uint16(addr))
	}
	return addr>>12 <= 4
}

// LongWait implements Target.
func (t *TPMTarget) LongWait() bool {
	return t.long != nil && t.long.LongWait()
}

// Waits implements Target.
func (t *TPMTarget) Waits(_ Kind, addr uint32, write bool) int {
	return t.Dev.Waits(uint16(addr), write)
}

// Read implements Target.
func (t *TPMTarget) Read(_ Kind, addr uint32) uint8 { return t.Dev.Read(uint16(addr)) }

// Write implements Target.
func (t *TPMTarget) Write(_ Kind, addr uint32, v uint8) {
	if addr&0xFFF == 0x00C {
		t.vector = v & 0xF
	}
	t.Dev.Write(uint16(addr), v)
}

// Reset implements Target.
func (t *TPMTarget) Reset() {
	t.vector = 0
	t.Dev.Reset()
}

// IRQ reports the IRQ number whose SERIRQ frame the TPM uses (its
// INT_VECTOR; 0 = none) and whether it drives that frame low (an interrupt
// pending with the low-level polarity a TIS TPM must support).
func (t *TPMTarget) IRQ() (irq int, low bool) {
	v := t.vector
	if t.vec != nil {
		v = t.vec.IntVector() & 0xF
	}
	return int(v), v != 0 && t.Dev.IRQ()
}

// ScratchIO is a bank of plain read/write I/O ports with no side effects,
// like a POST-code latch or the scratch registers of a Super I/O on the
// board. It answers I/O cycles at Base..Base+len(Regs)-1 with Wait short
// waits; the port at Base+ErrorAt-1 (when ErrorAt > 0) ends every access
// with an error SYNC.
type ScratchIO struct {
	Base    uint16  // I/O address of the first port
	Regs    []uint8 // the ports' contents, one byte per port
	Wait    int     // short wait SYNCs before each access is ready
	ErrorAt int     // 1-based port that answers with an error SYNC; 0 for none
}

// ErrorSync implements ErrorSyncer.
func (s *ScratchIO) ErrorSync(_ Kind, addr uint32, _ bool) bool {
	return s.ErrorAt > 0 && addr == uint32(s.Base)+uint32(s.ErrorAt-1)
}

// Claims implements Target.
func (s *ScratchIO) Claims(k Kind, addr uint32) bool {
	return k == KindIO && addr >= uint32(s.Base) && addr < uint32(s.Base)+uint32(len(s.Regs))
}

// Waits implements Target.
func (s *ScratchIO) Waits(Kind, uint32, bool) int { return s.Wait }

// Read implements Target.
func (s *ScratchIO) Read(_ Kind, addr uint32) uint8 { return s.Regs[addr-uint32(s.Base)] }

// Write implements Target.
func (s *ScratchIO) Write(_ Kind, addr uint32, v uint8) { s.Regs[addr-uint32(s.Base)] = v }

// LongWait implements Target: short waits.
func (s *ScratchIO) LongWait() bool { return false }

// Reset implements Target; scratch registers keep their contents.
func (s *ScratchIO) Reset() {}

// Port states of the peripheral-side cycle decoder.
const (
	stIdle   uint8 = iota // waiting for LFRAME#
	stIgnore              // a cycle that is not ours: wait for the next LFRAME#
	stStart               // LFRAME# low: START latched
	stAddr                // collecting address nibbles
	stMSize               // firmware-hub MSIZE
	stWData               // host write data
	stTAR                 // host turn-around
	stSync                // driving wait SYNCs
	stOut                 // driving ready, data and our turn-around
	release  = 16         // out queue entry: stop driving
)

// port is the cycle decoder of one peripheral: it samples the lines it sees
// at each rising LCLK edge and decides what it drives from the next falling
// edge, as a low mask of the lines it pulls down.
type port struct {
	t       Target
	errSync ErrorSyncer // t's error-SYNC choice, if it has one
	low     uint32
	st      uint8
	start   uint8
	kind    Kind
	write   bool
	reset   bool
	n       int
	addr    uint32
	data    uint8
	waits   int
	waitNib uint8
	out     [4]uint8
	outN    uint8
	outI    uint8
}

func newPort(t Target) *port {
	p := &port{t: t}
	p.errSync, _ = t.(ErrorSyncer)
	return p
}

func (p *port) drive(nib uint8) { p.low = uint32(^nib & 0xF) }

// step advances the decoder by one rising edge with the lines v it sees.
func (p *port) step(v uint32) {
	if v&bitReset == 0 {
		if !p.reset {
			p.reset = true
			p.t.Reset()
		}
		p.st, p.low = stIdle, 0
		return
	}
	p.reset = false
	lad := uint8(v & ladMask)
	if v&bitFrame == 0 {
		p.st, p.start, p.low = stStart, lad, 0
		return
	}
	switch p.st {
	case stIdle, stIgnore:
	case stStart:
		p.begin(lad)
	case stAddr:
		p.addr = p.addr<<4 | uint32(lad)
		if p.n--; p.n == 0 {
			if p.kind == KindFWH {
				p.st = stMSize
			} else {
				p.claim()
			}
		}
	case stMSize:
		if lad != 0 { // only single-byte transfers are modelled
			p.st = stIgnore
			return
		}
		p.claim()
	case stWData:
		p.data |= lad << (4 * uint(2-p.n))
		if p.n--; p.n == 0 {
			p.st, p.n = stTAR, 2
		}
	case stTAR:
		if p.n--; p.n == 0 {
			p.waits = p.t.Waits(p.kind, p.addr, p.write)
			p.waitNib = 0b0101
			if p.t.LongWait() {
				p.waitNib = 0b0110
			}
			p.st = stSync
			p.sync()
		}
	case stSync:
		p.sync()
	case stOut:
		if p.outI == p.outN {
			p.st, p.low = stIdle, 0
			return
		}
		if nib := p.out[p.outI]; nib == release {
			p.low = 0
		} else {
			p.drive(nib)
		}
		p.outI++
	}
}

// begin decodes the nibble after START: CYCTYPE+DIR, or IDSEL for firmware-hub cycles.
func (p *port) begin(lad uint8) {
	p.addr, p.data, p.st = 0, 0, stAddr
	switch {
	case p.start == 0b0101 && (lad == 0b0000 || lad == 0b0010):
		p.kind, p.write, p.n = KindTPM, lad == 0b0010, 4
	case p.start == 0b0000 && (lad == 0b0000 || lad == 0b0010):
		p.kind, p.write, p.n = KindIO, lad == 0b0010, 4
	case p.start == 0b0000 && (lad == 0b0100 || lad == 0b0110):
		p.kind, p.write, p.n = KindMem, lad == 0b0110, 8
	case p.start == 0b1101 || p.start == 0b1110:
		p.kind, p.write, p.n = KindFWH, p.start == 0b1110, 7
		p.addr = uint32(lad) // IDSEL ends up in bits 31:28
	default:
		p.st = stIgnore
	}
}

// claim asks the target whether the decoded address is its own.
func (p *port) claim() {
	if !p.t.Claims(p.kind, p.addr) {
		p.st = stIgnore
		return
	}
	if p.write {
		p.st, p.n = stWData, 2
	} else {
		p.st, p.n = stTAR, 2
	}
}

// sync drives the next SYNC: a wait, or ready together with the access.
func (p *port) sync() {
	if p.waits > 0 {
		p.waits--
		p.drive(p.waitNib)
		return
	}
	p.drive(0b0000)
	if p.errSync != nil && p.errSync.ErrorSync(p.kind, p.addr, p.write) {
		p.drive(0b1010)
	}
	p.st, p.outI = stOut, 0
	if p.write {
		p.t.Write(p.kind, p.addr, p.data)
		p.out[0], p.out[1], p.outN = 0xF, release, 2
		return
	}
	d := p.t.Read(p.kind, p.addr)
	p.out[0], p.out[1], p.out[2], p.out[3], p.outN = d&0xF, d>>4, 0xF, release, 4
}
