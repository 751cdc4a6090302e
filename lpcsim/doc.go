// Package lpcsim simulates an LPC bus clock by clock, with a TPM on it.
//
// A Bench joins a host bridge (the board's chipset side) to peripherals through
// wires: each LCLK the host drives or releases LAD[3:0], LFRAME#, LRESET# and
// SERIRQ on its falling edge, the lines resolve as wired-AND with pull-ups (an
// undriven line reads high), and every clocked device samples the resolved
// lines on the rising edge. The wires come from a module-pin to board-pin
// wiring, and faults are edits of that wiring or of a line, so a miswired or
// broken bench fails in the simulator the way it fails on the bench.
//
// The host bridge drives I/O, memory, firmware-hub and TPM (START 0101)
// cycles nibble by nibble, counts SYNC wait states within the bounds of its
// Profile and aborts a cycle nobody answers; an aborted read returns 0xFF as
// on hardware, and the Cycle record says what happened. Host satisfies the
// TIS driver's register-window interface (Read8, Write8, Read32, Write32 at
// offsets from 0xFED40000) without importing it.
//
// Peripherals implement Target; TPMTarget adapts a TIS register file (the
// tisdev package) so that it answers TPM cycles at the addresses it decodes
// from the lines it sees. Outputs are a cycle log, a register-access log and a
// VCD waveform streamed to an io.Writer.
package lpcsim
