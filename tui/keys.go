package tui

import "charm.land/bubbles/v2/key"

// KeyMap holds every key binding of the UI. Screens pick the ones they use for the help bar.
type KeyMap struct {
	// NextScreen shows the next screen in tab order.
	NextScreen key.Binding
	// PrevScreen shows the previous screen.
	PrevScreen key.Binding
	// Quit leaves the UI.
	Quit key.Binding
	// Help switches the help bar between one line and every key.
	Help key.Binding

	// Move is for the help bar only: up and down together.
	Move key.Binding
	// Up moves the cursor one row up.
	Up key.Binding
	// Down moves the cursor one row down.
	Down key.Binding
	// PageUp moves the cursor or the view ten rows up.
	PageUp key.Binding
	// PageDown moves the cursor or the view ten rows down.
	PageDown key.Binding
	// Left focuses the left pane.
	Left key.Binding
	// Right focuses the right pane.
	Right key.Binding
	// Select chooses the item under the cursor.
	Select key.Binding
	// Filter starts typing a filter.
	Filter key.Binding
	// Back leaves a filter, a prompt, a confirmation or a probe result; on a list it clears the filter.
	Back key.Binding

	// Tick marks a wire of the solder checklist as soldered, or not.
	Tick key.Binding
	// Toggle adds the fault under the cursor to the probe's bench, or removes it.
	Toggle key.Binding
	// View switches the Wiring screen between table, checks and drawing.
	View key.Binding
	// Run starts the probe.
	Run key.Binding
	// Source switches the probe between the simulator and the hardware window.
	Source key.Binding
	// Trace puts every register access of the probe in its log, or stops it.
	Trace key.Binding
	// Fresh puts the chosen scenario's simulated TPM back in the state the scenario defines
	// (probes otherwise keep what the Actions screen changed).
	Fresh key.Binding
	// Cancel stops a running probe.
	Cancel key.Binding
	// Jump goes from a TPM command on the Bus screen to its cycles.
	Jump key.Binding
	// Open asks for the path of a capture file to show on the Bus screen.
	Open key.Binding
	// Confirm answers yes to a confirmation.
	Confirm key.Binding
	// NextLevel switches the Bus screen between LPC cycles and TPM commands.
	NextLevel key.Binding
}

// DefaultKeyMap returns the key bindings tpmbench ships with.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextScreen: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		PrevScreen: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev screen")),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),

		Move:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "move")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←→", "pane")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "right pane")),
		Select:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),

		Tick:      key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "soldered")),
		Toggle:    key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "toggle")),
		View:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "view")),
		Run:       key.NewBinding(key.WithKeys("r", "enter"), key.WithHelp("r", "run")),
		Source:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "sim/hw")),
		Trace:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
		Fresh:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "reset TPM state")),
		Cancel:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cancel")),
		Jump:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "cycles")),
		Open:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open")),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		NextLevel: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "cycles/cmds")),
	}
}
