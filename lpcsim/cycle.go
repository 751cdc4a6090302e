package lpcsim

import "strconv"

// Kind is an LPC cycle type.
type Kind uint8

// The cycle kinds the host bridge drives.
const (
	KindIO  Kind = iota // I/O cycle: START 0000, 16-bit address
	KindMem             // memory cycle: START 0000, 32-bit address
	KindFWH             // firmware-hub memory cycle: START 1101 (read) / 1110 (write), IDSEL, 28-bit address
	KindTPM             // TPM locality cycle: START 0101, 16-bit address, locality in bits 15:12
)

var kindNames = [...]string{KindIO: "io", KindMem: "mem", KindFWH: "fwh", KindTPM: "tpm"}

// String returns the kind's short name ("io", "mem", "fwh", "tpm").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Status says how a cycle ended.
type Status uint8

// Cycle outcomes.
const (
	StatusOK         Status = iota // ready SYNC, data transferred
	StatusNoSync                   // nobody drove a SYNC within the profile's limit; host aborted
	StatusBadSync                  // an invalid SYNC pattern; host aborted
	StatusWaitLimit                // wait SYNCs beyond the profile's bound; host aborted
	StatusErrorSync                // error SYNC (1010): data transferred but flagged
	StatusNotEmitted               // the host bridge does not emit this cycle (profile)
)

var statusNames = [...]string{
	StatusOK: "ok", StatusNoSync: "abort-no-sync", StatusBadSync: "abort-bad-sync",
	StatusWaitLimit: "abort-wait-limit", StatusErrorSync: "error-sync", StatusNotEmitted: "not-emitted",
}

// String returns the status name used in the cycle log.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status?"
}

// Aborted reports whether the host aborted the cycle (reads returned 0xFF).
func (s Status) Aborted() bool {
	return s == StatusNoSync || s == StatusBadSync || s == StatusWaitLimit
}

// Cycle is the host's record of one LPC cycle.
type Cycle struct {
	Clock  uint64 // LCLK count at the cycle's first clock (START)
	Clocks int    // clocks the cycle took, abort and idle included
	Kind   Kind   // cycle type: io, mem, fwh or tpm
	Write  bool   // a write cycle; false for a read
	Addr   uint32 // 16-bit for io and tpm, 32-bit for mem, 28-bit for fwh
	IDSEL  uint8  // fwh only
	Data   uint8  // the byte written, or the byte the host read (0xFF on abort)
	Waits  int    // wait SYNCs (short or long) before the final SYNC
	Long   bool   // the waits were long waits (0110)
	Sync   uint8  // the last SYNC nibble seen, or the nibble that made the host abort
	Status Status // how the cycle ended
}

// AppendText appends the cycle's log line (without newline) to b:
// clock, kind, direction, address, data, waits and status.
func (c *Cycle) AppendText(b []byte) []byte {
	b = strconv.AppendUint(b, c.Clock, 10)
	b = append(b, ' ')
	b = append(b, c.Kind.String()...)
	if c.Write {
		b = append(b, " wr "...)
	} else {
		b = append(b, " rd "...)
	}
	b = append(b, "0x"...)
	digits := 4
	switch c.Kind {
	case KindMem:
		digits = 8
	case KindFWH:
		digits = 7
	}
	b = appendHex(b, uint64(c.Addr), digits)
	if c.Kind == KindTPM {
		b = append(b, " loc"...)
		b = strconv.AppendUint(b, uint64(c.Addr>>12), 10)
	}
	if c.Kind == KindFWH {
		b = append(b, " idsel "...)
		b = strconv.AppendUint(b, uint64(c.IDSEL), 10)
	}
	b = append(b, " data 0x"...)
	b = appendHex(b, uint64(c.Data), 2)
	b = append(b, " waits "...)
	b = strconv.AppendInt(b, int64(c.Waits), 10)
	if c.Waits > 0 {
		if c.Long {
			b = append(b, " long"...)
		} else {
			b = append(b, " short"...)
		}
	}
	b = append(b, ' ')
	b = append(b, c.Status.String()...)
	if c.Status == StatusBadSync {
		b = append(b, " sync "...)
		for i := 3; i >= 0; i-- {
			b = append(b, '0'+c.Sync>>uint(i)&1)
		}
	}
	b = append(b, " clocks "...)
	return strconv.AppendInt(b, int64(c.Clocks), 10)
}

// String returns the cycle's log line.
func (c Cycle) String() string { return string(c.AppendText(nil)) }

const hexDigits = "0123456789abcdef"

func appendHex(b []byte, v uint64, digits int) []byte {
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hexDigits[(v>>(4*uint(i)))&0xF])
	}
	return b
}
