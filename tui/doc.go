// Package tui is the terminal user interface of tpmbench: the bench workflow a hobbyist keeps open
// while wiring and probing a TPM, built on Bubble Tea, Lip Gloss and Bubbles.
//
// The screens, in tab order: Boards (pick a module and a board, filter with /), Wiring (the
// wiring table as a solder checklist saved in the user's config directory, the checks with their
// fixes, both headers drawn with the wires), Probe (a simulated bench with extra faults: the
// built-in scenario of the pair picked on Boards, or one built for that pair; or the hardware
// window, shown disabled with the reason when it cannot be mapped here; live log and counters,
// report, diagnosis; a simulated TPM keeps its state from probe to probe of the same scenario,
// as a chip on the bench does, until f asks for the scenario's state again), Bus (the LPC cycles and TPM
// commands of the last probe or of a capture file, with a waveform around the selected cycle)
// and Actions (enable/activate and the NV lock on the probed bench, the irreversible step behind
// a confirmation).
//
// The root model (model.go) owns one sub-model per screen, each in its own file, and a state that
// says which screen is shown. Screens never do I/O in Update or View: loading board files,
// saving the solder checklist, probing and decoding happen in tea.Cmd functions whose results
// come back as messages (msgs.go and each screen's file).
package tui
