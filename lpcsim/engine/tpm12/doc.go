// Package tpm12 is a built-in model of a TPM 1.2 for the simulated TIS
// device: the commands a bring-up needs, with the return codes and state
// transitions of a real engine (libtpms as run by swtpm), and by default the
// identity and TCG factory state (disabled and deactivated) of an Infineon
// SLB9635.
//
// Modelled: TPM_Init (Reset), TPM_Startup, GetCapability (VERSION_VAL,
// VERSION, ORD, KEY_HANDLE, PROPERTY, FLAG, NV_LIST, NV_INDEX),
// ContinueSelfTest, SelfTestFull, GetTestResult, PCRRead, Extend, GetRandom,
// ReadPubek, TSC_PhysicalPresence, PhysicalEnable, PhysicalDisable,
// PhysicalSetDeactivated, NV_DefineSpace (including TPM_NV_INDEX_LOCK),
// NV_ReadValue and NV_WriteValue without authorisation, and, for the
// return codes the status tools of tpm-tools expect, OIAP, FlushSpecific,
// GetCapabilityOwner and the state checks of CreateEndorsementKeyPair.
// Other ordinals answer TPM_BAD_ORDINAL. There are no keys and no secrets:
// "owned" is a flag and no HMAC is checked.
//
// Where the TPM specification leaves room, the model follows what libtpms
// answered in the same situation; an integration test in package swtpm
// runs one command script against both.
//
// Persistent state (permanent flags, owner flag, NV areas) can be saved to
// bytes or a file and loaded again; volatile state (Startup, STCLEAR flags,
// PCRs) is lost, as on a power cycle.
package tpm12
