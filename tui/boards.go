package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

// The Boards screen: the module on the left, the board (or a bare header) on the right, each
// filterable by typing after "/". Enter on a module moves to the boards; enter on a board
// resolves the pair and opens the Wiring screen.

// The bench of the reference bring-up, preselected so that enter, enter goes straight to it.
const (
	defaultModule = "asus-tpm-20-1"
	defaultBoard  = "apu1d"
)

// dbLoadedMsg carries the board database, read in a command (built-in data plus --boards).
type dbLoadedMsg struct {
	db  *boards.DB
	err error
}

// pickedMsg says the user chose a module and a board; the Wiring and Probe screens follow it.
type pickedMsg struct{ setup pinmap.Setup }

type boardsModel struct {
	km        KeyMap
	st        *Styles
	dir       string // --boards
	db        *boards.DB
	err       error
	panes     [2]pickList // 0: modules, 1: boards and headers
	focus     int
	filtering bool // "/" pressed: printable keys go to the filter (see setFilter)
	module    string
}

func newBoardsModel(dir string, keys KeyMap, st *Styles) *boardsModel {
	return &boardsModel{km: keys, st: st, dir: dir}
}

func (m *boardsModel) id() screenID  { return screenBoards }
func (m *boardsModel) title() string { return "Boards" }
func (m *boardsModel) typing() bool  { return m.filtering }

func (m *boardsModel) init() tea.Cmd {
	dir := m.dir
	return func() tea.Msg {
		db, err := boards.Open(dir)
		return dbLoadedMsg{db: db, err: err}
	}
}

func (m *boardsModel) keys() []key.Binding {
	if m.filtering {
		return []key.Binding{m.km.Select, m.km.Back}
	}
	return []key.Binding{m.km.Move, m.km.Left, m.km.Select, m.km.Filter}
}

func (m *boardsModel) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case dbLoadedMsg:
		m.db, m.err = msg.db, msg.err
		if msg.err != nil {
			return m, statusCmd(msg.err.Error(), true)
		}
		m.fill()
	case tea.KeyPressMsg:
		if m.db == nil {
			return m, nil
		}
		if m.filtering {
			return m, m.filterKey(msg)
		}
		return m, m.navKey(msg)
	}
	return m, nil
}

// fill builds both lists from the database and puts the cursors on the default bench.
func (m *boardsModel) fill() {
	var mods, heads []*boards.Connector
	for _, c := range m.db.Connectors() {
		switch c.Role {
		case boards.RoleModule:
			mods = append(mods, c)
		case boards.RoleHeader:
			heads = append(heads, c)
		}
	}
	idW := 0 // aligned names, unless a rare long id would squeeze every name
	for _, c := range m.db.Connectors() {
		idW = max(idW, min(len(c.ID), 17))
	}
	label := func(id, name string) string { return fmt.Sprintf("%-*s %s", idW, id, name) }
	var modItems, boardItems []listItem
	for _, c := range mods {
		modItems = append(modItems, listItem{id: c.ID, label: label(c.ID, c.Name)})
	}
	for _, b := range m.db.Boards() {
		boardItems = append(boardItems, listItem{id: b.ID, label: label(b.ID, b.Name)})
	}
	for _, c := range heads {
		boardItems = append(boardItems, listItem{id: c.ID, label: label(c.ID, "header: "+c.Name)})
	}
	m.panes[0] = newPickList(modItems)
	m.panes[1] = newPickList(boardItems)
	m.panes[0].selectID(defaultModule)
	m.panes[1].selectID(defaultBoard)
}

func (m *boardsModel) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.panes[m.focus]
	switch {
	case key.Matches(msg, m.km.Select):
		m.filtering = false
	case key.Matches(msg, m.km.Back):
		m.filtering = false
		p.setFilter("")
	case msg.Code == tea.KeyBackspace:
		if r := []rune(p.filter); len(r) > 0 {
			m.setFilter(string(r[:len(r)-1]))
		}
	case key.Matches(msg, m.km.Up), key.Matches(msg, m.km.Down):
		if msg.Text == "" { // arrows move; j and k are letters of the filter
			m.navKey(msg)
			return nil
		}
		m.setFilter(p.filter + msg.Text)
	case msg.Text != "":
		m.setFilter(p.filter + msg.Text)
	}
	return nil
}

// setFilter filters the focused pane. When that leaves it empty and the other pane has
// matches, the filter and the focus move there: "/apu2" typed with the modules focused finds
// the board, "/tpm4a" typed with the boards focused finds the module. The pane left behind
// keeps its cursor, so enter on a board still pairs it with the module under that cursor.
func (m *boardsModel) setFilter(f string) {
	p, other := &m.panes[m.focus], &m.panes[1-m.focus]
	p.setFilter(f)
	if f == "" || len(p.shown) > 0 {
		return
	}
	saved := other.filter
	if other.setFilter(f); len(other.shown) == 0 {
		other.setFilter(saved)
		return
	}
	p.setFilter("")
	m.focus = 1 - m.focus
}

func (m *boardsModel) navKey(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.panes[m.focus]
	switch {
	case key.Matches(msg, m.km.Up):
		p.move(-1)
	case key.Matches(msg, m.km.Down):
		p.move(1)
	case key.Matches(msg, m.km.PageUp):
		p.move(-10)
	case key.Matches(msg, m.km.PageDown):
		p.move(10)
	case key.Matches(msg, m.km.Left):
		m.focus = 0
	case key.Matches(msg, m.km.Right):
		m.focus = 1
	case key.Matches(msg, m.km.Filter):
		m.filtering = true
	case key.Matches(msg, m.km.Back):
		p.setFilter("")
	case key.Matches(msg, m.km.Select):
		return m.choose()
	}
	return nil
}

// choose takes the item under the cursor: a module moves the focus to the boards, a board
// completes the pair.
func (m *boardsModel) choose() tea.Cmd {
	it, ok := m.panes[m.focus].selected()
	if !ok {
		return nil
	}
	if m.focus == 0 {
		m.module = it.id
		m.focus = 1
		return nil
	}
	mod := m.module
	if mod == "" {
		mi, ok := m.panes[0].selected()
		if !ok {
			return statusCmd("pick a module first (left pane)", true)
		}
		mod = mi.id
	}
	setup, err := pinmap.Resolve(m.db, mod, it.id)
	if err != nil {
		return statusCmd(err.Error(), true)
	}
	m.module = mod
	return func() tea.Msg { return pickedMsg{setup: setup} }
}

func (m *boardsModel) view(width, height int) string {
	if m.err != nil {
		return m.st.Error.Render("the board database did not load:") + "\n" + lipgloss.NewStyle().Width(width).Render(m.err.Error())
	}
	if m.db == nil {
		return m.st.Dim.Render("loading the board database…")
	}
	detailH := 5
	listH := max(height-detailH-2, 1)
	colW := (width - 1) / 2
	cols := make([]string, 2)
	for i, name := range []string{"module", "board or header"} {
		head := name
		if f := m.panes[i].filter; f != "" || (m.filtering && m.focus == i) {
			head += " /" + f
			if m.filtering && m.focus == i {
				head += "▏"
			}
		}
		hs := m.st.Heading
		if m.focus == i {
			hs = m.st.Focused
		}
		cols[i] = lipgloss.NewStyle().Width(colW).Render(hs.Render(head) + "\n" + m.panes[i].view(m.st, colW, listH, m.focus == i))
	}
	lists := lipgloss.JoinHorizontal(lipgloss.Top, cols[0], " ", cols[1])
	lists = fit(lists, width, listH+1)
	return lists + "\n\n" + m.details(width, detailH)
}

// details describes the item under the cursor of the focused pane.
func (m *boardsModel) details(width, height int) string {
	it, ok := m.panes[m.focus].selected()
	if !ok {
		return ""
	}
	var lines []string
	if b, err := m.db.Board(it.id); err == nil && m.focus == 1 {
		lines = append(lines, m.st.Heading.Render(b.Name)+m.st.Dim.Render(fmt.Sprintf("  chipset %s, header %s, confidence %s", b.Chipset, b.Connector, b.Confidence)))
		lines = append(lines, b.Notes)
	} else if c, err := m.db.Connector(it.id); err == nil {
		g := c.Geometry
		what := fmt.Sprintf("  %dx%d %s, %.2f mm, %s, confidence %s", g.Rows, g.Cols, g.Gender, g.PitchMM, c.Bus, c.Confidence)
		if c.Chip != "" {
			what += ", " + c.Chip
		}
		lines = append(lines, m.st.Heading.Render(c.Name)+m.st.Dim.Render(what))
		lines = append(lines, c.Notes)
	}
	text := lipgloss.NewStyle().Width(width).Render(strings.Join(lines, "\n"))
	return fit(text, width, height)
}

// statusCmd shows a line in the status bar.
func statusCmd(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, err: isErr} }
}
