package tui

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

// The Wiring screen: for the chosen module and board, the generated wiring as a table that
// doubles as the solder checklist, the checks with their severities and fixes, and a drawing
// of both headers with the wires between them.

type wiringView int

const (
	viewTable wiringView = iota
	viewChecks
	viewDrawing
)

var wiringViewNames = []string{"wires & checklist", "checks", "drawing"}

type wiringModel struct {
	km     KeyMap
	st     *Styles
	store  *checklistStore
	report *pinmap.Report

	mode   wiringView
	cursor int // table row
	scroll int // first line of the checks and drawing views
	width  int
	height int

	checklist map[string][]string // every wiring's ticks, as in the file
	loaded    bool                // the file has been read (ticks before that would be lost)
	seq       int                 // snapshots sent to be saved
}

func newWiringModel(store *checklistStore, keys KeyMap, st *Styles) *wiringModel {
	return &wiringModel{km: keys, st: st, store: store}
}

func (m *wiringModel) id() screenID  { return screenWiring }
func (m *wiringModel) title() string { return "Wiring" }
func (m *wiringModel) typing() bool  { return false }
func (m *wiringModel) init() tea.Cmd { return m.store.load() }

func (m *wiringModel) keys() []key.Binding {
	ks := []key.Binding{m.km.Move, m.km.View}
	if m.mode != viewChecks {
		ks = append(ks, m.km.Tick)
	}
	return ks
}

func (m *wiringModel) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case pickedMsg:
		m.report = pinmap.NewReport(msg.setup, pinmap.Generate(msg.setup))
		m.cursor, m.scroll = 0, 0
	case bodySizeMsg:
		m.width, m.height = msg.width, msg.height
	case checklistLoadedMsg:
		m.loaded = msg.err == nil
		m.checklist = msg.wirings
		if msg.err != nil {
			return m, statusCmd(msg.err.Error(), true)
		}
	case checklistSavedMsg:
		if msg.err != nil {
			return m, statusCmd(msg.err.Error(), true)
		}
		return m, statusCmd("checklist saved in "+homeRelative(msg.path), false)
	case tea.KeyPressMsg:
		if m.report == nil {
			return m, nil
		}
		return m, m.key(msg)
	}
	return m, nil
}

func (m *wiringModel) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.km.View):
		m.mode = (m.mode + 1) % wiringView(len(wiringViewNames))
		m.scroll = 0
	case key.Matches(msg, m.km.Up):
		m.moveBy(-1)
	case key.Matches(msg, m.km.Down):
		m.moveBy(1)
	case key.Matches(msg, m.km.PageUp) && m.mode == viewDrawing:
		m.scroll = max(m.scroll-5, 0) // a small terminal shows part of the drawing
	case key.Matches(msg, m.km.PageDown) && m.mode == viewDrawing:
		m.scroll += 5
	case key.Matches(msg, m.km.PageUp):
		m.moveBy(-10)
	case key.Matches(msg, m.km.PageDown):
		m.moveBy(10)
	case key.Matches(msg, m.km.Tick) && m.mode != viewChecks:
		return m.tick()
	}
	return nil
}

// moveBy moves the wire cursor in the table and the drawing (where the wire under it is drawn
// heavy), and scrolls the checks.
func (m *wiringModel) moveBy(d int) {
	if m.mode != viewChecks {
		m.cursor = min(max(m.cursor+d, 0), max(len(m.report.Wiring.Wires)-1, 0))
		return
	}
	m.scroll = max(m.scroll+d, 0)
}

// checklistKey names the wiring in the checklist file.
func (m *wiringModel) checklistKey() string {
	return m.report.Setup.Module.ID + " " + m.report.Setup.Target()
}

// homeRelative shortens a path under the home directory to ~/..., as a status line has room
// for little.
func homeRelative(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || !strings.HasPrefix(path, home+string(os.PathSeparator)) {
		return path
	}
	return "~" + path[len(home):]
}

func wireKey(w pinmap.Wire) string { return fmt.Sprintf("%d-%d", w.ModulePin, w.BoardPin) }

func (m *wiringModel) soldered(w pinmap.Wire) bool {
	return slices.Contains(m.checklist[m.checklistKey()], wireKey(w))
}

// tick flips the wire under the cursor and saves the checklist.
func (m *wiringModel) tick() tea.Cmd {
	if !m.loaded {
		return statusCmd("the checklist file could not be read, so ticks are not saved", true)
	}
	wires := m.report.Wiring.Wires
	if m.cursor >= len(wires) {
		return nil
	}
	k, wk := m.checklistKey(), wireKey(wires[m.cursor])
	done := m.checklist[k]
	if i := slices.Index(done, wk); i >= 0 {
		done = slices.Delete(slices.Clone(done), i, i+1)
	} else {
		done = append(slices.Clone(done), wk)
		slices.Sort(done)
	}
	if len(done) == 0 {
		delete(m.checklist, k)
	} else {
		m.checklist[k] = done
	}
	m.cursor = min(m.cursor+1, len(wires)-1)
	m.seq++
	return m.store.save(m.seq, m.checklist)
}

func (m *wiringModel) solderedCount() int {
	n := 0
	for _, w := range m.report.Wiring.Wires {
		if m.soldered(w) {
			n++
		}
	}
	return n
}

func (m *wiringModel) view(width, height int) string {
	if m.report == nil {
		return m.st.Dim.Render("choose a module and a board on the Boards screen first")
	}
	r := m.report
	e, w, i := r.Counts()
	head := m.st.Heading.Render(r.Title()) + m.st.Dim.Render(fmt.Sprintf("  %d/%d soldered", m.solderedCount(), len(r.Wiring.Wires)))
	counts := fmt.Sprintf("%d errors, %d warnings, %d notes", e, w, i)
	verdict := m.st.OK.Render("wiring OK: " + counts)
	if e > 0 {
		verdict = m.st.Error.Render("wiring will not work: " + counts)
	}
	var modes []string
	for j, name := range wiringViewNames {
		if wiringView(j) == m.mode {
			modes = append(modes, m.st.Focused.Render(name))
		} else {
			modes = append(modes, m.st.Dim.Render(name))
		}
	}
	top := head + "\n" + verdict + "\n" + strings.Join(modes, m.st.Dim.Render(" · ")) + m.st.Dim.Render("   (v switches)")
	bodyH := max(height-4, 1)
	var body string
	switch m.mode {
	case viewTable:
		body = m.tableView(width, bodyH)
	case viewChecks:
		body = m.scrolled(m.checksText(width), bodyH)
	case viewDrawing:
		body = m.scrolled(m.drawing(width), bodyH)
	}
	return top + "\n\n" + body
}

// scrolled shows height lines of text from the scroll position, clamping it.
func (m *wiringModel) scrolled(text string, height int) string {
	lines := strings.Split(text, "\n")
	m.scroll = min(m.scroll, max(len(lines)-height, 0))
	end := min(m.scroll+height, len(lines))
	return strings.Join(lines[m.scroll:end], "\n")
}

func (m *wiringModel) tableView(width, height int) string {
	rows := m.report.Rows()
	wires := m.report.Wiring.Wires
	header := m.st.Dim.Render(fmt.Sprintf("%-5s %4s  %-18s %4s  %-18s %s", "done", "mod", "module signal", "brd", "board signal", "note"))
	lines := []string{header}
	first := scrollStart(m.cursor, len(rows), height-1)
	for j := first; j < min(first+height-1, len(rows)); j++ {
		row := rows[j]
		box := "[ ]"
		if m.soldered(wires[j]) {
			box = "[x]"
		}
		line := fmt.Sprintf("%s %4s  %-18s %4s  %-18s %s", box, row.ModulePin, ansi.Truncate(row.ModuleName, 18, "…"), row.BoardPin, ansi.Truncate(row.BoardName, 18, "…"), row.Note)
		line = ansi.Truncate(line, width-2, "…")
		if j == m.cursor {
			line = m.st.Selected.Render("› " + line)
		} else {
			line = "  " + line
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func (m *wiringModel) checksText(width int) string {
	if len(m.report.Findings) == 0 {
		return m.st.OK.Render("no findings")
	}
	wrap := lipgloss.NewStyle().Width(width - 4)
	var b []string
	for _, f := range m.report.Findings {
		sev := strings.ToUpper(f.Severity.String())
		var tag string
		switch f.Severity {
		case pinmap.Error:
			tag = m.st.Error.Render(sev)
		case pinmap.Warning:
			tag = m.st.Warning.Render(sev)
		default:
			tag = m.st.Info.Render(sev)
		}
		b = append(b, tag+" "+m.st.Dim.Render("["+f.Code+"]")+" "+f.Message)
		if pins := f.PinList(); pins != "" {
			b = append(b, indent(wrap.Render("pins: "+pins), "    "))
		}
		if f.Fix != "" {
			b = append(b, indent(wrap.Render("fix: "+f.Fix), "    "))
		}
	}
	return lipgloss.NewStyle().Width(width).Render(strings.Join(b, "\n"))
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n")
}

func (m *wiringModel) drawing(width int) string {
	s := m.report.Setup
	var ws []drawWire
	for i, w := range m.report.Wiring.Wires {
		ws = append(ws, drawWire{modulePin: w.ModulePin, boardPin: w.BoardPin, signal: w.Signal, selected: i == m.cursor})
	}
	mod := headerOf(s.Module, "module "+s.Module.ID)
	if m.cursor < len(m.report.Wiring.Wires) {
		w := m.report.Wiring.Wires[m.cursor]
		done := "[ ]"
		if m.soldered(w) {
			done = "[x]"
		}
		mod.title += fmt.Sprintf("   wire %s %d → %d %s (heavy line)", done, w.ModulePin, w.BoardPin, w.Signal)
	}
	brd := headerOf(s.Header, "board "+s.Target()+" ("+s.Header.ID+")")
	return drawHeaders(m.st, mod, brd, ws, width)
}

// headerOf lays a connector out for the drawing: seen from above, pin 1 top left, one drawing
// row per row of pins.
func headerOf(c *boards.Connector, title string) header {
	g := c.Geometry
	rows := max(g.Rows, 1)
	h := header{title: title, grid: make([][]int, rows), marks: map[int]rune{}}
	per := (len(c.Pins) + rows - 1) / rows
	for r := range h.grid {
		h.grid[r] = make([]int, per)
	}
	for _, p := range c.Pins {
		line, col := g.Position(p.Number)
		if col < rows && line < per {
			h.grid[col][line] = p.Number
		}
		switch {
		case p.Signal == boards.KEY:
			h.marks[p.Number] = '×'
		case p.Never != "":
			h.marks[p.Number] = '!'
		}
	}
	h.legend = "× key  ! never connect"
	return h
}
