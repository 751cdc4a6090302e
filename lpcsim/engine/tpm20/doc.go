// Package tpm20 is a minimal built-in TPM 2.0 for the simulated TIS device:
// TPM2_Startup, TPM2_Shutdown, TPM2_SelfTest, TPM2_GetTestResult,
// TPM2_GetCapability (TPM properties, PCR banks and handles), TPM2_PCR_Read
// (sha1 and sha256 banks by default) and TPM2_GetRandom, with
// TPM_RC_INITIALIZE before Startup and the identity of an Infineon SLB9665 by
// default. It has no sessions, keys, hierarchies or NV indices, so its handle
// lists hold only the PCRs and the permanent handles; other command codes
// answer TPM_RC_COMMAND_CODE.
package tpm20
