package tpm

import "fmt"

// RC2 is a TPM 2.0 response code (TPM_RC). A non-zero RC2 is an error value.
// Format-one codes carry a handle, session or parameter number; errors.Is
// matches them against the plain constant, so
// errors.Is(RC2(0x1C4), tpm.RC2Value) is true.
type RC2 uint32

// TPM 2.0 response codes (TPM 2.0 Part 2, TPM_RC).
const (
	RC2Success RC2 = 0x000
	RC2BadTag  RC2 = 0x01E

	// Format zero, version 1 (RC_VER1 = 0x100).
	RC2Initialize      RC2 = 0x100
	RC2Failure         RC2 = 0x101
	RC2Sequence        RC2 = 0x103
	RC2Private         RC2 = 0x10B
	RC2HMAC            RC2 = 0x119
	RC2Disabled        RC2 = 0x120
	RC2Exclusive       RC2 = 0x121
	RC2AuthType        RC2 = 0x124
	RC2AuthMissing     RC2 = 0x125
	RC2Policy          RC2 = 0x126
	RC2PCR             RC2 = 0x127
	RC2PCRChanged      RC2 = 0x128
	RC2Upgrade         RC2 = 0x12D
	RC2TooManyContexts RC2 = 0x12E
	RC2AuthUnavailable RC2 = 0x12F
	RC2Reboot          RC2 = 0x130
	RC2Unbalanced      RC2 = 0x131
	RC2CommandSize     RC2 = 0x142
	RC2CommandCode     RC2 = 0x143
	RC2AuthSize        RC2 = 0x144
	RC2AuthContext     RC2 = 0x145
	RC2NVRange         RC2 = 0x146
	RC2NVSize          RC2 = 0x147
	RC2NVLocked        RC2 = 0x148
	RC2NVAuthorization RC2 = 0x149
	RC2NVUninitialized RC2 = 0x14A
	RC2NVSpace         RC2 = 0x14B
	RC2NVDefined       RC2 = 0x14C
	RC2BadContext      RC2 = 0x150
	RC2CPHash          RC2 = 0x151
	RC2Parent          RC2 = 0x152
	RC2NeedsTest       RC2 = 0x153
	RC2NoResult        RC2 = 0x154
	RC2Sensitive       RC2 = 0x155

	// Format one (RC_FMT1 = 0x080); bits 6 and 8..11 carry the number.
	RC2Asymmetric   RC2 = 0x081
	RC2Attributes   RC2 = 0x082
	RC2Hash         RC2 = 0x083
	RC2Value        RC2 = 0x084
	RC2Hierarchy    RC2 = 0x085
	RC2KeySize      RC2 = 0x087
	RC2MGF          RC2 = 0x088
	RC2Mode         RC2 = 0x089
	RC2Type         RC2 = 0x08A
	RC2Handle       RC2 = 0x08B
	RC2KDF          RC2 = 0x08C
	RC2Range        RC2 = 0x08D
	RC2AuthFail     RC2 = 0x08E
	RC2Nonce        RC2 = 0x08F
	RC2PP           RC2 = 0x090
	RC2Scheme       RC2 = 0x092
	RC2Size         RC2 = 0x095
	RC2Symmetric    RC2 = 0x096
	RC2Tag          RC2 = 0x097
	RC2Selector     RC2 = 0x098
	RC2Insufficient RC2 = 0x09A
	RC2Signature    RC2 = 0x09B
	RC2Key          RC2 = 0x09C
	RC2PolicyFail   RC2 = 0x09D
	RC2Integrity    RC2 = 0x09F
	RC2Ticket       RC2 = 0x0A0
	RC2ReservedBits RC2 = 0x0A1
	RC2BadAuth      RC2 = 0x0A2
	RC2Expired      RC2 = 0x0A3
	RC2PolicyCC     RC2 = 0x0A4
	RC2Binding      RC2 = 0x0A5
	RC2Curve        RC2 = 0x0A6
	RC2ECCPoint     RC2 = 0x0A7

	// Warnings (RC_WARN = 0x900).
	RC2ContextGap     RC2 = 0x901
	RC2ObjectMemory   RC2 = 0x902
	RC2SessionMemory  RC2 = 0x903
	RC2Memory         RC2 = 0x904
	RC2SessionHandles RC2 = 0x905
	RC2ObjectHandles  RC2 = 0x906
	RC2Locality       RC2 = 0x907
	RC2Yielded        RC2 = 0x908
	RC2Canceled       RC2 = 0x909
	RC2Testing        RC2 = 0x90A
	RC2NVRate         RC2 = 0x920
	RC2Lockout        RC2 = 0x921
	RC2Retry          RC2 = 0x922
	RC2NVUnavailable  RC2 = 0x923
)

var rc2Names = map[RC2]string{
	RC2Success: "TPM_RC_SUCCESS", RC2BadTag: "TPM_RC_BAD_TAG",
	RC2Initialize: "TPM_RC_INITIALIZE", RC2Failure: "TPM_RC_FAILURE", RC2Sequence: "TPM_RC_SEQUENCE",
	RC2Private: "TPM_RC_PRIVATE", RC2HMAC: "TPM_RC_HMAC", RC2Disabled: "TPM_RC_DISABLED",
	RC2Exclusive: "TPM_RC_EXCLUSIVE", RC2AuthType: "TPM_RC_AUTH_TYPE",
	RC2AuthMissing: "TPM_RC_AUTH_MISSING", RC2Policy: "TPM_RC_POLICY", RC2PCR: "TPM_RC_PCR",
	RC2PCRChanged: "TPM_RC_PCR_CHANGED", RC2Upgrade: "TPM_RC_UPGRADE",
	RC2TooManyContexts: "TPM_RC_TOO_MANY_CONTEXTS", RC2AuthUnavailable: "TPM_RC_AUTH_UNAVAILABLE",
	RC2Reboot: "TPM_RC_REBOOT", RC2Unbalanced: "TPM_RC_UNBALANCED",
	RC2CommandSize: "TPM_RC_COMMAND_SIZE", RC2CommandCode: "TPM_RC_COMMAND_CODE",
	RC2AuthSize: "TPM_RC_AUTHSIZE", RC2AuthContext: "TPM_RC_AUTH_CONTEXT",
	RC2NVRange: "TPM_RC_NV_RANGE", RC2NVSize: "TPM_RC_NV_SIZE", RC2NVLocked: "TPM_RC_NV_LOCKED",
	RC2NVAuthorization: "TPM_RC_NV_AUTHORIZATION", RC2NVUninitialized: "TPM_RC_NV_UNINITIALIZED",
	RC2NVSpace: "TPM_RC_NV_SPACE", RC2NVDefined: "TPM_RC_NV_DEFINED",
	RC2BadContext: "TPM_RC_BAD_CONTEXT", RC2CPHash: "TPM_RC_CPHASH", RC2Parent: "TPM_RC_PARENT",
	RC2NeedsTest: "TPM_RC_NEEDS_TEST", RC2NoResult: "TPM_RC_NO_RESULT", RC2Sensitive: "TPM_RC_SENSITIVE",
	RC2Asymmetric: "TPM_RC_ASYMMETRIC", RC2Attributes: "TPM_RC_ATTRIBUTES", RC2Hash: "TPM_RC_HASH",
	RC2Value: "TPM_RC_VALUE", RC2Hierarchy: "TPM_RC_HIERARCHY", RC2KeySize: "TPM_RC_KEY_SIZE",
	RC2MGF: "TPM_RC_MGF", RC2Mode: "TPM_RC_MODE", RC2Type: "TPM_RC_TYPE", RC2Handle: "TPM_RC_HANDLE",
	RC2KDF: "TPM_RC_KDF", RC2Range: "TPM_RC_RANGE", RC2AuthFail: "TPM_RC_AUTH_FAIL",
	RC2Nonce: "TPM_RC_NONCE", RC2PP: "TPM_RC_PP", RC2Scheme: "TPM_RC_SCHEME", RC2Size: "TPM_RC_SIZE",
	RC2Symmetric: "TPM_RC_SYMMETRIC", RC2Tag: "TPM_RC_TAG", RC2Selector: "TPM_RC_SELECTOR",
	RC2Insufficient: "TPM_RC_INSUFFICIENT", RC2Signature: "TPM_RC_SIGNATURE", RC2Key: "TPM_RC_KEY",
	RC2PolicyFail: "TPM_RC_POLICY_FAIL", RC2Integrity: "TPM_RC_INTEGRITY", RC2Ticket: "TPM_RC_TICKET",
	RC2ReservedBits: "TPM_RC_RESERVED_BITS", RC2BadAuth: "TPM_RC_BAD_AUTH", RC2Expired: "TPM_RC_EXPIRED",
	RC2PolicyCC: "TPM_RC_POLICY_CC", RC2Binding: "TPM_RC_BINDING", RC2Curve: "TPM_RC_CURVE",
	RC2ECCPoint:   "TPM_RC_ECC_POINT",
	RC2ContextGap: "TPM_RC_CONTEXT_GAP", RC2ObjectMemory: "TPM_RC_OBJECT_MEMORY",
	RC2SessionMemory: "TPM_RC_SESSION_MEMORY", RC2Memory: "TPM_RC_MEMORY",
	RC2SessionHandles: "TPM_RC_SESSION_HANDLES", RC2ObjectHandles: "TPM_RC_OBJECT_HANDLES",
	RC2Locality: "TPM_RC_LOCALITY", RC2Yielded: "TPM_RC_YIELDED", RC2Canceled: "TPM_RC_CANCELED",
	RC2Testing: "TPM_RC_TESTING", RC2NVRate: "TPM_RC_NV_RATE", RC2Lockout: "TPM_RC_LOCKOUT",
	RC2Retry: "TPM_RC_RETRY", RC2NVUnavailable: "TPM_RC_NV_UNAVAILABLE",
}

var rc2Text = map[RC2]string{
	RC2Initialize:  "TPM not initialized by TPM2_Startup or already initialized",
	RC2Failure:     "TPM in failure mode (or not initialised)",
	RC2CommandCode: "command code not supported",
	RC2Testing:     "TPM is performing self-tests",
	RC2Retry:       "TPM busy, retry",
	RC2BadTag:      "bad tag (a TPM 1.2 command sent to a TPM 2.0?)",
}

// IsFormat1 reports whether the code is a format-one code (bit 7 set): an
// error about a particular handle, session or parameter.
func (r RC2) IsFormat1() bool { return r&0x080 != 0 }

// Base returns the code without the handle, session or parameter number
// (format one) so it can be compared with the constants.
func (r RC2) Base() RC2 {
	if r.IsFormat1() {
		return r & 0x0BF
	}
	return r
}

// Subject describes what a format-one code refers to: "parameter 1",
// "handle 2", "session 1"; it is empty for format-zero codes.
func (r RC2) Subject() string {
	if !r.IsFormat1() {
		return ""
	}
	n := uint32(r>>8) & 0xF
	switch {
	case r&0x040 != 0:
		return fmt.Sprintf("parameter %d", n)
	case n&0x8 != 0:
		return fmt.Sprintf("session %d", n&0x7)
	case n != 0:
		return fmt.Sprintf("handle %d", n)
	}
	return ""
}

// Name returns the specification name of the base code, e.g.
// "TPM_RC_INITIALIZE", or "TPM_RC 0x…" when unknown.
func (r RC2) Name() string {
	if n, ok := rc2Names[r.Base()]; ok {
		return n
	}
	return fmt.Sprintf("TPM_RC 0x%X", uint32(r))
}

// String returns name, subject and value, e.g. "TPM_RC_VALUE, parameter 1
// (0x1C4)".
func (r RC2) String() string {
	if s := r.Subject(); s != "" {
		return fmt.Sprintf("%s, %s (0x%X)", r.Name(), s, uint32(r))
	}
	return fmt.Sprintf("%s (0x%X)", r.Name(), uint32(r))
}

// Error returns a message naming the code and, for the common ones, what it
// means.
func (r RC2) Error() string {
	if t, ok := rc2Text[r.Base()]; ok {
		return "tpm: " + r.String() + ": " + t
	}
	return "tpm: " + r.String()
}

// Is makes errors.Is match a format-one code against its base constant.
func (r RC2) Is(target error) bool {
	t, ok := target.(RC2)
	return ok && (t == r || t == r.Base())
}
