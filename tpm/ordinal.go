package tpm

import "fmt"

// Ordinal is a TPM 1.2 command ordinal (TPM_COMMAND_CODE).
type Ordinal uint32

// TPM 1.2 ordinals (TPM Main Part 2, section 17). TSC ordinals carry the
// 0x40000000 connection bit.
const (
	OrdOIAP                     Ordinal = 0x0A
	OrdOSAP                     Ordinal = 0x0B
	OrdTakeOwnership            Ordinal = 0x0D
	OrdExtend                   Ordinal = 0x14
	OrdPCRRead                  Ordinal = 0x15
	OrdQuote                    Ordinal = 0x16
	OrdSeal                     Ordinal = 0x17
	OrdUnseal                   Ordinal = 0x18
	OrdCreateWrapKey            Ordinal = 0x1F
	OrdGetPubKey                Ordinal = 0x21
	OrdSign                     Ordinal = 0x3C
	OrdQuote2                   Ordinal = 0x3E
	OrdSetCapability            Ordinal = 0x3F
	OrdResetLockValue           Ordinal = 0x40
	OrdLoadKey2                 Ordinal = 0x41
	OrdGetRandom                Ordinal = 0x46
	OrdSelfTestFull             Ordinal = 0x50
	OrdContinueSelfTest         Ordinal = 0x53
	OrdGetTestResult            Ordinal = 0x54
	OrdOwnerClear               Ordinal = 0x5B
	OrdForceClear               Ordinal = 0x5D
	OrdDisableForceClear        Ordinal = 0x5E
	OrdGetCapability            Ordinal = 0x65
	OrdGetCapabilityOwner       Ordinal = 0x66
	OrdOwnerSetDisable          Ordinal = 0x6E
	OrdPhysicalEnable           Ordinal = 0x6F
	OrdPhysicalDisable          Ordinal = 0x70
	OrdSetOwnerInstall          Ordinal = 0x71
	OrdPhysicalSetDeactivated   Ordinal = 0x72
	OrdSetTempDeactivated       Ordinal = 0x73
	OrdCreateEndorsementKeyPair Ordinal = 0x78
	OrdReadPubek                Ordinal = 0x7C
	OrdOwnerReadPubek           Ordinal = 0x7D
	OrdInit                     Ordinal = 0x97
	OrdSaveState                Ordinal = 0x98
	OrdStartup                  Ordinal = 0x99
	OrdSHA1Start                Ordinal = 0xA0
	OrdSHA1Update               Ordinal = 0xA1
	OrdSHA1Complete             Ordinal = 0xA2
	OrdSHA1CompleteExtend       Ordinal = 0xA3
	OrdSaveKeyContext           Ordinal = 0xB4
	OrdLoadKeyContext           Ordinal = 0xB5
	OrdSaveAuthContext          Ordinal = 0xB6
	OrdLoadAuthContext          Ordinal = 0xB7
	OrdFlushSpecific            Ordinal = 0xBA
	OrdPCRReset                 Ordinal = 0xC8
	OrdNVDefineSpace            Ordinal = 0xCC
	OrdNVWriteValue             Ordinal = 0xCD
	OrdNVWriteValueAuth         Ordinal = 0xCE
	OrdNVReadValue              Ordinal = 0xCF
	OrdNVReadValueAuth          Ordinal = 0xD0
	OrdGetTicks                 Ordinal = 0xF1
	OrdTSCPhysicalPresence      Ordinal = 0x4000000A
	OrdTSCResetEstablishmentBit Ordinal = 0x4000000B
)

var ordNames = map[Ordinal]string{
	OrdOIAP: "TPM_OIAP", OrdOSAP: "TPM_OSAP", OrdTakeOwnership: "TPM_TakeOwnership",
	OrdExtend: "TPM_Extend", OrdPCRRead: "TPM_PCRRead", OrdQuote: "TPM_Quote", OrdSeal: "TPM_Seal",
	OrdUnseal: "TPM_Unseal", OrdCreateWrapKey: "TPM_CreateWrapKey", OrdGetPubKey: "TPM_GetPubKey",
	OrdSign: "TPM_Sign", OrdQuote2: "TPM_Quote2", OrdSetCapability: "TPM_SetCapability",
	OrdResetLockValue: "TPM_ResetLockValue", OrdLoadKey2: "TPM_LoadKey2", OrdGetRandom: "TPM_GetRandom",
	OrdSelfTestFull: "TPM_SelfTestFull", OrdContinueSelfTest: "TPM_ContinueSelfTest",
	OrdGetTestResult: "TPM_GetTestResult", OrdOwnerClear: "TPM_OwnerClear",
	OrdForceClear: "TPM_ForceClear", OrdDisableForceClear: "TPM_DisableForceClear",
	OrdGetCapability: "TPM_GetCapability", OrdGetCapabilityOwner: "TPM_GetCapabilityOwner",
	OrdOwnerSetDisable: "TPM_OwnerSetDisable", OrdPhysicalEnable: "TPM_PhysicalEnable",
	OrdPhysicalDisable: "TPM_PhysicalDisable", OrdSetOwnerInstall: "TPM_SetOwnerInstall",
	OrdPhysicalSetDeactivated:   "TPM_PhysicalSetDeactivated",
	OrdSetTempDeactivated:       "TPM_SetTempDeactivated",
	OrdCreateEndorsementKeyPair: "TPM_CreateEndorsementKeyPair", OrdReadPubek: "TPM_ReadPubek",
	OrdOwnerReadPubek: "TPM_OwnerReadPubek", OrdInit: "TPM_Init", OrdSaveState: "TPM_SaveState",
	OrdStartup: "TPM_Startup", OrdSHA1Start: "TPM_SHA1Start", OrdSHA1Update: "TPM_SHA1Update",
	OrdSHA1Complete: "TPM_SHA1Complete", OrdSHA1CompleteExtend: "TPM_SHA1CompleteExtend",
	OrdSaveKeyContext: "TPM_SaveKeyContext", OrdLoadKeyContext: "TPM_LoadKeyContext",
	OrdSaveAuthContext: "TPM_SaveAuthContext", OrdLoadAuthContext: "TPM_LoadAuthContext",
	OrdFlushSpecific: "TPM_FlushSpecific", OrdPCRReset: "TPM_PCR_Reset",
	OrdNVDefineSpace: "TPM_NV_DefineSpace", OrdNVWriteValue: "TPM_NV_WriteValue",
	OrdNVWriteValueAuth: "TPM_NV_WriteValueAuth", OrdNVReadValue: "TPM_NV_ReadValue",
	OrdNVReadValueAuth: "TPM_NV_ReadValueAuth", OrdGetTicks: "TPM_GetTicks",
	OrdTSCPhysicalPresence:      "TSC_PhysicalPresence",
	OrdTSCResetEstablishmentBit: "TSC_ResetEstablishmentBit",
}

// String returns the specification name, e.g. "TPM_Startup", or
// "TPM_ORD 0x…" for an ordinal not in the table.
func (o Ordinal) String() string {
	if n, ok := ordNames[o]; ok {
		return n
	}
	return fmt.Sprintf("TPM_ORD 0x%X", uint32(o))
}

// Known reports whether the ordinal is in the package's table.
func (o Ordinal) Known() bool { _, ok := ordNames[o]; return ok }

// CommandCode is a TPM 2.0 command code (TPM_CC).
type CommandCode uint32

// TPM 2.0 command codes (TPM 2.0 Part 2, TPM_CC).
const (
	CCNVUndefineSpaceSpecial CommandCode = 0x11F
	CCHierarchyControl       CommandCode = 0x121
	CCClear                  CommandCode = 0x126
	CCNVDefineSpace          CommandCode = 0x12A
	CCCreatePrimary          CommandCode = 0x131
	CCNVWrite                CommandCode = 0x137
	CCPCREvent               CommandCode = 0x13C
	CCIncrementalSelfTest    CommandCode = 0x142
	CCSelfTest               CommandCode = 0x143
	CCStartup                CommandCode = 0x144
	CCShutdown               CommandCode = 0x145
	CCNVRead                 CommandCode = 0x14E
	CCFlushContext           CommandCode = 0x165
	CCNVReadPublic           CommandCode = 0x169
	CCReadPublic             CommandCode = 0x173
	CCGetCapability          CommandCode = 0x17A
	CCGetRandom              CommandCode = 0x17B
	CCGetTestResult          CommandCode = 0x17C
	CCPCRRead                CommandCode = 0x17E
	CCReadClock              CommandCode = 0x181
	CCPCRExtend              CommandCode = 0x182
)

var ccNames = map[CommandCode]string{
	CCNVUndefineSpaceSpecial: "TPM2_NV_UndefineSpaceSpecial", CCHierarchyControl: "TPM2_HierarchyControl",
	CCClear: "TPM2_Clear", CCNVDefineSpace: "TPM2_NV_DefineSpace", CCCreatePrimary: "TPM2_CreatePrimary",
	CCNVWrite: "TPM2_NV_Write", CCPCREvent: "TPM2_PCR_Event", CCIncrementalSelfTest: "TPM2_IncrementalSelfTest",
	CCSelfTest: "TPM2_SelfTest", CCStartup: "TPM2_Startup", CCShutdown: "TPM2_Shutdown",
	CCNVRead: "TPM2_NV_Read", CCFlushContext: "TPM2_FlushContext", CCNVReadPublic: "TPM2_NV_ReadPublic",
	CCReadPublic: "TPM2_ReadPublic", CCGetCapability: "TPM2_GetCapability", CCGetRandom: "TPM2_GetRandom",
	CCGetTestResult: "TPM2_GetTestResult", CCPCRRead: "TPM2_PCR_Read", CCReadClock: "TPM2_ReadClock",
	CCPCRExtend: "TPM2_PCR_Extend",
}

// String returns the specification name, e.g. "TPM2_Startup", or
// "TPM_CC 0x…".
func (c CommandCode) String() string {
	if n, ok := ccNames[c]; ok {
		return n
	}
	return fmt.Sprintf("TPM_CC 0x%X", uint32(c))
}

// Known reports whether the command code is in the package's table.
func (c CommandCode) Known() bool { _, ok := ccNames[c]; return ok }
