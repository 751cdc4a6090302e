package tpm

import (
	"fmt"
	"strings"
)

// StartupType2 is the TPM_SU parameter of TPM2_Startup.
type StartupType2 uint16

// TPM 2.0 startup types.
const (
	SUClear StartupType2 = 0x0000 // TPM_SU_CLEAR
	SUState StartupType2 = 0x0001 // TPM_SU_STATE
)

// Cap2 is a TPM 2.0 capability (TPM_CAP).
type Cap2 uint32

// TPM 2.0 capabilities.
const (
	Cap2Algs          Cap2 = 0
	Cap2Handles       Cap2 = 1
	Cap2Commands      Cap2 = 2
	Cap2PPCommands    Cap2 = 3
	Cap2AuditCommands Cap2 = 4
	Cap2PCRs          Cap2 = 5
	Cap2TPMProperties Cap2 = 6
	Cap2PCRProperties Cap2 = 7
	Cap2ECCCurves     Cap2 = 8
)

// Alg is a TPM 2.0 algorithm identifier (TPM_ALG_ID), here the hash
// algorithms of PCR banks.
type Alg uint16

// Hash algorithms.
const (
	AlgSHA1   Alg = 0x0004
	AlgSHA256 Alg = 0x000B
	AlgSHA384 Alg = 0x000C
	AlgSHA512 Alg = 0x000D
	AlgSM3    Alg = 0x0012
)

var algInfo = map[Alg]struct {
	name string
	size int
}{
	AlgSHA1: {"sha1", 20}, AlgSHA256: {"sha256", 32}, AlgSHA384: {"sha384", 48},
	AlgSHA512: {"sha512", 64}, AlgSM3: {"sm3_256", 32},
}

// String returns the name tpm2-tools uses, e.g. "sha256".
func (a Alg) String() string {
	if i, ok := algInfo[a]; ok {
		return i.name
	}
	return fmt.Sprintf("alg 0x%04X", uint16(a))
}

// DigestSize returns the digest length in bytes, 0 if unknown.
func (a Alg) DigestSize() int { return algInfo[a].size }

// PT is a TPM 2.0 property tag (TPM_PT).
type PT uint32

// Fixed (0x100) and variable (0x200) TPM properties.
const (
	PTFamilyIndicator   PT = 0x100
	PTLevel             PT = 0x101
	PTRevision          PT = 0x102
	PTDayOfYear         PT = 0x103
	PTYear              PT = 0x104
	PTManufacturer      PT = 0x105
	PTVendorString1     PT = 0x106
	PTVendorString2     PT = 0x107
	PTVendorString3     PT = 0x108
	PTVendorString4     PT = 0x109
	PTVendorTPMType     PT = 0x10A
	PTFirmwareVersion1  PT = 0x10B
	PTFirmwareVersion2  PT = 0x10C
	PTInputBuffer       PT = 0x10D
	PTHRTransientMin    PT = 0x10E
	PTHRPersistentMin   PT = 0x10F
	PTHRLoadedMin       PT = 0x110
	PTActiveSessionsMax PT = 0x111
	PTPCRCount          PT = 0x112
	PTPCRSelectMin      PT = 0x113
	PTContextGapMax     PT = 0x114
	PTNVCountersMax     PT = 0x116
	PTNVIndexMax        PT = 0x117
	PTMemory            PT = 0x118
	PTClockUpdate       PT = 0x119
	PTContextHash       PT = 0x11A
	PTContextSym        PT = 0x11B
	PTContextSymSize    PT = 0x11C
	PTOrderlyCount      PT = 0x11D
	PTMaxCommandSize    PT = 0x11E
	PTMaxResponseSize   PT = 0x11F
	PTMaxDigest         PT = 0x120
	PTMaxObjectContext  PT = 0x121
	PTMaxSessionContext PT = 0x122
	PTPSFamilyIndicator PT = 0x123
	PTPSLevel           PT = 0x124
	PTPSRevision        PT = 0x125
	PTPSDayOfYear       PT = 0x126
	PTPSYear            PT = 0x127
	PTSplitMax          PT = 0x128
	PTTotalCommands     PT = 0x129
	PTLibraryCommands   PT = 0x12A
	PTVendorCommands    PT = 0x12B
	PTNVBufferMax       PT = 0x12C
	PTModes             PT = 0x12D
	PTMaxCapBuffer      PT = 0x12E

	PTPermanent         PT = 0x200
	PTStartupClear      PT = 0x201
	PTHRNVIndex         PT = 0x202
	PTHRLoaded          PT = 0x203
	PTHRLoadedAvail     PT = 0x204
	PTHRActive          PT = 0x205
	PTHRActiveAvail     PT = 0x206
	PTHRTransientAvail  PT = 0x207
	PTHRPersistent      PT = 0x208
	PTHRPersistentAvail PT = 0x209
	PTNVCounters        PT = 0x20A
	PTNVCountersAvail   PT = 0x20B
	PTAlgorithmSet      PT = 0x20C
	PTLoadedCurves      PT = 0x20D
	PTLockoutCounter    PT = 0x20E
	PTMaxAuthFail       PT = 0x20F
	PTLockoutInterval   PT = 0x210
	PTLockoutRecovery   PT = 0x211
	PTNVWriteRecovery   PT = 0x212
	PTAuditCounter0     PT = 0x213
	PTAuditCounter1     PT = 0x214
)

var ptNames = map[PT]string{
	PTFamilyIndicator: "FAMILY_INDICATOR", PTLevel: "LEVEL", PTRevision: "REVISION",
	PTDayOfYear: "DAY_OF_YEAR", PTYear: "YEAR", PTManufacturer: "MANUFACTURER",
	PTVendorString1: "VENDOR_STRING_1", PTVendorString2: "VENDOR_STRING_2",
	PTVendorString3: "VENDOR_STRING_3", PTVendorString4: "VENDOR_STRING_4",
	PTVendorTPMType: "VENDOR_TPM_TYPE", PTFirmwareVersion1: "FIRMWARE_VERSION_1",
	PTFirmwareVersion2: "FIRMWARE_VERSION_2", PTInputBuffer: "INPUT_BUFFER",
	PTHRTransientMin: "HR_TRANSIENT_MIN", PTHRPersistentMin: "HR_PERSISTENT_MIN",
	PTHRLoadedMin: "HR_LOADED_MIN", PTActiveSessionsMax: "ACTIVE_SESSIONS_MAX",
	PTPCRCount: "PCR_COUNT", PTPCRSelectMin: "PCR_SELECT_MIN", PTContextGapMax: "CONTEXT_GAP_MAX",
	PTNVCountersMax: "NV_COUNTERS_MAX", PTNVIndexMax: "NV_INDEX_MAX", PTMemory: "MEMORY",
	PTClockUpdate: "CLOCK_UPDATE", PTContextHash: "CONTEXT_HASH", PTContextSym: "CONTEXT_SYM",
	PTContextSymSize: "CONTEXT_SYM_SIZE", PTOrderlyCount: "ORDERLY_COUNT",
	PTMaxCommandSize: "MAX_COMMAND_SIZE", PTMaxResponseSize: "MAX_RESPONSE_SIZE",
	PTMaxDigest: "MAX_DIGEST", PTMaxObjectContext: "MAX_OBJECT_CONTEXT",
	PTMaxSessionContext: "MAX_SESSION_CONTEXT", PTPSFamilyIndicator: "PS_FAMILY_INDICATOR",
	PTPSLevel: "PS_LEVEL", PTPSRevision: "PS_REVISION", PTPSDayOfYear: "PS_DAY_OF_YEAR",
	PTPSYear: "PS_YEAR", PTSplitMax: "SPLIT_MAX", PTTotalCommands: "TOTAL_COMMANDS",
	PTLibraryCommands: "LIBRARY_COMMANDS", PTVendorCommands: "VENDOR_COMMANDS",
	PTNVBufferMax: "NV_BUFFER_MAX", PTModes: "MODES", PTMaxCapBuffer: "MAX_CAP_BUFFER",
	PTPermanent: "PERMANENT", PTStartupClear: "STARTUP_CLEAR", PTHRNVIndex: "HR_NV_INDEX",
	PTHRLoaded: "HR_LOADED", PTHRLoadedAvail: "HR_LOADED_AVAIL", PTHRActive: "HR_ACTIVE",
	PTHRActiveAvail: "HR_ACTIVE_AVAIL", PTHRTransientAvail: "HR_TRANSIENT_AVAIL",
	PTHRPersistent: "HR_PERSISTENT", PTHRPersistentAvail: "HR_PERSISTENT_AVAIL",
	PTNVCounters: "NV_COUNTERS", PTNVCountersAvail: "NV_COUNTERS_AVAIL",
	PTAlgorithmSet: "ALGORITHM_SET", PTLoadedCurves: "LOADED_CURVES",
	PTLockoutCounter: "LOCKOUT_COUNTER", PTMaxAuthFail: "MAX_AUTH_FAIL",
	PTLockoutInterval: "LOCKOUT_INTERVAL", PTLockoutRecovery: "LOCKOUT_RECOVERY",
	PTNVWriteRecovery: "NV_WRITE_RECOVERY", PTAuditCounter0: "AUDIT_COUNTER_0",
	PTAuditCounter1: "AUDIT_COUNTER_1",
}

// String returns the name tpm2_getcap prints, e.g. "TPM2_PT_MANUFACTURER".
func (p PT) String() string {
	if n, ok := ptNames[p]; ok {
		return "TPM2_PT_" + n
	}
	return fmt.Sprintf("TPM2_PT 0x%X", uint32(p))
}

// PropertyText decodes a property holding up to four ASCII characters
// (MANUFACTURER, VENDOR_STRING_n, FAMILY_INDICATOR) as tpm2_getcap shows
// it: NULs and trailing spaces removed, e.g. 0x49465800 → "IFX".
func PropertyText(v uint32) string {
	b := []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	return strings.TrimRight(strings.ReplaceAll(string(b), "\x00", ""), " ")
}

// PropertyValue encodes up to four ASCII characters as a property value,
// padded with NULs: "IFX" → 0x49465800.
func PropertyValue(s string) uint32 {
	var v uint32
	for i := range 4 {
		v <<= 8
		if i < len(s) {
			v |= uint32(s[i])
		}
	}
	return v
}

func cmd2(cc CommandCode, params ...[]byte) []byte {
	return encode(TagNoSessions, uint32(cc), concat(params))
}

// Startup2 builds TPM2_Startup(su).
func Startup2(su StartupType2) []byte { return cmd2(CCStartup, put16(nil, uint16(su))) }

// SelfTest2 builds TPM2_SelfTest(fullTest).
func SelfTest2(full bool) []byte { return cmd2(CCSelfTest, putBool(nil, full)) }

// GetTestResult2 builds TPM2_GetTestResult.
func GetTestResult2() []byte { return cmd2(CCGetTestResult) }

// GetCapability2 builds TPM2_GetCapability(capability, property, count).
func GetCapability2(c Cap2, property, count uint32) []byte {
	return cmd2(CCGetCapability, u32(uint32(c)), u32(property), u32(count))
}

// GetRandom2 builds TPM2_GetRandom(n).
func GetRandom2(n uint16) []byte { return cmd2(CCGetRandom, put16(nil, n)) }

// PCRRead2 builds TPM2_PCR_Read for the selections.
func PCRRead2(sel ...PCRSelection) []byte { return cmd2(CCPCRRead, marshalSelections(sel)) }

// NVReadPublic2 builds TPM2_NV_ReadPublic(index).
func NVReadPublic2(index uint32) []byte { return cmd2(CCNVReadPublic, u32(index)) }

// Sized2 encodes a TPM2B: a UINT16 length followed by b.
func Sized2(b []byte) []byte { return append(put16(nil, uint16(len(b))), b...) }

// GetCapabilityRequest2 is the parameter part of TPM2_GetCapability.
type GetCapabilityRequest2 struct {
	// Capability is the group of values asked for (capability).
	Capability Cap2
	// Property is the first property of the group to return (property).
	Property uint32
	// Count is the most properties to return (propertyCount).
	Count uint32
}

// ParseGetCapabilityRequest2 decodes the parameters of TPM2_GetCapability.
func ParseGetCapabilityRequest2(params []byte) (GetCapabilityRequest2, error) {
	d := newDecoder("TPM2_GetCapability request", params, HeaderSize)
	r := GetCapabilityRequest2{Cap2(d.u32("capability")), d.u32("property"), d.u32("propertyCount")}
	return r, d.done()
}

// TaggedProperty is TPMS_TAGGED_PROPERTY.
type TaggedProperty struct {
	// Property is the TPM_PT identifier (TPMS_TAGGED_PROPERTY.property).
	Property PT
	// Value is the property's value (TPMS_TAGGED_PROPERTY.value).
	Value uint32
}

// CapabilityData2 is the answer to TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES):
// moreData and a TPML_TAGGED_TPM_PROPERTY.
type CapabilityData2 struct {
	// MoreData is TRUE when the TPM has more properties than it returned (moreData).
	MoreData bool
	// Properties is the list of tagged properties in wire order (TPML_TAGGED_TPM_PROPERTY.tpmProperty).
	Properties []TaggedProperty
}

// Marshal encodes moreData, capability (TPM_PROPERTIES) and the list.
func (c CapabilityData2) Marshal() []byte {
	b := putBool(nil, c.MoreData)
	b = put32(b, uint32(Cap2TPMProperties))
	b = put32(b, uint32(len(c.Properties)))
	for _, p := range c.Properties {
		b = put32(put32(b, uint32(p.Property)), p.Value)
	}
	return b
}

// Unmarshal decodes the response parameters; the capability must be
// TPM_CAP_TPM_PROPERTIES and the count must match the bytes that follow.
func (c *CapabilityData2) Unmarshal(b []byte) error {
	d := newDecoder("TPM2_GetCapability response", b, HeaderSize)
	more := d.u8("moreData")
	if capAt, cp := d.base+d.off, d.u32("capability"); d.err == nil && Cap2(cp) != Cap2TPMProperties {
		return fmt.Errorf("tpm: TPM2_GetCapability response: %w: capability at byte offset %d is %d, only TPM_CAP_TPM_PROPERTIES (6) is decoded",
			ErrMalformed, capAt, cp)
	}
	n := d.u32("count")
	if d.err == nil && uint64(n)*8 != uint64(len(b)-d.off) {
		return fmt.Errorf("tpm: TPM2_GetCapability response: %w: count at byte offset %d says %d properties, %d bytes follow",
			ErrMalformed, d.base+d.off-4, n, len(b)-d.off)
	}
	out := CapabilityData2{MoreData: more != 0}
	for range n {
		if d.err != nil {
			break
		}
		out.Properties = append(out.Properties, TaggedProperty{PT(d.u32("property")), d.u32("value")})
	}
	if err := d.done(); err != nil {
		return err
	}
	*c = out
	return nil
}

// Get returns the value of a property in the list.
func (c CapabilityData2) Get(p PT) (uint32, bool) {
	for _, tp := range c.Properties {
		if tp.Property == p {
			return tp.Value, true
		}
	}
	return 0, false
}

// ParseGetCapability2 checks a TPM2_GetCapability response and decodes its
// tagged properties.
func ParseGetCapability2(r Response) (CapabilityData2, error) {
	var c CapabilityData2
	if err := r.Err(); err != nil {
		return c, err
	}
	return c, c.Unmarshal(r.Params)
}

// PCRSelection is TPMS_PCR_SELECTION: a hash bank and a PCR bit map.
type PCRSelection struct {
	// Hash is the hash algorithm of the PCR bank (TPMS_PCR_SELECTION.hash).
	Hash Alg
	// Select is the PCR bit map, bit n of byte i selecting PCR 8i+n (TPMS_PCR_SELECTION.pcrSelect).
	Select []byte
}

// NewPCRSelection selects PCRs of one bank with the usual 3-byte bit map
// (more bytes if a PCR above 23 is given).
func NewPCRSelection(hash Alg, pcrs ...int) PCRSelection {
	n := 3
	for _, p := range pcrs {
		n = max(n, p/8+1)
	}
	s := PCRSelection{Hash: hash, Select: make([]byte, n)}
	for _, p := range pcrs {
		if p >= 0 {
			s.Select[p/8] |= 1 << (p % 8)
		}
	}
	return s
}

// PCRs lists the selected PCR numbers in ascending order.
func (s PCRSelection) PCRs() []int { return PCRInfoShort{Select: s.Select}.PCRs() }

func marshalSelections(sel []PCRSelection) []byte {
	b := put32(nil, uint32(len(sel)))
	for _, s := range sel {
		b = put16(b, uint16(s.Hash))
		b = append(b, uint8(len(s.Select)))
		b = append(b, s.Select...)
	}
	return b
}

// maxListCount bounds list counts read from the wire so that a lying count
// cannot make a parser allocate without limit.
const maxListCount = 64

func decodeSelections(d *decoder) []PCRSelection {
	at := d.base + d.off
	n := d.u32("pcrSelection.count")
	if d.err == nil && n > maxListCount {
		d.err = fmt.Errorf("tpm: %s: %w: selection count at byte offset %d is %d, more than %d", d.what, ErrMalformed, at, n, maxListCount)
	}
	var out []PCRSelection
	for range n {
		if d.err != nil {
			break
		}
		h := Alg(d.u16("hash"))
		size := d.u8("sizeofSelect")
		out = append(out, PCRSelection{Hash: h, Select: d.bytes(int(size), "pcrSelect")})
	}
	return out
}

// ParsePCRReadRequest2 decodes the parameters of TPM2_PCR_Read.
func ParsePCRReadRequest2(params []byte) ([]PCRSelection, error) {
	d := newDecoder("TPM2_PCR_Read request", params, HeaderSize)
	sel := decodeSelections(d)
	return sel, d.done()
}

// PCRRead2Result is the answer to TPM2_PCR_Read.
type PCRRead2Result struct {
	// UpdateCounter is the TPM's PCR update counter (pcrUpdateCounter).
	UpdateCounter uint32
	// Selections names the PCRs whose values are returned (pcrSelectionOut).
	Selections []PCRSelection
	// Digests is the PCR values in the order of Selections (pcrValues, a TPML_DIGEST).
	Digests [][]byte
}

// Marshal encodes the response parameters.
func (p PCRRead2Result) Marshal() []byte {
	b := put32(nil, p.UpdateCounter)
	b = append(b, marshalSelections(p.Selections)...)
	b = put32(b, uint32(len(p.Digests)))
	for _, dg := range p.Digests {
		b = append(b, Sized2(dg)...)
	}
	return b
}

// Unmarshal decodes the response parameters.
func (p *PCRRead2Result) Unmarshal(b []byte) error {
	d := newDecoder("TPM2_PCR_Read response", b, HeaderSize)
	out := PCRRead2Result{UpdateCounter: d.u32("pcrUpdateCounter")}
	out.Selections = decodeSelections(d)
	at := d.base + d.off
	n := d.u32("pcrValues.count")
	if d.err == nil && n > maxListCount {
		return fmt.Errorf("tpm: TPM2_PCR_Read response: %w: digest count at byte offset %d is %d, more than %d", ErrMalformed, at, n, maxListCount)
	}
	for range n {
		if d.err != nil {
			break
		}
		size := d.u16("digest.size")
		out.Digests = append(out.Digests, d.bytes(int(size), "digest"))
	}
	if err := d.done(); err != nil {
		return err
	}
	*p = out
	return nil
}

// ParseSized2 checks a response and returns the data of its single TPM2B
// parameter (TPM2_GetRandom).
func ParseSized2(r Response) ([]byte, error) {
	if err := r.Err(); err != nil {
		return nil, err
	}
	d := newDecoder("TPM2B response", r.Params, HeaderSize)
	n := d.u16("size")
	b := d.bytes(int(n), "buffer")
	return b, d.done()
}

// ParseGetTestResult2 checks a TPM2_GetTestResult response and returns its
// outData and testResult.
func ParseGetTestResult2(r Response) ([]byte, RC2, error) {
	if err := r.Err(); err != nil {
		return nil, 0, err
	}
	d := newDecoder("TPM2_GetTestResult response", r.Params, HeaderSize)
	n := d.u16("outData.size")
	data := d.bytes(int(n), "outData")
	rc := RC2(d.u32("testResult"))
	return data, rc, d.done()
}
