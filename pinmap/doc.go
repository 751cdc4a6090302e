// Package pinmap turns two connectors of the boards database into a wiring: which TPM module
// pin goes to which board header pin. It matches pins by signal, adds the ground wires a
// hand-made list tends to forget, checks a wiring (generated or hand-made) for electrical and
// mechanical problems, and renders it as a plain table, Markdown, CSV, JSON, SVG or WireViz
// YAML.
//
// A Wiring is what the simulator consumes: the module and board connector ids and the wires,
// each module pin to board pin with the signal it carries. Generate makes one from the
// database; ParseWiring reads a hand-made one from YAML:
//
//	module: asus-tpm-20-1   # a module connector id
//	board: apu1d            # a board id or a header connector id
//	wires:
//	  - {module: 1, board: 1, signal: LCLK}   # signal is optional; when given it must agree
//	  - {module: 3, board: 11}                # with the module pin or the board pin
//	  - {module: 9, board: 18, note: "3.3 V"}
//
// Check reports each problem as a Finding with a severity, the pins involved and the fix.
package pinmap
