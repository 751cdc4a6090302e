package decode

import "fmt"

// tisReg is one TIS register in the per-locality map.
type tisReg struct {
	off   uint16
	width uint16
	name  string
}

// tisRegs is the TIS 1.2/1.3 register map of one locality (offsets 0x000-0xFFF).
var tisRegs = []tisReg{
	{0x000, 1, "ACCESS"},
	{0x008, 4, "INT_ENABLE"},
	{0x00C, 1, "INT_VECTOR"},
	{0x010, 4, "INT_STATUS"},
	{0x014, 4, "INTF_CAPABILITY"},
	{0x018, 4, "STS"},
	{0x024, 4, "DATA_FIFO"},
	{0x030, 4, "INTERFACE_ID"},
	{0x080, 0x40, "XDATA_FIFO"},
	{0xF00, 4, "DID_VID"},
	{0xF04, 1, "RID"},
}

// Register offsets the command layer watches.
const (
	regSTS        = 0x018
	regDataFIFO   = 0x024
	regXDataFIFO  = 0x080
	stsTPMGo      = 0x20
	stsCmdReady   = 0x40
	stsRespRetry  = 0x02
	fifoAliasSize = 4
)

// lookupReg returns the register containing offset off and the byte's
// position in it.
func lookupReg(off uint16) (tisReg, int, bool) {
	for _, r := range tisRegs {
		if off >= r.off && off < r.off+r.width {
			return r, int(off - r.off), true
		}
	}
	return tisReg{}, 0, false
}

// RegisterName names a TIS register byte by its offset within a locality
// (address bits 11:0): "STS", "STS+1" for the second byte, "DATA_FIFO" for
// any of its four aliases, "reg 0x0F90" for a vendor or unknown offset.
func RegisterName(off uint16) string {
	off &= 0xFFF
	r, b, ok := lookupReg(off)
	switch {
	case !ok:
		return fmt.Sprintf("reg 0x%03X", off)
	case b == 0 || isFIFO(off):
		return r.name
	}
	return fmt.Sprintf("%s+%d", r.name, b)
}

func isFIFO(off uint16) bool {
	return off >= regDataFIFO && off < regDataFIFO+fifoAliasSize || off >= regXDataFIFO && off < regXDataFIFO+0x40
}

// RegOp is one byte-wide TIS register access: one TPM cycle.
type RegOp struct {
	Cycle    int    `json:"cycle"`    // index of the TPM cycle
	Tick     int64  `json:"tick"`     // capture tick of the cycle's start
	Locality int    `json:"locality"` // TPM locality (address bits 15:12)
	Offset   uint16 `json:"offset"`   // register offset within the locality, 0x000-0xFFF
	Name     string `json:"name"`     // register name, as RegisterName gives it
	Write    bool   `json:"write"`    // a write (TPM write cycle) rather than a read
	Value    uint8  `json:"value"`    // the byte written or read; 0xFF for a failed read or a write cut off before its data
	// Failed is set when the cycle did not complete (no SYNC and a host
	// abort, LFRAME# restart, reset): a read then returns 0xFF to software
	// and a write is lost.
	Failed bool `json:"failed,omitempty"`
	// SyncError is set when the TPM answered with SYNC 1010.
	SyncError bool `json:"sync_error,omitempty"`
}

// String gives "loc0 write ACCESS = 0x02".
func (o RegOp) String() string {
	dir, op := "read ", "->"
	if o.Write {
		dir, op = "write", "<-"
	}
	s := fmt.Sprintf("loc%d %s %-16s %s 0x%02X", o.Locality, dir, o.Name, op, o.Value)
	if o.Failed {
		s += " [FAILED]"
	}
	if o.SyncError {
		s += " [SYNC-ERROR]"
	}
	return s
}

// RegOpOf turns a TPM cycle into a register operation; ok is false for any
// other cycle or for one cut short before its address was complete.
func RegOpOf(c *Cycle) (RegOp, bool) {
	if c.Kind != TPMRead && c.Kind != TPMWrite {
		return RegOp{}, false
	}
	if c.Status != Complete && (c.Field == FieldCycType || c.Field == FieldAddr) {
		return RegOp{}, false
	}
	o := RegOp{Cycle: c.Index, Tick: c.Tick, Locality: c.Locality(), Offset: uint16(c.Addr & 0xFFF),
		Write: c.Kind == TPMWrite, SyncError: c.SyncError()}
	o.Name = RegisterName(o.Offset)
	// The transfer happened if the cycle got past SYNC (and, for a read, the
	// data): it completed, or was only cut short in its final TAR.
	done := (c.Status == Complete || c.Field == FieldFinalTAR) && len(c.Data) == 1
	switch {
	case done || o.Write && len(c.Data) == 1:
		o.Value = c.Data[0]
	default:
		o.Value = 0xFF
	}
	o.Failed = !done
	return o, true
}

// Access is a run of byte operations on consecutive bytes of one register
// with the same direction, as a driver's 16- or 32-bit access produces (a
// 32-bit read of DID_VID is four TPM cycles at ascending addresses).
type Access struct {
	First    RegOp  `json:"first"`            // the operation on the lowest byte
	Width    int    `json:"width"`            // bytes
	Value    uint32 `json:"value"`            // little-endian over the bytes
	Failed   bool   `json:"failed,omitempty"` // some byte operation of it failed
	Register string `json:"register"`         // the register's name ("DID_VID")
}

// String gives "loc0 read  DID_VID          -> 0x000B15D1".
func (a Access) String() string {
	dir, op := "read ", "->"
	if a.First.Write {
		dir, op = "write", "<-"
	}
	s := fmt.Sprintf("loc%d %s %-16s %s 0x%0*X", a.First.Locality, dir, a.Register, op, 2*a.Width, a.Value)
	if a.Width == 1 && a.First.Offset&0xFFF != 0 {
		s = fmt.Sprintf("loc%d %s %-16s %s 0x%02X", a.First.Locality, dir, a.First.Name, op, a.Value)
	}
	if a.Failed {
		s += " [FAILED]"
	}
	return s
}

// Merger groups byte operations into accesses as they stream in:
// consecutive ops on the next byte of the same register (not the FIFO, whose
// bytes are separate transfers) in the same direction and locality join the
// access before them, up to 4 bytes.
type Merger struct {
	emit func(Access)
	cur  Access
	have bool
}

// NewMerger returns a Merger that calls emit with each finished access.
func NewMerger(emit func(Access)) *Merger { return &Merger{emit: emit} }

// Add feeds one operation.
func (m *Merger) Add(o RegOp) {
	if m.have && m.joins(o) {
		m.cur.Value |= uint32(o.Value) << (8 * m.cur.Width)
		m.cur.Width++
		m.cur.Failed = m.cur.Failed || o.Failed
		return
	}
	m.Flush()
	name := o.Name
	if r, _, ok := lookupReg(o.Offset); ok {
		name = r.name
	}
	m.cur, m.have = Access{First: o, Width: 1, Value: uint32(o.Value), Failed: o.Failed, Register: name}, true
}

func (m *Merger) joins(o RegOp) bool {
	a := &m.cur
	r, _, ok := lookupReg(o.Offset)
	ar, _, _ := lookupReg(a.First.Offset)
	return ok && !isFIFO(o.Offset) && o.Write == a.First.Write && o.Locality == a.First.Locality &&
		o.Offset == a.First.Offset+uint16(a.Width) && r.name == ar.name && a.Width < 4
}

// Flush emits the access in progress.
func (m *Merger) Flush() {
	if m.have {
		m.emit(m.cur)
		m.have = false
	}
}

// Merge groups a list of byte operations into accesses (see Merger).
func Merge(ops []RegOp) []Access {
	var out []Access
	m := NewMerger(func(a Access) { out = append(out, a) })
	for _, o := range ops {
		m.Add(o)
	}
	m.Flush()
	return out
}
