package tisdev

// Register offsets inside a locality's 4 KiB page (TIS 1.2/1.3, PTP FIFO).
const (
	RegAccess         = 0x000 // TPM_ACCESS, 8 bits
	RegIntEnable      = 0x008 // TPM_INT_ENABLE, 32 bits
	RegIntVector      = 0x00C // TPM_INT_VECTOR, 8 bits (SERIRQ frame)
	RegIntStatus      = 0x010 // TPM_INT_STATUS, 32 bits, write 1 to clear
	RegIntfCapability = 0x014 // TPM_INTF_CAPABILITY, 32 bits
	RegSts            = 0x018 // TPM_STS: byte 0 status, bytes 1-2 burstCount, byte 3 stsEx
	RegDataFIFO       = 0x024 // TPM_DATA_FIFO; 0x24-0x27 all reach the FIFO
	RegInterfaceID    = 0x030 // TPM_INTERFACE_ID, 32 bits (TIS 1.3, PTP)
	RegXDataFIFO      = 0x080 // TPM_XDATA_FIFO, 0x80-0xBF (TIS 1.3, PTP)
	RegDIDVID         = 0xF00 // TPM_DID_VID: VID in bits 15:0, DID in bits 31:16
	RegRID            = 0xF04 // TPM_RID, 8 bits
)

// TPM_ACCESS bits.
const (
	AccessEstablishment  = 0x01 // tpmEstablishment: 1 = no DRTM has been established
	AccessRequestUse     = 0x02 // requestUse
	AccessPendingRequest = 0x04 // pendingRequest: another locality has requestUse set
	AccessSeize          = 0x08 // Seize (write only)
	AccessBeenSeized     = 0x10 // beenSeized, write 1 to clear
	AccessActiveLocality = 0x20 // activeLocality; write 1 to relinquish
	AccessValid          = 0x80 // tpmRegValidSts
)

// TPM_STS bits of byte 0 (offset 0x18).
const (
	StsResponseRetry = 0x02 // responseRetry (write)
	StsSelfTestDone  = 0x04 // selfTestDone (TIS 1.3, PTP)
	StsExpect        = 0x08 // Expect
	StsDataAvail     = 0x10 // dataAvail
	StsGo            = 0x20 // tpmGo (write)
	StsCommandReady  = 0x40 // commandReady
	StsValid         = 0x80 // stsValid
)

// TPM_STS bits of byte 3 (offset 0x1B, bits 31:24 of the register).
const (
	Sts3CommandCancel      = 0x01 // commandCancel (TPM 2.0, write)
	Sts3ResetEstablishment = 0x02 // resetEstablishmentBit (TPM 2.0, localities 3 and 4, write)
	Sts3Family20           = 0x04 // tpmFamily = 01 (TPM 2.0) in bits 27:26
)

// TPM_INT_ENABLE and TPM_INT_STATUS bits.
const (
	IntDataAvail      = 0x01       // dataAvail interrupt
	IntStsValid       = 0x02       // stsValid interrupt
	IntLocalityChange = 0x04       // localityChange interrupt
	IntPolarityMask   = 0x18       // typePolarity, bits 4:3
	IntLowLevel       = 0x08       // typePolarity 01: low level (the reset value)
	IntCommandReady   = 0x80       // commandReady interrupt
	IntGlobalEnable   = 0x80000000 // globalIntEnable (INT_ENABLE only)
	intSources        = IntDataAvail | IntStsValid | IntLocalityChange | IntCommandReady
)

// TPM_INTF_CAPABILITY fields.
const (
	CapInterfaceVersionShift = 28      // InterfaceVersion, bits 30:28
	CapInterfaceVersionMask  = 7 << 28 // InterfaceVersion, bits 30:28
	CapBurstCountStatic      = 1 << 8  // BurstCountStatic
	CapTransferSize64        = 3 << 9  // DataTransferSizeSupport = 64 bytes
	CapInterfaceTIS12        = 0       // InterfaceVersion 0: TIS 1.2
	CapInterfaceTIS13        = 2 << 28 // InterfaceVersion 2: TIS 1.3
	CapInterfaceTIS13TPM20   = 3 << 28 // InterfaceVersion 3: TIS 1.3 for TPM 2.0
	InterfaceIDIntfSelLock   = 1 << 19 // TPM_INTERFACE_ID IntfSelLock
)

// BufferSize is the size of the command/response buffer (QEMU's
// TPM_TIS_BUFFER_MAX).
const BufferSize = 4096

// noData is what FIFO reads return when there is nothing to read, and what
// undecoded registers and the STS/FIFO of an inactive locality read.
const noData = 0xFF

// Localities is the number of TIS localities (0-4).
const Localities = 5

// RegisterName names the register an address falls in, for register-access
// logs: "ACCESS", "STS", "DATA_FIFO", ..., or "" when the device decodes no
// register there.
func RegisterName(addr uint16) string {
	if addr>>12 >= Localities {
		return ""
	}
	off := addr & 0xFFF
	switch {
	case off == RegAccess:
		return "ACCESS"
	case off >= RegIntEnable && off < RegIntEnable+4:
		return "INT_ENABLE"
	case off == RegIntVector:
		return "INT_VECTOR"
	case off >= RegIntStatus && off < RegIntStatus+4:
		return "INT_STATUS"
	case off >= RegIntfCapability && off < RegIntfCapability+4:
		return "INTF_CAPABILITY"
	case off >= RegSts && off < RegSts+4:
		return "STS"
	case off >= RegDataFIFO && off < RegDataFIFO+4:
		return "DATA_FIFO"
	case off >= RegInterfaceID && off < RegInterfaceID+4:
		return "INTERFACE_ID"
	case off >= RegXDataFIFO && off < RegXDataFIFO+0x40:
		return "XDATA_FIFO"
	case off >= RegDIDVID && off < RegDIDVID+4:
		return "DID_VID"
	case off == RegRID:
		return "RID"
	}
	return ""
}
