package tis

import (
	"fmt"
	"strings"
)

// Base is the physical address of the TIS register window (locality 0). Bus offsets are
// relative to it.
const Base = 0xFED40000

// WindowSize is the length of the register window: five localities of 4 KiB each.
const WindowSize = 0x5000

// Localities is the number of TIS localities (0 to 4).
const Localities = 5

// Reg is the offset of a TIS register inside one locality's 4 KiB page (TIS 1.2 §10, PTP §6.5).
type Reg uint32

// TIS registers, per locality.
const (
	RegAccess         Reg = 0x000 // TPM_ACCESS_x, 8 bits: locality control
	RegIntEnable      Reg = 0x008 // TPM_INT_ENABLE_x, 32 bits
	RegIntVector      Reg = 0x00C // TPM_INT_VECTOR_x, 8 bits: SERIRQ vector
	RegIntStatus      Reg = 0x010 // TPM_INT_STATUS_x, 32 bits, write 1 to clear
	RegIntfCapability Reg = 0x014 // TPM_INTF_CAPABILITY_x, 32 bits
	RegSTS            Reg = 0x018 // TPM_STS_x: status byte, burstCount (bits 23:8), stsEx
	RegBurstCount     Reg = 0x019 // low byte of burstCount inside TPM_STS_x
	RegDataFIFO       Reg = 0x024 // TPM_DATA_FIFO_x, 8 bits
	RegInterfaceID    Reg = 0x030 // TPM_INTERFACE_ID_x, 32 bits (TIS 1.3 and PTP)
	RegDIDVID         Reg = 0xF00 // TPM_DID_VID_x: vendor in bits 15:0, device in 31:16
	RegRID            Reg = 0xF04 // TPM_RID_x, 8 bits: revision
)

var regNames = map[Reg]string{
	RegAccess: "ACCESS", RegIntEnable: "INT_ENABLE", RegIntVector: "INT_VECTOR",
	RegIntStatus: "INT_STATUS", RegIntfCapability: "INTF_CAPABILITY", RegSTS: "STS",
	RegBurstCount: "BURST_COUNT", RegDataFIFO: "DATA_FIFO", RegInterfaceID: "INTERFACE_ID",
	RegDIDVID: "DID_VID", RegRID: "RID",
}

// String returns the spec name of r, such as "STS", or its offset in hex.
func (r Reg) String() string {
	if n, ok := regNames[r]; ok {
		return n
	}
	return fmt.Sprintf("reg %#03x", uint32(r))
}

// Offset returns the Bus offset of register r in locality l.
func Offset(l int, r Reg) uint32 { return uint32(l)<<12 | uint32(r)&0xFFF }

// RegName names a Bus offset, such as "STS_0" or "DATA_FIFO_2".
func RegName(off uint32) string {
	return fmt.Sprintf("%s_%d", Reg(off&0xFFF), off>>12)
}

// Access is the TPM_ACCESS register (TIS 1.2 §11.2.2).
type Access uint8

// TPM_ACCESS bits.
const (
	AccessEstablishment  Access = 1 << 0 // tpmEstablishment: no DRTM has been established
	AccessRequestUse     Access = 1 << 1 // requestUse: write 1 to request the locality
	AccessPendingRequest Access = 1 << 2 // pendingRequest: another locality wants the TPM
	AccessSeize          Access = 1 << 3 // Seize: write 1 to take the TPM from a lower locality
	AccessBeenSeized     Access = 1 << 4 // beenSeized: this locality lost the TPM to a Seize
	AccessActiveLocality Access = 1 << 5 // activeLocality: read, this locality owns the TPM; write 1, relinquish
	AccessValid          Access = 1 << 7 // tpmRegValidSts: the other bits are valid
)

var accessBits = []struct {
	bit  Access
	name string
}{
	{AccessValid, "tpmRegValidSts"}, {AccessActiveLocality, "activeLocality"},
	{AccessBeenSeized, "beenSeized"}, {AccessSeize, "Seize"},
	{AccessPendingRequest, "pendingRequest"}, {AccessRequestUse, "requestUse"},
	{AccessEstablishment, "tpmEstablishment"}, {1 << 6, "bit6"},
}

// String lists the bits that are set, such as "tpmRegValidSts|activeLocality", or "0".
func (a Access) String() string {
	var parts []string
	for _, b := range accessBits {
		if a&b.bit != 0 {
			parts = append(parts, b.name)
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "|")
}

// Valid reports tpmRegValidSts.
func (a Access) Valid() bool { return a&AccessValid != 0 }

// Granted reports whether the locality is active and nothing is pending on it: valid, active
// and requestUse cleared, the test modern Linux uses.
func (a Access) Granted() bool {
	return a&(AccessValid|AccessActiveLocality|AccessRequestUse) == AccessValid|AccessActiveLocality
}

// Status is the 32-bit TPM_STS register: the status byte, burstCount in bits 23:8 and the
// TPM 2.0 extension byte (TIS 1.2 §11.2.6, PTP §6.5.2.7).
type Status uint32

// TPM_STS bits.
const (
	StsResponseRetry Status = 1 << 1  // responseRetry (write): send the response again
	StsSelfTestDone  Status = 1 << 2  // selfTestDone (TIS 1.3, PTP)
	StsExpect        Status = 1 << 3  // Expect: the TPM wants more command bytes
	StsDataAvail     Status = 1 << 4  // dataAvail: response bytes are available
	StsGo            Status = 1 << 5  // tpmGo (write): execute the command in the FIFO
	StsCommandReady  Status = 1 << 6  // commandReady: ready for a command; write 1 to abort/ready
	StsValid         Status = 1 << 7  // stsValid: Expect and dataAvail are valid
	StsCommandCancel Status = 1 << 24 // commandCancel (TPM 2.0, write)
	stsReadZero      Status = 0x23    // bits that must read as zero (Linux TPM_STS_READ_ZERO)
)

var stsBits = []struct {
	bit  Status
	name string
}{
	{StsValid, "stsValid"}, {StsCommandReady, "commandReady"}, {StsGo, "tpmGo"},
	{StsDataAvail, "dataAvail"}, {StsExpect, "Expect"}, {StsSelfTestDone, "selfTestDone"},
	{StsResponseRetry, "responseRetry"}, {1, "bit0"},
}

// String lists the status bits that are set and, when not zero, the burst count and family,
// such as "stsValid|dataAvail burstCount=10".
func (s Status) String() string {
	var parts []string
	for _, b := range stsBits {
		if s&b.bit != 0 {
			parts = append(parts, b.name)
		}
	}
	out := "0"
	if len(parts) > 0 {
		out = strings.Join(parts, "|")
	}
	if bc := s.BurstCount(); bc != 0 {
		out += fmt.Sprintf(" burstCount=%d", bc)
	}
	if f := s >> 26 & 3; f != 0 {
		out += fmt.Sprintf(" tpmFamily=%d", f)
	}
	return out
}

// BurstCount returns bits 23:8: how many bytes may be moved without checking the status again.
func (s Status) BurstCount() int { return int(s >> 8 & 0xFFFF) }

// Has reports whether every bit of mask is set.
func (s Status) Has(mask Status) bool { return s&mask == mask }

// sane reports whether the bits that must read zero do: an all-ones bus fails this test.
func (s Status) sane() bool { return s&stsReadZero == 0 }

// Family returns the tpmFamily field (bits 27:26): 0 for TPM 1.2, 1 for TPM 2.0.
func (s Status) Family() int { return int(s >> 26 & 3) }

// IntfCapability is TPM_INTF_CAPABILITY (TIS 1.2 §11.2.11, PTP §6.5.2.5).
type IntfCapability uint32

// InterfaceVersion returns bits 30:28: 0 for TIS 1.2, 2 for TIS 1.3, 3 for TIS 1.3 for TPM 2.0.
func (c IntfCapability) InterfaceVersion() int { return int(c >> 28 & 7) }

// TransferSize returns the largest FIFO transfer the TPM supports, in bytes (bits 10:9;
// 0 means legacy, one byte at a time is always allowed).
func (c IntfCapability) TransferSize() int {
	return [...]int{1, 8, 32, 64}[c>>9&3]
}

// BurstCountStatic reports bit 8: burstCount does not change while a burst is moved.
func (c IntfCapability) BurstCountStatic() bool { return c&(1<<8) != 0 }

// String describes the interface version, transfer size and interrupt support.
func (c IntfCapability) String() string {
	if c == 0xFFFFFFFF {
		return "0xffffffff (all ones)"
	}
	v := map[int]string{0: "TIS 1.2", 2: "TIS 1.3", 3: "TIS 1.3 for TPM 2.0"}[c.InterfaceVersion()]
	if v == "" {
		v = fmt.Sprintf("interface version %d", c.InterfaceVersion())
	}
	return fmt.Sprintf("%#08x (%s, transfers up to %d bytes, interrupt sources %#02x)",
		uint32(c), v, c.TransferSize(), uint32(c)&0x87)
}

// InterfaceID is TPM_INTERFACE_ID (PTP §6.5.2.3). A TIS 1.3 part that has no such register
// reads 0xFFFFFFFF here; its interface type 0xF says "look at INTF_CAPABILITY".
type InterfaceID uint32

// Type returns bits 3:0: 0 FIFO for TPM 2.0 (PTP), 1 CRB, 0xF TIS 1.3 FIFO.
func (i InterfaceID) Type() int { return int(i & 0xF) }

// String names the interface type.
func (i InterfaceID) String() string {
	switch i.Type() {
	case 0:
		return fmt.Sprintf("%#08x (FIFO, PTP)", uint32(i))
	case 1:
		return fmt.Sprintf("%#08x (CRB)", uint32(i))
	case 0xF:
		return fmt.Sprintf("%#08x (TIS 1.3 FIFO: see INTF_CAPABILITY)", uint32(i))
	}
	return fmt.Sprintf("%#08x (interface type %d)", uint32(i), i.Type())
}
