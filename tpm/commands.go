package tpm

import "fmt"

// StartupType is the TPM_STARTUP_TYPE parameter of TPM_Startup.
type StartupType uint16

// TPM 1.2 startup types.
const (
	STClear       StartupType = 1 // TPM_ST_CLEAR
	STState       StartupType = 2 // TPM_ST_STATE
	STDeactivated StartupType = 3 // TPM_ST_DEACTIVATED
)

// PhysicalPresence is the TPM_PHYSICAL_PRESENCE parameter of
// TSC_PhysicalPresence; values are bit masks and may be combined.
type PhysicalPresence uint16

// Physical presence bits.
const (
	PPLock         PhysicalPresence = 0x0004
	PPPresent      PhysicalPresence = 0x0008
	PPNotPresent   PhysicalPresence = 0x0010
	PPCMDEnable    PhysicalPresence = 0x0020
	PPHWEnable     PhysicalPresence = 0x0040
	PPLifetimeLock PhysicalPresence = 0x0080
	PPCMDDisable   PhysicalPresence = 0x0100
	PPHWDisable    PhysicalPresence = 0x0200
)

var ppNames = []struct {
	bit  PhysicalPresence
	name string
}{
	{PPHWDisable, "HW_DISABLE"}, {PPCMDDisable, "CMD_DISABLE"}, {PPLifetimeLock, "LIFETIME_LOCK"},
	{PPHWEnable, "HW_ENABLE"}, {PPCMDEnable, "CMD_ENABLE"}, {PPNotPresent, "NOTPRESENT"},
	{PPPresent, "PRESENT"}, {PPLock, "LOCK"},
}

// String returns the set bits joined with "|", e.g. "NOTPRESENT|LOCK".
func (p PhysicalPresence) String() string {
	s, rest := joinBits(uint32(p), len(ppNames), func(i int) (uint32, string) {
		return uint32(ppNames[i].bit), ppNames[i].name
	})
	if rest != 0 {
		s = joinName(s, fmt.Sprintf("0x%04X", rest))
	}
	return s
}

// joinBits names the bits of v from a table and returns the unnamed rest.
func joinBits(v uint32, n int, entry func(int) (uint32, string)) (string, uint32) {
	s := ""
	for i := range n {
		bit, name := entry(i)
		if v&bit != 0 {
			s = joinName(s, name)
			v &^= bit
		}
	}
	return s, v
}

func joinName(s, name string) string {
	if s == "" {
		return name
	}
	return s + "|" + name
}

func cmd(o Ordinal, params ...[]byte) []byte { return encode(TagRquCommand, uint32(o), concat(params)) }

func u32(v uint32) []byte { return put32(nil, v) }

// Startup builds TPM_Startup(t).
func Startup(t StartupType) []byte { return cmd(OrdStartup, put16(nil, uint16(t))) }

// GetCapability builds TPM_GetCapability with any sub-capability bytes
// (nil for none, subCapSize 0).
func GetCapability(c Cap, subCap []byte) []byte {
	return cmd(OrdGetCapability, u32(uint32(c)), u32(uint32(len(subCap))), subCap)
}

// GetCapVersionVal builds GetCapability(TPM_CAP_VERSION_VAL) with subCapSize 0,
// as Linux and tpm-tools send it.
func GetCapVersionVal() []byte { return GetCapability(CapVersionVal, nil) }

// GetCapVersion builds GetCapability(TPM_CAP_VERSION), the TPM 1.1 version.
func GetCapVersion() []byte { return GetCapability(CapVersion, nil) }

// GetCapProperty builds GetCapability(TPM_CAP_PROPERTY, p).
func GetCapProperty(p Prop) []byte { return GetCapability(CapProperty, u32(uint32(p))) }

// GetCapFlag builds GetCapability(TPM_CAP_FLAG, sub) with CapFlagPermanent or
// CapFlagVolatile.
func GetCapFlag(sub uint32) []byte { return GetCapability(CapFlag, u32(sub)) }

// GetCapNVList builds GetCapability(TPM_CAP_NV_LIST).
func GetCapNVList() []byte { return GetCapability(CapNVList, nil) }

// GetCapNVIndex builds GetCapability(TPM_CAP_NV_INDEX, index).
func GetCapNVIndex(index uint32) []byte { return GetCapability(CapNVIndex, u32(index)) }

// ContinueSelfTest builds TPM_ContinueSelfTest.
func ContinueSelfTest() []byte { return cmd(OrdContinueSelfTest) }

// SelfTestFull builds TPM_SelfTestFull.
func SelfTestFull() []byte { return cmd(OrdSelfTestFull) }

// GetTestResult builds TPM_GetTestResult.
func GetTestResult() []byte { return cmd(OrdGetTestResult) }

// PCRRead builds TPM_PCRRead(index).
func PCRRead(index uint32) []byte { return cmd(OrdPCRRead, u32(index)) }

// Extend builds TPM_Extend(index, digest).
func Extend(index uint32, digest [20]byte) []byte { return cmd(OrdExtend, u32(index), digest[:]) }

// GetRandom builds TPM_GetRandom(n).
func GetRandom(n uint32) []byte { return cmd(OrdGetRandom, u32(n)) }

// TSCPhysicalPresence builds TSC_PhysicalPresence(pp).
func TSCPhysicalPresence(pp PhysicalPresence) []byte {
	return cmd(OrdTSCPhysicalPresence, put16(nil, uint16(pp)))
}

// PhysicalEnable builds TPM_PhysicalEnable.
func PhysicalEnable() []byte { return cmd(OrdPhysicalEnable) }

// PhysicalDisable builds TPM_PhysicalDisable.
func PhysicalDisable() []byte { return cmd(OrdPhysicalDisable) }

// PhysicalSetDeactivated builds TPM_PhysicalSetDeactivated(state).
func PhysicalSetDeactivated(state bool) []byte {
	return cmd(OrdPhysicalSetDeactivated, putBool(nil, state))
}

// NVDefineSpace builds an unauthorised TPM_NV_DefineSpace (tag
// RQU_COMMAND, encAuth all zero), as used before an owner exists and for
// TPM_NV_INDEX_LOCK.
func NVDefineSpace(pub NVDataPublic) []byte {
	var encAuth [20]byte
	return cmd(OrdNVDefineSpace, pub.Marshal(), encAuth[:])
}

// NVLock builds the TPM_NV_DefineSpace of TPM_NV_INDEX_LOCK (0xFFFFFFFF) with
// size 0 and no permissions, as tpm_nvdefine sends it; it sets
// TPM_PERMANENT_FLAGS.nvLocked for good.
func NVLock() []byte { return NVDefineSpace(NewNVDataPublic(NVIndexLock, 0, 0)) }

// NVReadValue builds an unauthorised TPM_NV_ReadValue.
func NVReadValue(index, offset, size uint32) []byte {
	return cmd(OrdNVReadValue, u32(index), u32(offset), u32(size))
}

// NVWriteValue builds an unauthorised TPM_NV_WriteValue.
func NVWriteValue(index, offset uint32, data []byte) []byte {
	return cmd(OrdNVWriteValue, u32(index), u32(offset), u32(uint32(len(data))), data)
}

// Sized encodes a UINT32 length followed by b, the shape of GetCapability,
// GetRandom, GetTestResult and NV_ReadValue responses.
func Sized(b []byte) []byte { return append(u32(uint32(len(b))), b...) }

// ParseSized checks that a response succeeded and returns the data of its
// UINT32-size-prefixed parameter (GetCapability, GetRandom, GetTestResult,
// NV_ReadValue). The size must match the bytes that follow exactly.
func ParseSized(r Response) ([]byte, error) {
	if err := r.Err(); err != nil {
		return nil, err
	}
	d := newDecoder("sized response", r.Params, HeaderSize)
	n := d.u32("size")
	if d.err == nil && uint64(n) != uint64(len(r.Params)-4) {
		return nil, fmt.Errorf("tpm: sized response: %w: size at byte offset %d says %d, %d bytes follow",
			ErrMalformed, HeaderSize, n, len(r.Params)-4)
	}
	b := d.bytes(int(n), "data")
	return b, d.done()
}

// ParsePCRRead checks a TPM_PCRRead response and returns the digest.
func ParsePCRRead(r Response) ([20]byte, error) {
	var out [20]byte
	if err := r.Err(); err != nil {
		return out, err
	}
	d := newDecoder("TPM_PCRRead response", r.Params, HeaderSize)
	copy(out[:], d.bytes(20, "outDigest"))
	return out, d.done()
}

// ParseUint32 decodes a UINT32 capability value (most TPM_CAP_PROP_*).
func ParseUint32(b []byte) (uint32, error) {
	d := newDecoder("UINT32 value", b, 0)
	v := d.u32("value")
	return v, d.done()
}

// ParseBool decodes a BOOL capability value (TPM_CAP_PROP_OWNER, TPM_CAP_ORD).
func ParseBool(b []byte) (bool, error) {
	d := newDecoder("BOOL value", b, 0)
	v := d.u8("value")
	if err := d.done(); err != nil {
		return false, err
	}
	if v > 1 {
		return false, fmt.Errorf("tpm: BOOL value: %w: byte offset 0 is 0x%02X, want 0 or 1", ErrMalformed, v)
	}
	return v == 1, nil
}
