// Package tpm20 is a minimal built-in TPM 2.0 for the simulated TIS device:
// TPM2_Startup, TPM2_Shutdown, TPM2_SelfTest, TPM2_GetTestResult,
// TPM2_GetCapability (TPM properties, PCR banks, handles, and the algorithms
// and commands it has, with libtpms's attributes), TPM2_PCR_Read
// (sha1 and sha256 banks by default) and TPM2_GetRandom, with
// TPM_RC_INITIALIZE before Startup and the identity of an Infineon SLB9665 by
// default. It has no sessions, keys, hierarchies or NV indices, so its handle
// lists hold only the PCRs and the permanent handles; other command codes
// answer TPM_RC_COMMAND_CODE, before Startup too.
//
// Malformed commands get libtpms's codes, in libtpms's order as measured
// on swtpm --tpm2: tag, command code, TPM_RC_INITIALIZE, handle,
// authorization area (TPM_RC_INSUFFICIENT, TPM_RC_SIZE, TPM_RC_AUTH_CONTEXT,
// then the first session's handle), parameters (TPM_RC_INSUFFICIENT or
// the unmarshalling check of the parameter concerned), bytes left over
// (TPM_RC_SIZE). TPM2_PCR_Read's pcrUpdateCounter is 20 after Startup, as
// libtpms counts the resets of PCRs other than 16 and 21-23.
//
// Command codes libtpms implements but the model does not answer
// TPM_RC_COMMAND_CODE here, where swtpm answers TPM_RC_INITIALIZE before
// Startup and runs the command after it.
package tpm20
