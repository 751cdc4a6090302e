// Package tpm is the TPM command vocabulary shared by both sides of the bus:
// the TIS driver encodes commands and decodes responses with it, the
// simulated TPM engines decode commands and encode responses with it.
//
// It covers the TPM 1.2 and TPM 2.0 wire formats of the bring-up subset:
// request and response headers with size checks, tags, ordinals and command
// codes, return codes as typed errors, command builders, the GetCapability
// structures (TPM_CAP_VERSION_INFO, TPM_PERMANENT_FLAGS, TPM_STCLEAR_FLAGS,
// TPM_NV_DATA_PUBLIC, NV index lists, TIS timeouts and durations, TPM 2.0
// tagged properties and PCR selections) with Marshal and Unmarshal, the
// table of TIS vendor and device IDs, and the Intel TXT.ERRORCODE register
// (TXTErrorCode at TXTErrorCodeAddr): its fields, the published meanings of
// ACM errors, and ParseTXTErrorCode for the hexadecimal values tboot and
// txt-stat print.
//
// All integers on the wire are big-endian. Every Unmarshal and Parse
// function accepts arbitrary input without panicking; malformed input gives
// an error that wraps ErrMalformed and names the byte offset of the fault.
// The package uses the standard library only.
package tpm
