// Package swtpm is a TPM engine that drives a real swtpm process (the
// libtpms-based software TPM of the Debian package swtpm) over its data and
// control sockets. Start copies a state directory to a temporary one (the
// source is never modified), starts "swtpm socket" on two Unix sockets and
// sends CMD_INIT, so the engine is where a board is after power-on: TPM_Init
// done, TPM_Startup not yet sent.
//
// Reset sends CMD_INIT (TPM_Init: LRESET# or a power cycle), Execute sends
// CMD_SET_LOCALITY when the locality changes and then the command on the
// data socket, and Close sends CMD_SHUTDOWN, which ends the process.
//
// The control protocol (all integers big-endian): a 4-byte command code and
// its payload, answered by a 4-byte result code; see the swtpm_ioctls(3)
// manual page.
package swtpm
