// Package tui is the terminal user interface of tpmbench: the bench workflow a hobbyist keeps open
// while wiring and probing a TPM, built on Bubble Tea, Lip Gloss and Bubbles.
//
// The root model (model.go) owns one sub-model per screen, each in its own file, and a state that
// says which screen is shown. Screens never do I/O in Update or View: loading board files,
// saving the solder checklist and running a probe happen in tea.Cmd functions whose results
// come back as messages (msgs.go).
package tui
