package decode

import (
	"fmt"
	"strings"
)

// Kind is what a cycle is, from its START and CYCTYPE+DIR nibbles.
//
// DMA cycles are START, CYCTYPE+DIR, CHANNEL (bits 2:0 the channel, bit 3
// terminal count), SIZE, then one SYNC per byte: for each byte the host's
// data, TAR, SYNC, TAR (DMA read), or after one TAR the peripheral's SYNC
// and data for each byte, then TAR (DMA write). Bus-master cycles are
// recognised by their START and not decoded further.
type Kind uint8

// Cycle kinds. Abort and Reset are bus events rather than transfers: a host
// abort (LFRAME# low with LAD 1111) and an LRESET# assertion.
const (
	KindUnknown Kind = iota
	IORead
	IOWrite
	MemRead
	MemWrite
	FWRead
	FWWrite
	TPMRead
	TPMWrite
	DMARead
	DMAWrite
	BusMaster
	Reserved
	Abort
	Reset
	numKinds
)

var kindNames = [numKinds]string{"unknown", "io-read", "io-write", "mem-read", "mem-write", "fw-read", "fw-write",
	"tpm-read", "tpm-write", "dma-read", "dma-write", "bus-master", "reserved", "abort", "reset"}

// String returns the kind's short name ("tpm-read").
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// MarshalText gives JSON the short name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Write reports whether the host sends the data (I/O, memory, firmware, TPM
// writes and DMA reads, where the host reads memory for the peripheral).
func (k Kind) Write() bool {
	switch k {
	case IOWrite, MemWrite, FWWrite, TPMWrite, DMARead:
		return true
	}
	return false
}

// Status says how a cycle ended.
type Status uint8

// Cycle endings.
const (
	Complete    Status = iota // ran to the end of its final TAR (or the start of the next cycle after one TAR clock)
	Interrupted               // LFRAME# went low again before the cycle ended; a new START followed
	Aborted                   // ended by a host abort (LFRAME# low, LAD 1111)
	ResetCut                  // ended by LRESET#
	Truncated                 // the capture ended during the cycle
	Unparsed                  // recognised (bus master, reserved START or cycle type) but its body not decoded
	numStatus
)

var statusNames = [numStatus]string{"complete", "interrupted", "aborted", "reset", "truncated", "unparsed"}

// String returns the status name.
func (s Status) String() string {
	if s < numStatus {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", s)
}

// MarshalText gives JSON the name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Field is a part of a cycle, used to say where a cycle stopped or where a
// deviation was seen.
type Field uint8

// Cycle fields in wire order.
const (
	FieldNone Field = iota
	FieldStart
	FieldCycType
	FieldIDSel
	FieldAddr
	FieldMSize
	FieldChannel
	FieldSize
	FieldData
	FieldTAR
	FieldSync
	FieldFinalTAR
	FieldBody
	numFields
)

var fieldNames = [numFields]string{"", "start", "cyctype", "idsel", "addr", "msize", "channel", "size", "data", "tar", "sync", "final-tar", "body"}

// String returns the field name.
func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return fmt.Sprintf("field(%d)", f)
}

// MarshalText gives JSON the name.
func (f Field) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// DeviationKind names a departure from the LPC specification that the decoder
// tolerated.
type DeviationKind uint8

// Deviations reported per cycle.
const (
	ShortTAR        DeviationKind = iota // final TAR lasted one clock, not two
	TARNotF                              // a TAR clock carried Value instead of 1111
	BadSync                              // SYNC clock carried Value, not a SYNC code (first such clock)
	ReadyMore                            // SYNC 1001 (ready more) outside a DMA cycle
	ReservedCycType                      // CYCTYPE+DIR Value is reserved
	CycTypeBit0                          // CYCTYPE+DIR bit 0 (must be 0) set
	ReservedSize                         // MSIZE/SIZE Value is reserved
	ShortAbort                           // abort with LFRAME# low fewer than 4 clocks
	ReservedStart                        // START Value is reserved
	DuringReset                          // the cycle ran while LRESET# was asserted
	numDeviations
)

var deviationNames = [numDeviations]string{"short-final-tar", "tar-not-1111", "bad-sync", "ready-more", "reserved-cyctype",
	"cyctype-bit0", "reserved-size", "short-abort", "reserved-start", "during-reset"}

// String returns the deviation's name.
func (d DeviationKind) String() string {
	if d < numDeviations {
		return deviationNames[d]
	}
	return fmt.Sprintf("deviation(%d)", d)
}

// MarshalText gives JSON the name.
func (d DeviationKind) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Deviation is one tolerated departure from the spec in a cycle.
type Deviation struct {
	Kind  DeviationKind `json:"kind"`  // which departure
	Field Field         `json:"field"` // the field of the cycle where it was seen
	Value uint8         `json:"value"` // the nibble seen, where it matters
}

// String gives "tar-not-1111 (final-tar 0000)" and the like.
func (d Deviation) String() string {
	switch d.Kind {
	case TARNotF, BadSync, ReservedCycType, ReservedSize, ReservedStart, CycTypeBit0:
		return fmt.Sprintf("%s(%s %04b)", d.Kind, d.Field, d.Value)
	}
	return d.Kind.String()
}

// Bytes is a byte string that JSON shows as upper-case hex ("0B15D1").
type Bytes []byte

// MarshalText gives the hex form.
func (b Bytes) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%X", []byte(b))), nil }

// Cycle is one decoded LPC cycle (or bus event: abort, reset).
type Cycle struct {
	Index       int         `json:"index"`                // 0-based position in the capture
	Tick        int64       `json:"tick"`                 // first clock: the LCLK rising edge where LFRAME# was first seen low
	EndTick     int64       `json:"end_tick"`             // last clock of the cycle
	Clocks      int         `json:"clocks"`               // LCLK rising edges from Tick to EndTick
	Kind        Kind        `json:"kind"`                 // what the cycle is (from START and CYCTYPE+DIR) or the bus event
	Start       uint8       `json:"start"`                // START nibble (last LAD value while LFRAME# was low)
	FrameClocks int         `json:"frame_clocks"`         // clocks LFRAME# was low
	CycType     uint8       `json:"cyctype"`              // CYCTYPE+DIR nibble (target and TPM cycles)
	IDSel       uint8       `json:"idsel"`                // firmware cycles
	Addr        uint32      `json:"addr"`                 // 16 bits I/O and TPM, 32 memory, 28 firmware
	Size        int         `json:"size"`                 // bytes the cycle moves (MSIZE, DMA SIZE; 1 otherwise)
	Channel     uint8       `json:"channel"`              // DMA channel
	TC          bool        `json:"tc"`                   // DMA terminal count: the host's last transfer on the channel
	Data        Bytes       `json:"data"`                 // bytes moved, in wire (address) order
	Waits       int         `json:"waits"`                // SYNC wait clocks (0101 short, 0110 long)
	NoSync      int         `json:"no_sync"`              // SYNC-phase clocks with no valid SYNC (1111: nobody drove)
	Sync        uint8       `json:"sync"`                 // the final SYNC nibble: 0000 ready, 1010 error, 1001 ready more
	Syncs       Bytes       `json:"syncs,omitempty"`      // DMA: the SYNC nibble ending each byte's waits, in byte order
	Status      Status      `json:"status"`               // how the cycle ended
	Field       Field       `json:"field,omitempty"`      // where the cycle stopped, when not Complete
	Deviations  []Deviation `json:"deviations,omitempty"` // spec departures tolerated, in wire order
	Nibbles     Bytes       `json:"nibbles,omitempty"`    // raw LAD values of an unparsed body
}

// Locality returns the TPM locality of a TPM cycle (address bits 15:12).
func (c *Cycle) Locality() int { return int(c.Addr>>12) & 0xF }

// SyncError reports whether the peripheral signalled an error SYNC (1010).
func (c *Cycle) SyncError() bool { return c.Sync == 0xA }

// Has reports whether the cycle carries a deviation of kind k.
func (c *Cycle) Has(k DeviationKind) bool {
	for _, d := range c.Deviations {
		if d.Kind == k {
			return true
		}
	}
	return false
}

// String formats the cycle on one line: kind, hex address, hex data, SYNC
// waits, then the end status and deviations when there are any.
func (c *Cycle) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s", c.Kind)
	switch c.Kind {
	case IORead, IOWrite:
		fmt.Fprintf(&b, " addr=0x%04X", c.Addr)
	case TPMRead, TPMWrite:
		fmt.Fprintf(&b, " addr=0x%04X loc=%d %s", c.Addr, c.Locality(), RegisterName(uint16(c.Addr&0xFFF)))
	case MemRead, MemWrite:
		fmt.Fprintf(&b, " addr=0x%08X", c.Addr)
	case FWRead, FWWrite:
		fmt.Fprintf(&b, " idsel=%d addr=0x%07X msize=%d", c.IDSel, c.Addr, c.Size)
	case DMARead, DMAWrite:
		fmt.Fprintf(&b, " ch=%d size=%d", c.Channel, c.Size)
		if c.TC {
			b.WriteString(" tc")
		}
		if len(c.Syncs) > 1 {
			b.WriteString(" syncs=")
			for i, s := range c.Syncs {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%X", s)
			}
		}
	case Abort:
		fmt.Fprintf(&b, " lframe#-low=%d clocks", c.FrameClocks)
	case Reset:
		fmt.Fprintf(&b, " lreset#-low=%d clocks", c.Clocks)
	case Reserved, BusMaster, KindUnknown:
		fmt.Fprintf(&b, " start=%04b", c.Start)
	}
	if len(c.Data) > 0 {
		fmt.Fprintf(&b, " data=%X", c.Data)
	}
	if c.Waits > 0 {
		fmt.Fprintf(&b, " waits=%d", c.Waits)
	}
	if c.NoSync > 0 {
		fmt.Fprintf(&b, " no-sync=%d", c.NoSync)
	}
	switch c.Sync {
	case 0xA:
		b.WriteString(" SYNC-ERROR")
	case 0x9:
		b.WriteString(" sync=ready-more")
	}
	if c.Status != Complete {
		fmt.Fprintf(&b, " [%s", strings.ToUpper(c.Status.String()))
		if c.Field != FieldNone {
			fmt.Fprintf(&b, " in %s", c.Field)
		}
		b.WriteString("]")
	}
	for _, d := range c.Deviations {
		fmt.Fprintf(&b, " !%s", d)
	}
	return b.String()
}
