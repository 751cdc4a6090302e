package tui

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tpmbench/lpcsim/decode"
)

// The Bus screen: the LPC cycles of the last simulated probe, or of a capture file, as a
// scrollable list; the TPM commands they carry; and a waveform of LCLK, LFRAME#, LAD[3:0] and
// SERIRQ drawn around the selected cycle. Enter on a command jumps to its first cycle.

// maxClocks bounds the clock samples kept for the waveform, so a long capture cannot take all
// memory; cycles past it are listed without a waveform.
const maxClocks = 4 << 20

// busTrace is a decoded bus: cycles, commands, and the lines at every LCLK rising edge.
type busTrace struct {
	title     string
	cycles    []*decode.Cycle
	commands  []*decode.Command
	ticks     []int64 // tick of each LCLK rising edge
	lines     []byte  // the lines just before that edge, in decode's bit layout
	truncated bool    // more clocks than maxClocks
}

// traceLoadedMsg carries a capture opened from the command line.
type traceLoadedMsg struct {
	trace *busTrace
	err   error
}

// loadTrace decodes a capture (the simulator's VCD or a logic-analyser file) up to TPM
// commands, keeping the clock samples for the waveform. It does file I/O: call it from a
// command only.
func loadTrace(path, title string) (*busTrace, error) {
	src, err := decode.Open(path, nil)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	t := &busTrace{title: title}
	tee := &clockTee{Source: src, t: t}
	_, err = decode.Run(tee, decode.Handlers{
		Cycle:   func(c *decode.Cycle) error { t.cycles = append(t.cycles, c); return nil },
		Command: func(c *decode.Command) error { t.commands = append(t.commands, c); return nil },
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// clockTee passes a capture's chunks to the decoder and records the lines at each LCLK
// rising edge on the way.
type clockTee struct {
	decode.Source
	t       *busTrace
	prev    byte
	started bool
}

// Next returns the source's next chunk, recording the line states at each LCLK rising edge.
func (c *clockTee) Next() (decode.Chunk, error) {
	ch, err := c.Source.Next()
	if err != nil {
		return ch, err
	}
	const clk = 1 << decode.LCLK
	for i, s := range ch.States {
		if c.started && c.prev&clk == 0 && s&clk != 0 {
			if len(c.t.ticks) >= maxClocks {
				c.t.truncated = true
			} else {
				c.t.ticks = append(c.t.ticks, ch.Tick(i))
				c.t.lines = append(c.t.lines, c.prev)
			}
		}
		c.prev, c.started = s, true
	}
	return ch, nil
}

// clockAt is the index of the first recorded clock at or after tick.
func (t *busTrace) clockAt(tick int64) int {
	return sort.Search(len(t.ticks), func(i int) bool { return t.ticks[i] >= tick })
}

type busView int

const (
	busCycles busView = iota
	busCommands
)

type busModel struct {
	km      KeyMap
	st      *Styles
	capture string // the capture file shown (given on the command line or opened with o)
	trace   *busTrace
	err     error
	mode    busView
	cycle   int // selected cycle
	command int // selected command
	loading bool
	opening bool   // typing the path of a capture to open
	path    string // what has been typed
}

func newBusModel(capture string, keys KeyMap, st *Styles) *busModel {
	return &busModel{km: keys, st: st, capture: capture, loading: capture != ""}
}

func (m *busModel) id() screenID  { return screenBus }
func (m *busModel) title() string { return "Bus" }
func (m *busModel) typing() bool  { return m.opening }

func (m *busModel) init() tea.Cmd {
	if m.capture == "" {
		return nil
	}
	return openCapture(m.capture)
}

// openCapture decodes a capture file in a command.
func openCapture(path string) tea.Cmd {
	return func() tea.Msg {
		t, err := loadTrace(path, "capture "+path)
		return traceLoadedMsg{trace: t, err: err}
	}
}

func (m *busModel) keys() []key.Binding {
	switch {
	case m.opening:
		return []key.Binding{m.km.Select, m.km.Back}
	case m.trace == nil:
		return []key.Binding{m.km.Open}
	case m.mode == busCommands:
		return []key.Binding{m.km.Move, m.km.Jump, m.km.NextLevel, m.km.Open}
	}
	return []key.Binding{m.km.Move, m.km.NextLevel, m.km.Open}
}

func (m *busModel) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case traceLoadedMsg:
		m.loading = false
		m.trace = nil
		if msg.err != nil {
			m.err = msg.err
			return m, statusCmd(msg.err.Error(), true)
		}
		m.show(msg.trace)
	case probeDoneMsg:
		if msg.trace != nil {
			m.show(msg.trace)
		}
	case tea.KeyPressMsg:
		if m.opening {
			return m, m.pathKey(msg)
		}
		if key.Matches(msg, m.km.Open) {
			m.opening, m.path = true, ""
			return m, nil
		}
		if m.trace != nil {
			m.key(msg)
		}
	}
	return m, nil
}

// pathKey edits the path of the capture to open; enter opens it in a command.
func (m *busModel) pathKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.km.Back):
		m.opening = false
	case key.Matches(msg, m.km.Select):
		m.opening = false
		if m.path == "" {
			return nil
		}
		m.loading, m.capture, m.err = true, m.path, nil
		return openCapture(m.path)
	case msg.Code == tea.KeyBackspace:
		if r := []rune(m.path); len(r) > 0 {
			m.path = string(r[:len(r)-1])
		}
	case msg.Text != "":
		m.path += msg.Text
	}
	return nil
}

func (m *busModel) show(t *busTrace) {
	m.trace, m.err, m.cycle, m.command = t, nil, 0, 0
	if len(t.cycles) == 0 {
		m.err = errors.New("the trace holds no LPC cycles")
	}
}

func (m *busModel) key(msg tea.KeyPressMsg) {
	n, cur := len(m.trace.cycles), &m.cycle
	if m.mode == busCommands {
		n, cur = len(m.trace.commands), &m.command
	}
	move := func(d int) { *cur = min(max(*cur+d, 0), max(n-1, 0)) }
	switch {
	case key.Matches(msg, m.km.NextLevel):
		m.mode = 1 - m.mode
	case key.Matches(msg, m.km.Up):
		move(-1)
	case key.Matches(msg, m.km.Down):
		move(1)
	case key.Matches(msg, m.km.PageUp):
		move(-10)
	case key.Matches(msg, m.km.PageDown):
		move(10)
	case key.Matches(msg, m.km.Jump) && m.mode == busCommands && n > 0:
		first := m.trace.commands[m.command].FirstCycle
		m.cycle = min(max(first, 0), len(m.trace.cycles)-1)
		m.mode = busCycles
	}
}

func (m *busModel) view(width, height int) string {
	switch {
	case m.opening:
		return m.st.Heading.Render("open a capture (.sr or .vcd): ") + m.path + "▏\n" +
			m.st.Dim.Render("enter opens it, esc cancels")
	case m.loading:
		return m.st.Dim.Render("decoding " + m.capture + "…")
	case m.err != nil:
		return m.st.Error.Render("no bus trace: ") + m.err.Error()
	case m.trace == nil:
		return m.st.Dim.Render("run a probe on the Probe screen to see its LPC cycles here,\nor press o to open a logic-analyser capture (.sr or .vcd)")
	}
	t := m.trace
	names := []string{"cycles", "TPM commands"}
	names[m.mode] = m.st.Focused.Render(names[m.mode])
	names[1-m.mode] = m.st.Dim.Render(names[1-m.mode])
	head := m.st.Heading.Render(t.title) + m.st.Dim.Render(fmt.Sprintf("  %d cycles, %d TPM commands", len(t.cycles), len(t.commands))) +
		"\n" + names[0] + m.st.Dim.Render(" · ") + names[1] + m.st.Dim.Render("   (v switches)")
	wave := m.waveform(width)
	listH := max(height-2-1-strings.Count(wave, "\n")-1, 1)
	var list string
	if m.mode == busCommands {
		list = m.commandList(width, listH)
	} else {
		list = m.cycleList(width, listH)
	}
	return head + "\n" + fit(list, width, listH) + "\n" + wave
}

func (m *busModel) cycleList(width, height int) string {
	cs := m.trace.cycles
	first := scrollStart(m.cycle, len(cs), height)
	var rows []string
	for i := first; i < min(first+height, len(cs)); i++ {
		c := cs[i]
		text := fmt.Sprintf("%6d  %s", c.Index, c.String())
		if cmd := m.commandOf(i); cmd != nil && cmd.FirstCycle == i {
			text += "  ◂ " + cmd.Name()
		}
		rows = append(rows, m.row(text, i == m.cycle, width, c.Status != decode.Complete))
	}
	return strings.Join(rows, "\n")
}

func (m *busModel) commandList(width, height int) string {
	cs := m.trace.commands
	if len(cs) == 0 {
		return m.st.Dim.Render("no TPM command went through the FIFO")
	}
	first := scrollStart(m.command, len(cs), height)
	var rows []string
	for i := first; i < min(first+height, len(cs)); i++ {
		c := cs[i]
		text := fmt.Sprintf("cycles %d-%d  %s", c.FirstCycle, c.LastCycle, c.String())
		rows = append(rows, m.row(text, i == m.command, width, false))
	}
	return strings.Join(rows, "\n")
}

func (m *busModel) row(text string, selected bool, width int, bad bool) string {
	text = truncate(text, width-2)
	switch {
	case selected:
		return m.st.Selected.Render("› " + text)
	case bad:
		return "  " + m.st.Warning.Render(text)
	}
	return "  " + text
}

// focusCycle is the cycle the waveform shows: the selected one, or in the command list the
// first cycle of the selected command.
func (m *busModel) focusCycle() int {
	if m.mode == busCommands && len(m.trace.commands) > 0 {
		return min(max(m.trace.commands[m.command].FirstCycle, 0), len(m.trace.cycles)-1)
	}
	return m.cycle
}

// commandOf returns the command whose cycles include cycle i.
func (m *busModel) commandOf(i int) *decode.Command {
	for _, c := range m.trace.commands {
		if i >= c.FirstCycle && i <= c.LastCycle {
			return c
		}
	}
	return nil
}

// waveform draws the lines around the selected cycle, two cells per LCLK period, with the
// clocks of the cycle marked underneath.
func (m *busModel) waveform(width int) string {
	t := m.trace
	c := t.cycles[m.focusCycle()]
	if len(t.ticks) == 0 {
		return m.st.Warning.Render("no LCLK edges in the trace: no waveform (is the clock missing?)")
	}
	start, end := t.clockAt(c.Tick), t.clockAt(c.EndTick)
	if start >= len(t.ticks) {
		return m.st.Dim.Render("this cycle is past the clocks kept for the waveform")
	}
	const label = 9
	n := max((width-label)/2, 4)
	from := max(start-2, 0)
	if end-start+4 < n {
		from = max(start-(n-(end-start+1))/2, 0)
	}
	to := min(from+n, len(t.ticks))
	rows := []struct {
		name string
		bit  decode.Signal
	}{
		{"LCLK", decode.LCLK}, {"LFRAME#", decode.LFRAME}, {"LAD", 99},
		{"LAD3", decode.LAD3}, {"LAD2", decode.LAD2}, {"LAD1", decode.LAD1}, {"LAD0", decode.LAD0},
		{"SERIRQ", decode.SERIRQ}, {"LRESET#", decode.LRESET},
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s", label, r.name)
		for i := from; i < to; i++ {
			s := t.lines[i]
			switch {
			case r.name == "LCLK":
				b.WriteString("▔▁")
			case r.bit == 99:
				fmt.Fprintf(&b, "%X ", s&0x0F)
			case s>>r.bit&1 != 0:
				b.WriteString("▔▔")
			default:
				b.WriteString("▁▁")
			}
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%-*s", label, "")
	for i := from; i < to; i++ {
		if i >= start && i <= end {
			b.WriteString("^^")
		} else {
			b.WriteString("  ")
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func truncate(s string, width int) string {
	if len([]rune(s)) <= width {
		return s
	}
	return string([]rune(s)[:max(width-1, 0)]) + "…"
}
