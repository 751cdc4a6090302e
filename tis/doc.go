// Package tis is the host side of a TPM on the LPC bus: a driver for the TCG PC Client TPM
// Interface Specification (TIS) FIFO interface at 0xFED40000, written for bring-up rather than
// for an operating system.
//
// It does what Linux does with "modprobe tpm_tis force=1 interrupts=0", without a kernel driver:
// it ignores ACPI, probes the register window, polls instead of waiting for interrupts, requests
// a locality, moves commands and responses through the FIFO, and sends TPM_Startup itself when
// the TPM has not been started. Probe then collects a Report (vendor, family, started, enabled,
// active, owned, NV locked, NV indices) and, when something fails, a Diagnosis that names the
// symptom and the wires or settings that most likely cause it.
//
// The register window is reached through Bus, four methods that a simulated LPC host bridge
// and the /dev/mem mapping in package devmem both provide. A probed Conn implements go-tpm's
// transport.TPM and io.ReadWriter, so TPM libraries run over the same FIFO code.
//
// Every wait is bounded by the TIS timeouts (A to D) or the command durations, and ends early
// when the context is cancelled. Interrupts are never enabled or waited on.
package tis
