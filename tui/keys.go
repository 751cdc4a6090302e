package tui

import "charm.land/bubbles/v2/key"

// KeyMap holds every key binding of the UI. Screens pick the ones they use for the help bar.
type KeyMap struct {
	NextScreen key.Binding
	PrevScreen key.Binding
	Quit       key.Binding
	Help       key.Binding

	Move     key.Binding // help only: up and down together
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Left     key.Binding
	Right    key.Binding
	Select   key.Binding
	Filter   key.Binding
	Back     key.Binding

	Tick      key.Binding // checklist: mark a wire soldered
	Toggle    key.Binding // probe: choose a fault
	View      key.Binding // wiring: switch between table, checks and drawing
	Run       key.Binding // probe: start
	Scenario  key.Binding // probe: next scenario
	Fault     key.Binding // probe: toggle a fault
	Source    key.Binding // probe: simulator or hardware
	Trace     key.Binding // probe: register trace in the log
	Cancel    key.Binding
	Jump      key.Binding // bus: from a TPM command to its cycles
	Open      key.Binding // bus: open a capture file
	Confirm   key.Binding
	ZoomIn    key.Binding
	ZoomOut   key.Binding
	NextLevel key.Binding // bus: cycles, registers, commands
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
		Scenario:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "scenario")),
		Fault:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fault")),
		Source:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "sim/hw")),
		Trace:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace")),
		Cancel:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cancel")),
		Jump:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "cycles")),
		Open:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open")),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		ZoomIn:    key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "zoom")),
		ZoomOut:   key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "zoom out")),
		NextLevel: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "cycles/cmds")),
	}
}
