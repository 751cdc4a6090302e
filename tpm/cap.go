package tpm

import "fmt"

// Cap is a TPM 1.2 capability area (TPM_CAPABILITY_AREA).
type Cap uint32

// TPM 1.2 capability areas.
const (
	CapOrd         Cap = 0x01
	CapAlg         Cap = 0x02
	CapPID         Cap = 0x03
	CapFlag        Cap = 0x04
	CapProperty    Cap = 0x05
	CapVersion     Cap = 0x06
	CapKeyHandle   Cap = 0x07
	CapCheckLoaded Cap = 0x08
	CapNVList      Cap = 0x0D
	CapMfr         Cap = 0x10
	CapNVIndex     Cap = 0x11
	CapHandle      Cap = 0x14
	CapVersionVal  Cap = 0x1A
)

var capNames = map[Cap]string{
	CapOrd: "TPM_CAP_ORD", CapAlg: "TPM_CAP_ALG", CapPID: "TPM_CAP_PID", CapFlag: "TPM_CAP_FLAG",
	CapProperty: "TPM_CAP_PROPERTY", CapVersion: "TPM_CAP_VERSION", CapKeyHandle: "TPM_CAP_KEY_HANDLE",
	CapCheckLoaded: "TPM_CAP_CHECK_LOADED", CapNVList: "TPM_CAP_NV_LIST", CapMfr: "TPM_CAP_MFR",
	CapNVIndex: "TPM_CAP_NV_INDEX", CapHandle: "TPM_CAP_HANDLE", CapVersionVal: "TPM_CAP_VERSION_VAL",
}

// String returns the specification name of the capability area.
func (c Cap) String() string {
	if n, ok := capNames[c]; ok {
		return n
	}
	return fmt.Sprintf("TPM_CAP 0x%X", uint32(c))
}

// Sub-capabilities of CapFlag.
const (
	CapFlagPermanent uint32 = 0x108 // TPM_PERMANENT_FLAGS
	CapFlagVolatile  uint32 = 0x109 // TPM_STCLEAR_FLAGS
)

// Prop is a sub-capability of CapProperty (TPM_CAP_PROP_*).
type Prop uint32

// TPM 1.2 properties.
const (
	PropPCR            Prop = 0x101
	PropDIR            Prop = 0x102
	PropManufacturer   Prop = 0x103
	PropKeys           Prop = 0x104
	PropMinCounter     Prop = 0x107
	PropAuthSess       Prop = 0x10A
	PropTransSess      Prop = 0x10B
	PropCounters       Prop = 0x10C
	PropMaxAuthSess    Prop = 0x10D
	PropMaxTransSess   Prop = 0x10E
	PropMaxCounters    Prop = 0x10F
	PropMaxKeys        Prop = 0x110
	PropOwner          Prop = 0x111
	PropContext        Prop = 0x112
	PropMaxContext     Prop = 0x113
	PropFamilyRows     Prop = 0x114
	PropTISTimeout     Prop = 0x115
	PropStartupEffect  Prop = 0x116
	PropDelegateRow    Prop = 0x117
	PropMaxDAASess     Prop = 0x119
	PropDAASess        Prop = 0x11A
	PropContextDist    Prop = 0x11B
	PropDAAInterrupt   Prop = 0x11C
	PropSessions       Prop = 0x11D
	PropMaxSessions    Prop = 0x11E
	PropCMKRestriction Prop = 0x11F
	PropDuration       Prop = 0x120
	PropActiveCounter  Prop = 0x122
	PropMaxNVAvailable Prop = 0x123
	PropInputBuffer    Prop = 0x124
)

var propNames = map[Prop]string{
	PropPCR: "TPM_CAP_PROP_PCR", PropDIR: "TPM_CAP_PROP_DIR", PropManufacturer: "TPM_CAP_PROP_MANUFACTURER",
	PropKeys: "TPM_CAP_PROP_KEYS", PropMinCounter: "TPM_CAP_PROP_MIN_COUNTER",
	PropAuthSess: "TPM_CAP_PROP_AUTHSESS", PropTransSess: "TPM_CAP_PROP_TRANSESS",
	PropCounters: "TPM_CAP_PROP_COUNTERS", PropMaxAuthSess: "TPM_CAP_PROP_MAX_AUTHSESS",
	PropMaxTransSess: "TPM_CAP_PROP_MAX_TRANSESS", PropMaxCounters: "TPM_CAP_PROP_MAX_COUNTERS",
	PropMaxKeys: "TPM_CAP_PROP_MAX_KEYS", PropOwner: "TPM_CAP_PROP_OWNER", PropContext: "TPM_CAP_PROP_CONTEXT",
	PropMaxContext: "TPM_CAP_PROP_MAX_CONTEXT", PropFamilyRows: "TPM_CAP_PROP_FAMILYROWS",
	PropTISTimeout: "TPM_CAP_PROP_TIS_TIMEOUT", PropStartupEffect: "TPM_CAP_PROP_STARTUP_EFFECT",
	PropDelegateRow: "TPM_CAP_PROP_DELEGATE_ROW", PropMaxDAASess: "TPM_CAP_PROP_MAX_DAASESS",
	PropDAASess: "TPM_CAP_PROP_DAASESS", PropContextDist: "TPM_CAP_PROP_CONTEXT_DIST",
	PropDAAInterrupt: "TPM_CAP_PROP_DAA_INTERRUPT", PropSessions: "TPM_CAP_PROP_SESSIONS",
	PropMaxSessions: "TPM_CAP_PROP_MAX_SESSIONS", PropCMKRestriction: "TPM_CAP_PROP_CMK_RESTRICTION",
	PropDuration: "TPM_CAP_PROP_DURATION", PropActiveCounter: "TPM_CAP_PROP_ACTIVE_COUNTER",
	PropMaxNVAvailable: "TPM_CAP_PROP_MAX_NV_AVAILABLE", PropInputBuffer: "TPM_CAP_PROP_INPUT_BUFFER",
}

// String returns the specification name of the property.
func (p Prop) String() string {
	if n, ok := propNames[p]; ok {
		return n
	}
	return fmt.Sprintf("TPM_CAP_PROP 0x%X", uint32(p))
}

// GetCapabilityRequest is the parameter part of a TPM_GetCapability request.
type GetCapabilityRequest struct {
	// Cap is the capability area asked for (capArea).
	Cap Cap
	// SubCap is the sub-capability bytes; their length is sent as subCapSize (subCap).
	SubCap []byte
}

// ParseGetCapabilityRequest decodes the parameters (the bytes after the
// header) of a TPM_GetCapability request: capArea, subCapSize, subCap.
func ParseGetCapabilityRequest(params []byte) (GetCapabilityRequest, error) {
	d := newDecoder("TPM_GetCapability request", params, HeaderSize)
	c := Cap(d.u32("capArea"))
	n := d.u32("subCapSize")
	if d.err == nil && n > uint32(len(params)) {
		return GetCapabilityRequest{}, fmt.Errorf("tpm: TPM_GetCapability request: %w: subCapSize at byte offset %d says %d, only %d bytes follow",
			ErrMalformed, HeaderSize+4, n, len(params)-8)
	}
	sub := d.bytes(int(n), "subCap")
	if err := d.done(); err != nil {
		return GetCapabilityRequest{}, err
	}
	return GetCapabilityRequest{Cap: c, SubCap: sub}, nil
}

// SubCapUint32 returns the sub-capability as the UINT32 most areas use, and
// false if it is not exactly four bytes.
func (g GetCapabilityRequest) SubCapUint32() (uint32, bool) {
	if len(g.SubCap) != 4 {
		return 0, false
	}
	return uint32(g.SubCap[0])<<24 | uint32(g.SubCap[1])<<16 | uint32(g.SubCap[2])<<8 | uint32(g.SubCap[3]), true
}
