package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// screen is what the root model needs from each screen's sub-model.
type screen interface {
	id() screenID
	title() string
	// update handles a message. Key presses reach only the shown screen; every other message
	// reaches every screen, so results of commands find their way home.
	update(msg tea.Msg) (screen, tea.Cmd)
	// view draws the screen into exactly width x height cells (the root clips what spills).
	view(width, height int) string
	// keys lists the screen's own bindings for the help bar.
	keys() []key.Binding
	// typing reports whether the screen is taking printable keys (a filter being typed), in
	// which case the root's single-letter keys are off.
	typing() bool
}

// Model is the root Bubble Tea model: a tab bar, the shown screen, a status line and the help
// bar.
type Model struct {
	keys    KeyMap
	styles  *Styles // shared with every screen, so a light background restyles them all
	help    help.Model
	screens []screen
	active  int

	width, height int
	status        statusMsg
}

// Init starts every screen's first command (loading the board database, the checklist file).
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	for _, s := range m.screens {
		if i, ok := s.(interface{ init() tea.Cmd }); ok {
			cmds = append(cmds, i.init())
		}
	}
	return tea.Batch(cmds...)
}

// Update routes a message: global keys first, then the shown screen for keys, every screen for
// everything else.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		return m.broadcast(m.bodySize())
	case tea.BackgroundColorMsg:
		*m.styles = DefaultStyles(msg.IsDark())
		m.help.Styles = m.styles.Help
		return m, nil
	case statusMsg:
		m.status = msg
		return m, nil
	case showScreenMsg:
		m.show(msg.id)
		return m, nil
	case pickedMsg:
		m.show(screenWiring)
	case tea.KeyPressMsg:
		if cmd, done := m.globalKey(msg); done {
			return m, cmd
		}
		m.status = statusMsg{}
		s, cmd := m.screens[m.active].update(msg)
		m.screens[m.active] = s
		return m, cmd
	}
	return m.broadcast(msg)
}

// globalKey handles the keys that work on every screen. done is false when the key belongs to
// the shown screen.
func (m *Model) globalKey(msg tea.KeyPressMsg) (cmd tea.Cmd, done bool) {
	if msg.String() == "ctrl+c" {
		return tea.Quit, true
	}
	if m.screens[m.active].typing() {
		return nil, false
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit, true
	case key.Matches(msg, m.keys.NextScreen):
		m.active = (m.active + 1) % len(m.screens)
	case key.Matches(msg, m.keys.PrevScreen):
		m.active = (m.active + len(m.screens) - 1) % len(m.screens)
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		_, cmd := m.broadcast(m.bodySize())
		return cmd, true
	default:
		return nil, false
	}
	return nil, true
}

func (m Model) broadcast(msg tea.Msg) (Model, tea.Cmd) {
	cmds := make([]tea.Cmd, 0, len(m.screens))
	for i, s := range m.screens {
		var cmd tea.Cmd
		m.screens[i], cmd = s.update(msg)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) show(id screenID) {
	for i, s := range m.screens {
		if s.id() == id {
			m.active = i
		}
	}
}

// bodySize is the room left for the shown screen.
func (m Model) bodySize() bodySizeMsg {
	h := m.height - 2 - lipgloss.Height(m.helpView())
	return bodySizeMsg{width: m.width, height: max(h, 1)}
}

// View draws the frame: tab bar, screen, status line, help bar, each line clipped to the
// terminal so that a small or resized window never wraps.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "tpmbench"
	return v
}

func (m Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	body := m.bodySize()
	var b strings.Builder
	b.WriteString(m.tabBar())
	b.WriteByte('\n')
	b.WriteString(fit(m.screens[m.active].view(body.width, body.height), body.width, body.height))
	b.WriteByte('\n')
	b.WriteString(m.statusLine())
	b.WriteByte('\n')
	b.WriteString(m.helpView())
	return fit(b.String(), m.width, m.height)
}

func (m Model) tabBar() string {
	parts := []string{m.styles.Heading.Render("tpmbench")}
	for i, s := range m.screens {
		style := m.styles.Tab
		title := s.title()
		if i == m.active {
			style = m.styles.ActiveTab
			title = "[" + title + "]"
		} else {
			title = " " + title + " "
		}
		parts = append(parts, style.Render(title))
	}
	return strings.Join(parts, " ")
}

func (m Model) statusLine() string {
	switch {
	case m.status.text == "":
		return ""
	case m.status.err:
		return m.styles.Error.Render("error: " + m.status.text)
	default:
		return m.styles.OK.Render(m.status.text)
	}
}

// helpView renders the help bar from the shown screen's keys and the global ones.
func (m Model) helpView() string {
	return m.help.View(helpKeys{screen: m.screens[m.active].keys(), km: m.keys})
}

// helpKeys adapts the shown screen's bindings and the global ones to help.KeyMap.
type helpKeys struct {
	screen []key.Binding
	km     KeyMap
}

// ShortHelp is one line: the screen's keys, then how to switch screens, see all keys, quit.
func (h helpKeys) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, h.screen...), h.km.NextScreen, h.km.Help, h.km.Quit)
}

// FullHelp puts the screen's keys in columns of four, then the global keys.
func (h helpKeys) FullHelp() [][]key.Binding {
	cols := [][]key.Binding{}
	for i := 0; i < len(h.screen); i += 4 {
		cols = append(cols, h.screen[i:min(i+4, len(h.screen))])
	}
	return append(cols, []key.Binding{h.km.NextScreen, h.km.PrevScreen, h.km.Help, h.km.Quit})
}

// fit clips s to width columns and height lines and pads it to exactly height lines, so the
// frame never wraps or scrolls whatever size the terminal has.
func fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
