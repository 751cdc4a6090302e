// Package scenario describes simulated benches in YAML and builds them.
//
// A scenario names a board and a TPM module from the connector database, the
// wiring between them (by default the generated one), faults, the TPM
// personality, the engine behind the FIFO with its state, and the host-bridge
// profile. Built-in scenarios are embedded; Load finds one by name or alias,
// Parse reads a user's file with file:line errors, and Build turns a
// scenario into a running lpcsim.Bench. Scenario files take no YAML aliases
// (*name): each value is written out.
package scenario
