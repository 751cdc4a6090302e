package tui

// Messages that cross screens or carry the results of commands. Each screen's own result
// messages are declared in its file; these are the shared ones.

// screenID names a screen; the tab bar shows the screens in this order.
type screenID int

const (
	screenBoards screenID = iota
	screenWiring
	screenProbe
	screenBus
	screenActions
)

// showScreenMsg asks the root model to bring a screen to the front.
type showScreenMsg struct{ id screenID }

// statusMsg puts a line in the status bar: a confirmation ("checklist saved") or an error.
type statusMsg struct {
	text string
	err  bool
}

// bodySizeMsg tells every screen how much room it has (the terminal minus tab, status and help
// bars). The root sends it after each tea.WindowSizeMsg.
type bodySizeMsg struct{ width, height int }
