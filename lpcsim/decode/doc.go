// Package decode reads logic-analyser captures of an LPC bus and decodes them
// up the stack: samples → LPC cycles → TIS register operations → TPM
// command/response pairs.
//
// Captures come as sigrok session files (.sr, a zip archive, format version 1
// or 2, any unitsize) or as VCD files (any timescale; sigrok/PulseView exports
// and the simulator's own), plain or gzip-compressed. Open tells the format
// from the file's first bytes, and from its name where they do not settle
// it. Readers stream: a capture is delivered in chunks
// of normalised samples, one byte per sample (see the Signal bit layout), so
// memory does not grow with the capture's length.
//
// The cycle decoder follows the rules the real captures teach: clock edges
// are LCLK rising edges only, LAD and LFRAME# are taken from the last sample
// before LCLK is seen high, and no clock frequency is assumed. It decodes
// every cycle kind (I/O, memory, firmware-hub, TPM START 0101, DMA with its
// channel, terminal count, size and one SYNC per byte; bus master is
// recognised), SYNC waits of any length, SYNC errors, host aborts
// and LFRAME# restarts, and reports spec deviations per cycle without losing
// sync.
//
// When the capture has a SERIRQ channel, its serialized-IRQ cycles are
// decoded too, on the same LCLK edges: start pulse, the IRQ/data frames
// sampled low, and the stop frame whose width selects quiet or continuous
// mode (see SerIRQCycle).
package decode
