package tpm

import "fmt"

// RC is a TPM 1.2 return code (TPM_RESULT). A non-zero RC is an error value;
// compare with errors.Is(err, tpm.RCDisabled).
type RC uint32

// TPM 1.2 return codes (TPM Main Part 2, section 16).
const (
	RCSuccess            RC = 0x00
	RCAuthFail           RC = 0x01
	RCBadIndex           RC = 0x02
	RCBadParameter       RC = 0x03
	RCAuditFailure       RC = 0x04
	RCClearDisabled      RC = 0x05
	RCDeactivated        RC = 0x06
	RCDisabled           RC = 0x07
	RCDisabledCmd        RC = 0x08
	RCFail               RC = 0x09
	RCBadOrdinal         RC = 0x0A
	RCInstallDisabled    RC = 0x0B
	RCInvalidKeyHandle   RC = 0x0C
	RCKeyNotFound        RC = 0x0D
	RCInappropriateEnc   RC = 0x0E
	RCMigrateFail        RC = 0x0F
	RCInvalidPCRInfo     RC = 0x10
	RCNoSpace            RC = 0x11
	RCNoSRK              RC = 0x12
	RCNotSealedBlob      RC = 0x13
	RCOwnerSet           RC = 0x14
	RCResources          RC = 0x15
	RCShortRandom        RC = 0x16
	RCSize               RC = 0x17
	RCWrongPCRVal        RC = 0x18
	RCBadParamSize       RC = 0x19
	RCSHAThread          RC = 0x1A
	RCSHAError           RC = 0x1B
	RCFailedSelfTest     RC = 0x1C
	RCAuth2Fail          RC = 0x1D
	RCBadTag             RC = 0x1E
	RCIOError            RC = 0x1F
	RCEncryptError       RC = 0x20
	RCDecryptError       RC = 0x21
	RCInvalidAuthHandle  RC = 0x22
	RCNoEndorsement      RC = 0x23
	RCInvalidKeyUsage    RC = 0x24
	RCWrongEntityType    RC = 0x25
	RCInvalidPostinit    RC = 0x26
	RCInappropriateSig   RC = 0x27
	RCBadKeyProperty     RC = 0x28
	RCBadMigration       RC = 0x29
	RCBadScheme          RC = 0x2A
	RCBadDatasize        RC = 0x2B
	RCBadMode            RC = 0x2C
	RCBadPresence        RC = 0x2D
	RCBadVersion         RC = 0x2E
	RCNoWrapTransport    RC = 0x2F
	RCAuditFailUnsuccess RC = 0x30
	RCAuditFailSuccess   RC = 0x31
	RCNotResetable       RC = 0x32
	RCNotLocal           RC = 0x33
	RCBadType            RC = 0x34
	RCInvalidResource    RC = 0x35
	RCNotFIPS            RC = 0x36
	RCInvalidFamily      RC = 0x37
	RCNoNVPermission     RC = 0x38
	RCRequiresSign       RC = 0x39
	RCKeyNotSupported    RC = 0x3A
	RCAuthConflict       RC = 0x3B
	RCAreaLocked         RC = 0x3C
	RCBadLocality        RC = 0x3D
	RCReadOnly           RC = 0x3E
	RCPerNoWrite         RC = 0x3F
	RCFamilyCount        RC = 0x40
	RCWriteLocked        RC = 0x41
	RCBadAttributes      RC = 0x42
	RCInvalidStructure   RC = 0x43
	RCKeyOwnerControl    RC = 0x44
	RCBadCounter         RC = 0x45
	RCNotFullWrite       RC = 0x46
	RCContextGap         RC = 0x47
	RCMaxNVWrites        RC = 0x48
	RCNoOperator         RC = 0x49
	RCResourceMissing    RC = 0x4A
	RCDelegateLock       RC = 0x4B
	RCDelegateFamily     RC = 0x4C
	RCDelegateAdmin      RC = 0x4D
	RCTransportNotExcl   RC = 0x4E
	RCOwnerControl       RC = 0x4F
	RCBadHandle          RC = 0x58
	RCBadDelegate        RC = 0x59
	RCBadContext         RC = 0x5A
	RCTooManyContexts    RC = 0x5B
	RCPermanentEK        RC = 0x61
	RCBadSignature       RC = 0x62
	RCNoContextSpace     RC = 0x63
	RCRetry              RC = 0x800
	RCNeedsSelfTest      RC = 0x801
	RCDoingSelfTest      RC = 0x802
	RCDefendLockRunning  RC = 0x803
)

var rcNames = map[RC]string{
	RCSuccess: "TPM_SUCCESS", RCAuthFail: "TPM_AUTHFAIL", RCBadIndex: "TPM_BADINDEX",
	RCBadParameter: "TPM_BAD_PARAMETER", RCAuditFailure: "TPM_AUDITFAILURE",
	RCClearDisabled: "TPM_CLEAR_DISABLED", RCDeactivated: "TPM_DEACTIVATED",
	RCDisabled: "TPM_DISABLED", RCDisabledCmd: "TPM_DISABLED_CMD", RCFail: "TPM_FAIL",
	RCBadOrdinal: "TPM_BAD_ORDINAL", RCInstallDisabled: "TPM_INSTALL_DISABLED",
	RCInvalidKeyHandle: "TPM_INVALID_KEYHANDLE", RCKeyNotFound: "TPM_KEYNOTFOUND",
	RCInappropriateEnc: "TPM_INAPPROPRIATE_ENC", RCMigrateFail: "TPM_MIGRATEFAIL",
	RCInvalidPCRInfo: "TPM_INVALID_PCR_INFO", RCNoSpace: "TPM_NOSPACE", RCNoSRK: "TPM_NOSRK",
	RCNotSealedBlob: "TPM_NOTSEALED_BLOB", RCOwnerSet: "TPM_OWNER_SET",
	RCResources: "TPM_RESOURCES", RCShortRandom: "TPM_SHORTRANDOM", RCSize: "TPM_SIZE",
	RCWrongPCRVal: "TPM_WRONGPCRVAL", RCBadParamSize: "TPM_BAD_PARAM_SIZE",
	RCSHAThread: "TPM_SHA_THREAD", RCSHAError: "TPM_SHA_ERROR",
	RCFailedSelfTest: "TPM_FAILEDSELFTEST", RCAuth2Fail: "TPM_AUTH2FAIL", RCBadTag: "TPM_BADTAG",
	RCIOError: "TPM_IOERROR", RCEncryptError: "TPM_ENCRYPT_ERROR", RCDecryptError: "TPM_DECRYPT_ERROR",
	RCInvalidAuthHandle: "TPM_INVALID_AUTHHANDLE", RCNoEndorsement: "TPM_NO_ENDORSEMENT",
	RCInvalidKeyUsage: "TPM_INVALID_KEYUSAGE", RCWrongEntityType: "TPM_WRONG_ENTITYTYPE",
	RCInvalidPostinit: "TPM_INVALID_POSTINIT", RCInappropriateSig: "TPM_INAPPROPRIATE_SIG",
	RCBadKeyProperty: "TPM_BAD_KEY_PROPERTY", RCBadMigration: "TPM_BAD_MIGRATION",
	RCBadScheme: "TPM_BAD_SCHEME", RCBadDatasize: "TPM_BAD_DATASIZE", RCBadMode: "TPM_BAD_MODE",
	RCBadPresence: "TPM_BAD_PRESENCE", RCBadVersion: "TPM_BAD_VERSION",
	RCNoWrapTransport: "TPM_NO_WRAP_TRANSPORT", RCAuditFailUnsuccess: "TPM_AUDITFAIL_UNSUCCESSFUL",
	RCAuditFailSuccess: "TPM_AUDITFAIL_SUCCESSFUL", RCNotResetable: "TPM_NOTRESETABLE",
	RCNotLocal: "TPM_NOTLOCAL", RCBadType: "TPM_BAD_TYPE", RCInvalidResource: "TPM_INVALID_RESOURCE",
	RCNotFIPS: "TPM_NOTFIPS", RCInvalidFamily: "TPM_INVALID_FAMILY",
	RCNoNVPermission: "TPM_NO_NV_PERMISSION", RCRequiresSign: "TPM_REQUIRES_SIGN",
	RCKeyNotSupported: "TPM_KEY_NOTSUPPORTED", RCAuthConflict: "TPM_AUTH_CONFLICT",
	RCAreaLocked: "TPM_AREA_LOCKED", RCBadLocality: "TPM_BAD_LOCALITY", RCReadOnly: "TPM_READ_ONLY",
	RCPerNoWrite: "TPM_PER_NOWRITE", RCFamilyCount: "TPM_FAMILYCOUNT",
	RCWriteLocked: "TPM_WRITE_LOCKED", RCBadAttributes: "TPM_BAD_ATTRIBUTES",
	RCInvalidStructure: "TPM_INVALID_STRUCTURE", RCKeyOwnerControl: "TPM_KEY_OWNER_CONTROL",
	RCBadCounter: "TPM_BAD_COUNTER", RCNotFullWrite: "TPM_NOT_FULLWRITE",
	RCContextGap: "TPM_CONTEXT_GAP", RCMaxNVWrites: "TPM_MAXNVWRITES", RCNoOperator: "TPM_NOOPERATOR",
	RCResourceMissing: "TPM_RESOURCEMISSING", RCDelegateLock: "TPM_DELEGATE_LOCK",
	RCDelegateFamily: "TPM_DELEGATE_FAMILY", RCDelegateAdmin: "TPM_DELEGATE_ADMIN",
	RCTransportNotExcl: "TPM_TRANSPORT_NOTEXCLUSIVE", RCOwnerControl: "TPM_OWNER_CONTROL",
	RCBadHandle: "TPM_BAD_HANDLE", RCBadDelegate: "TPM_BAD_DELEGATE", RCBadContext: "TPM_BADCONTEXT",
	RCTooManyContexts: "TPM_TOOMANYCONTEXTS", RCPermanentEK: "TPM_PERMANENTEK",
	RCBadSignature: "TPM_BAD_SIGNATURE", RCNoContextSpace: "TPM_NOCONTEXTSPACE",
	RCRetry: "TPM_RETRY", RCNeedsSelfTest: "TPM_NEEDS_SELFTEST", RCDoingSelfTest: "TPM_DOING_SELFTEST",
	RCDefendLockRunning: "TPM_DEFEND_LOCK_RUNNING",
}

var rcText = map[RC]string{
	RCDisabled:        "TPM is disabled",
	RCDeactivated:     "TPM is deactivated",
	RCInvalidPostinit: "command not allowed in this state after TPM_Init (no TPM_Startup yet, or Startup repeated)",
	RCBadOrdinal:      "ordinal unknown or not supported",
	RCBadPresence:     "physical presence not asserted or not allowed",
	RCBadParameter:    "bad parameter",
	RCFail:            "TPM failure (not initialised or stopped)",
	RCNoEndorsement:   "no endorsement key",
	RCNoSRK:           "no storage root key (no owner)",
	RCBadParamSize:    "paramSize does not match the parameters",
	RCBadTag:          "tag not valid for this command",
	RCBadIndex:        "NV index not defined or not valid",
	RCAreaLocked:      "NV area locked",
	RCMaxNVWrites:     "too many NV writes without an owner",
	RCBadLocality:     "command not allowed from this locality",
	RCOwnerSet:        "an owner is installed",
}

// Name returns the specification name, e.g. "TPM_INVALID_POSTINIT", or
// "TPM_RESULT 0x…" for an unknown code (vendor codes have bit 10 set).
func (r RC) Name() string {
	if n, ok := rcNames[r]; ok {
		return n
	}
	return fmt.Sprintf("TPM_RESULT 0x%X", uint32(r))
}

// String returns the name with the hex value, e.g. "TPM_DISABLED (0x7)".
func (r RC) String() string { return fmt.Sprintf("%s (0x%X)", r.Name(), uint32(r)) }

// Error returns a message naming the code, its value and, for the codes a
// bring-up meets, what it means.
func (r RC) Error() string {
	if t, ok := rcText[r]; ok {
		return "tpm: " + r.String() + ": " + t
	}
	return "tpm: " + r.String()
}

// NonFatal reports whether the code is in the TPM_NON_FATAL range (retry
// later), e.g. TPM_RETRY or TPM_DOING_SELFTEST.
func (r RC) NonFatal() bool { return r&0x800 != 0 }
