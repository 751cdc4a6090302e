// Package tisdev is the simulated TPM peripheral of the LPC bus simulator: the
// TIS register file of localities 0-4 (ACCESS, INT_ENABLE, INT_VECTOR,
// INT_STATUS, INTF_CAPABILITY, STS, DATA_FIFO, XDATA_FIFO, INTERFACE_ID,
// DID_VID, RID) with the FIFO state machine QEMU's tpm-tis uses (IDLE, READY,
// RECEPTION, EXECUTION, COMPLETION), in front of an Engine that executes the
// TPM commands.
//
// The device is byte-addressed, as the LPC bus is: every TPM cycle moves one
// byte, so each access names one byte of one register (address bits 15:12 are
// the locality, bits 11:0 the register offset) and multi-byte registers have
// per-byte semantics. Read and Write do not allocate; the clock-level
// simulator calls them once per TPM cycle.
//
// A Personality gives the identity the host sees (DID_VID, RID, TPM family,
// TIS 1.2 or 1.3 capability bits) together with the timing the device models
// (SYNC wait states, how many accesses a command takes to execute, burstCount)
// and fault switches (stsValid never set, burstCount stuck at 0, locality
// never granted, tpmRegValidSts never set, a lying response size field).
//
// Simplifications, compared with a real part and with QEMU: there is one
// command/response buffer and one FIFO state, owned by the active locality;
// when the active locality changes the FIFO returns to IDLE and a command in
// progress is dropped. The engine runs synchronously when tpmGo is written;
// the time a command takes is modelled by keeping the FIFO in EXECUTION for a
// configured number of accesses.
package tisdev
