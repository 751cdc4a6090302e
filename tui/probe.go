package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"tpmbench/boards"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/scenario"
	"tpmbench/pinmap"
	"tpmbench/tis"
	"tpmbench/tis/devmem"
)

// The Probe screen: choose a simulated bench (a built-in scenario plus extra faults) or the
// hardware window, run the forced probe with its log streaming in and live bus counters, then
// read the report, and the diagnosis when the probe failed.

type probePhase int

const (
	phaseSetup probePhase = iota
	phaseRunning
	phaseDone
)

// scenariosLoadedMsg carries the built-in scenarios.
type scenariosLoadedMsg struct {
	list []*scenario.Scenario
	err  error
}

// hardwareCheckedMsg says whether the hardware window can be mapped here, and if not why.
type hardwareCheckedMsg struct{ err error }

// probeLogMsg is one log line of a running probe.
type probeLogMsg struct{ line string }

// probeProgressMsg carries the running probe's counters.
type probeProgressMsg struct{ progress probeProgress }

// probeDoneMsg ends a probe run. trace holds the decoded bus activity of a simulated run;
// session the bench of a successful probe, handed over to the Actions screen; kept the simulated
// TPM the next probes of the scenario named key use.
type probeDoneMsg struct {
	title    string
	key      string
	kept     *sharedEngine
	session  *benchSession
	report   *tis.Report
	err      error
	progress probeProgress
	trace    *busTrace
	traceErr error
}

// probeProgress is what a running probe has done so far.
type probeProgress struct {
	accesses int           // register accesses by the driver
	cycles   uint64        // LPC cycles (simulator)
	aborts   uint64        // aborted cycles (simulator)
	busPS    uint64        // simulated bus time in picoseconds
	elapsed  time.Duration // wall time
}

type probeModel struct {
	km KeyMap
	st *Styles

	scenarios []*scenario.Scenario
	scenList  pickList
	db        *boards.DB    // the Boards screen's database, user boards included; nil: built-in
	picked    *pinmap.Setup // the pair chosen on the Boards screen, if any
	pair      *pairBench    // that pair's own bench, when no built-in scenario simulates it
	faults    []lpcsim.Fault
	faultList pickList
	chosen    map[int]bool // indices into faults
	focus     int          // 0: scenarios, 1: faults
	hardware  bool
	system    devmem.System
	hwErr     error // why the hardware window cannot be used; nil when it can
	hwChecked bool
	trace     bool // log every register access too
	loadErr   error
	kept      map[string]*sharedEngine // per scenario (list item id): the TPM earlier probes used

	runKept bool // the shown run used a kept TPM, not the scenario's fresh one

	phase    probePhase
	runTitle string
	log      []string
	progress probeProgress
	report   *tis.Report
	err      error
	scroll   int
	cancel   context.CancelFunc
	events   chan tea.Msg
}

func newProbeModel(sys *devmem.System, keys KeyMap, st *Styles) *probeModel {
	if sys == nil {
		host := devmem.HostSystem()
		sys = &host
	}
	m := &probeModel{km: keys, st: st, system: *sys, faults: lpcsim.SingleLineFaults(), chosen: map[int]bool{},
		kept: map[string]*sharedEngine{}}
	items := make([]listItem, len(m.faults))
	for i, f := range m.faults {
		items[i] = listItem{id: strconv.Itoa(i), label: f.String()}
	}
	m.faultList = newPickList(items)
	return m
}

func (m *probeModel) id() screenID  { return screenProbe }
func (m *probeModel) title() string { return "Probe" }
func (m *probeModel) typing() bool  { return false }

func (m *probeModel) init() tea.Cmd {
	sys := m.system
	return tea.Batch(
		func() tea.Msg {
			list, err := scenario.Builtin()
			return scenariosLoadedMsg{list: list, err: err}
		},
		func() tea.Msg { return hardwareCheckedMsg{err: sys.Check(false)} },
	)
}

func (m *probeModel) keys() []key.Binding {
	switch m.phase {
	case phaseRunning:
		return []key.Binding{m.km.Cancel}
	case phaseDone:
		return []key.Binding{m.km.Move, m.km.Run, m.km.Fresh, m.km.Back}
	}
	// t (register trace) and f (TPM state) are named in the setup view itself, to keep this
	// line short.
	if m.focus == 1 {
		return []key.Binding{m.km.Move, m.km.Left, m.km.Toggle, m.km.Run}
	}
	return []key.Binding{m.km.Move, m.km.Left, m.km.Run, m.km.Source}
}

func (m *probeModel) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case scenariosLoadedMsg:
		m.loadErr = msg.err
		m.scenarios = msg.list
		m.fillScenarios("default")
		m.follow()
	case dbLoadedMsg:
		m.db = msg.db
	case hardwareCheckedMsg:
		m.hwErr, m.hwChecked = msg.err, true
	case pickedMsg:
		setup := msg.setup
		m.picked = &setup
		m.follow()
	case probeLogMsg:
		m.log = append(m.log, msg.line)
		return m, waitEvent(m.events)
	case probeProgressMsg:
		m.progress = msg.progress
		return m, waitEvent(m.events)
	case probeDoneMsg:
		m.phase, m.report, m.err, m.progress = phaseDone, msg.report, msg.err, msg.progress
		m.cancel, m.events = nil, nil
		if msg.kept != nil {
			m.kept[msg.key] = msg.kept
		}
		if msg.traceErr != nil {
			return m, statusCmd("bus trace: "+msg.traceErr.Error(), true)
		}
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *probeModel) key(msg tea.KeyPressMsg) tea.Cmd {
	switch m.phase {
	case phaseRunning:
		if key.Matches(msg, m.km.Cancel) && m.cancel != nil {
			m.cancel()
		}
		return nil
	case phaseDone:
		switch {
		case key.Matches(msg, m.km.Back):
			m.phase = phaseSetup
		case key.Matches(msg, m.km.Run):
			return m.start()
		case key.Matches(msg, m.km.Fresh):
			return m.forgetState()
		case key.Matches(msg, m.km.Up):
			m.scroll = max(m.scroll-1, 0)
		case key.Matches(msg, m.km.Down):
			m.scroll++
		case key.Matches(msg, m.km.PageUp):
			m.scroll = max(m.scroll-10, 0)
		case key.Matches(msg, m.km.PageDown):
			m.scroll += 10
		}
		return nil
	}
	list := &m.scenList
	if m.focus == 1 {
		list = &m.faultList
	}
	switch {
	case key.Matches(msg, m.km.Up):
		list.move(-1)
	case key.Matches(msg, m.km.Down):
		list.move(1)
	case key.Matches(msg, m.km.PageUp):
		list.move(-10)
	case key.Matches(msg, m.km.PageDown):
		list.move(10)
	case key.Matches(msg, m.km.Left):
		m.focus = 0
	case key.Matches(msg, m.km.Right):
		m.focus = 1
	case key.Matches(msg, m.km.Toggle) && m.focus == 1:
		if i, ok := m.selectedFault(); ok {
			m.chosen[i] = !m.chosen[i]
		}
	case key.Matches(msg, m.km.Source):
		m.hardware = !m.hardware
	case key.Matches(msg, m.km.Trace):
		m.trace = !m.trace
	case key.Matches(msg, m.km.Fresh):
		return m.forgetState()
	case key.Matches(msg, m.km.Run):
		return m.start()
	}
	return nil
}

// follow makes the pair picked on the Boards screen the chosen bench: the healthy built-in
// scenario of that module and board when there is one, else a bench built for the pair, listed
// first (or, when the pair cannot be simulated, listed with the reason).
func (m *probeModel) follow() {
	if m.picked == nil || m.scenarios == nil {
		return
	}
	setup := *m.picked
	m.pair = nil
	if name := matchingScenario(m.scenarios, setup.Module.ID, setup.Target()); name != "" {
		m.fillScenarios(name)
		return
	}
	i := slices.IndexFunc(m.scenarios, func(s *scenario.Scenario) bool { return s.Name == "default" })
	if i < 0 {
		return
	}
	pb := newPairBench(m.scenarios[i], setup)
	m.pair = &pb
	m.fillScenarios(pb.id)
}

// fillScenarios lists the picked pair's bench (if any) and the built-in scenarios, with the
// cursor on id.
func (m *probeModel) fillScenarios(id string) {
	items := make([]listItem, 0, len(m.scenarios)+1)
	if m.pair != nil {
		label := m.pair.id + " (picked)"
		if m.pair.why != nil {
			label = m.pair.id + " (cannot simulate)"
		}
		items = append(items, listItem{id: m.pair.id, label: label})
	}
	for _, s := range m.scenarios {
		items = append(items, listItem{id: s.Name, label: s.Name})
	}
	m.scenList = newPickList(items)
	m.scenList.selectID(id)
}

// chosenScenario is the scenario under the cursor: the picked pair's bench or a built-in one.
// err says why the picked pair cannot be simulated.
func (m *probeModel) chosenScenario() (s *scenario.Scenario, desc string, err error) {
	it, ok := m.scenList.selected()
	if !ok {
		return nil, "", errors.New("no scenario chosen")
	}
	if m.pair != nil && it.id == m.pair.id {
		if m.pair.why != nil {
			return nil, m.pair.desc, fmt.Errorf("cannot simulate %s: %w", m.pair.id, m.pair.why)
		}
		return m.pair.scen, m.pair.desc, nil
	}
	i := slices.IndexFunc(m.scenarios, func(s *scenario.Scenario) bool { return s.Name == it.id })
	if i < 0 {
		return nil, "", fmt.Errorf("no scenario %q", it.id)
	}
	return m.scenarios[i], m.scenarios[i].Description, nil
}

// forgetState drops the TPM kept for the chosen scenario: its next probe starts from the state
// the scenario defines. The Actions screen keeps working on its bench until the next probe.
func (m *probeModel) forgetState() tea.Cmd {
	it, ok := m.scenList.selected()
	if !ok || m.hardware {
		return statusCmd("only a simulated TPM can be reset to its scenario's state", true)
	}
	if m.kept[it.id] == nil {
		return statusCmd(it.id+": the TPM is already in the scenario's state", false)
	}
	delete(m.kept, it.id)
	return statusCmd(it.id+": the next probe starts from the scenario's TPM state", false)
}

// keptState says whether the chosen scenario's next probe finds the TPM as earlier probes and
// actions left it.
func (m *probeModel) keptState() bool {
	it, ok := m.scenList.selected()
	return ok && m.kept[it.id] != nil
}

// matchingScenario names the built-in scenario that simulates a module on a board without
// faults and with a TPM engine, the reference bench first; "" when there is none.
func matchingScenario(list []*scenario.Scenario, module, board string) string {
	best := ""
	for _, s := range list {
		if s.Module != module || s.Board != board || len(s.Faults) > 0 || len(s.Wires) > 0 || s.Engine == "none" {
			continue
		}
		if s.Name == "default" {
			return s.Name
		}
		if best == "" {
			best = s.Name
		}
	}
	return best
}

// start launches a probe of what the setup names.
func (m *probeModel) start() tea.Cmd {
	r := probeRun{trace: m.trace, system: m.system, db: m.db}
	if m.hardware {
		if !m.hwChecked {
			return statusCmd("still checking whether the hardware window can be mapped", true)
		}
		if m.hwErr != nil {
			return statusCmd("hardware probe unavailable: "+m.hwErr.Error(), true)
		}
		r.title = "hardware window 0xFED40000 (--mmio)"
	} else {
		s, _, err := m.chosenScenario()
		if err != nil {
			return statusCmd(err.Error(), true)
		}
		r.scenario = s
		if it, ok := m.scenList.selected(); ok {
			r.key, r.kept = it.id, m.kept[it.id]
		}
		r.title = "simulated bench " + s.Name
		for j, f := range m.faults {
			if m.chosen[j] {
				r.faults = append(r.faults, f)
				r.title += " + " + f.String()
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.events = make(chan tea.Msg, 64)
	m.phase, m.runTitle, m.log, m.report, m.err, m.scroll = phaseRunning, r.title, nil, nil, nil, 0
	m.runKept = r.kept != nil
	m.progress = probeProgress{}
	events := m.events
	return func() tea.Msg {
		go r.run(ctx, cancel, events)
		return <-events
	}
}

// waitEvent waits for the running probe's next message.
func waitEvent(ch chan tea.Msg) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg { return <-ch }
}

// probeRun is one probe, run on its own goroutine; everything it learns comes back as messages
// on events, the last one a probeDoneMsg.
type probeRun struct {
	title    string
	scenario *scenario.Scenario // nil: the hardware window
	system   devmem.System      // where the hardware window is
	db       *boards.DB         // the connector database a scenario is built with; nil: built-in
	faults   []lpcsim.Fault
	trace    bool
	key      string        // the scenario's list item id
	kept     *sharedEngine // the TPM of the scenario's earlier probes; nil: the scenario's own
}

func (r probeRun) run(ctx context.Context, cancel context.CancelFunc, events chan<- tea.Msg) {
	defer cancel()
	done := probeDoneMsg{title: r.title, key: r.key}
	defer func() { events <- done }()

	var bus tis.Bus
	var bench *lpcsim.Bench
	var vcdPath string
	if r.scenario == nil {
		w, err := devmem.Open(r.system, false)
		if err != nil {
			done.err = err
			return
		}
		defer func() {
			if done.session == nil {
				_ = w.Close()
			}
		}()
		bus = w
	} else {
		s := *r.scenario
		s.Faults = append(slices.Clone(s.Faults), r.faults...)
		b, kept, err := buildKept(&s, scenario.Options{Boards: r.db}, r.kept)
		if err != nil {
			done.err = err
			return
		}
		bench, bus, done.kept = b, b.Host, kept
		f, err := os.CreateTemp("", "tpmbench-probe-*.vcd")
		if err != nil {
			done.traceErr = fmt.Errorf("no waveform of this run: %w", err)
		} else {
			vcdPath = f.Name()
			defer os.Remove(vcdPath)
			vcd := bench.AttachVCD(f)
			defer func() {
				bench.DetachVCD()
				err := vcd.Close()
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err == nil {
					done.trace, err = loadTrace(vcdPath, "probe of "+r.title)
				}
				done.traceErr = err
			}()
		}
	}

	start := time.Now()
	progress := func(n int) probeProgress {
		p := probeProgress{accesses: n, elapsed: time.Since(start)}
		if bench != nil {
			st := bench.Host.Stats()
			p.cycles, p.aborts, p.busPS = st.Cycles, st.Aborts, bench.Time()
		}
		return p
	}
	lines := &lineWriter{events: events}
	counted := &countingBus{Bus: bus, ctx: ctx, report: func(n int) {
		select { // progress may be dropped; the log may not
		case events <- probeProgressMsg{progress(n)}:
		default:
		}
	}}
	var probeBus tis.Bus = counted
	if r.trace {
		probeBus = tis.TraceBus{Bus: counted, W: lines}
	}
	conn, rep, err := tis.Probe(ctx, probeBus, tis.Options{Log: lines})
	if conn != nil {
		_ = conn.Release()
	}
	lines.flush()
	done.report, done.err, done.progress = rep, err, progress(counted.n)
	if err == nil {
		done.session = &benchSession{title: r.title, bench: bench, bus: bus, family: rep.Family}
		if bench == nil {
			done.session.close = bus.(*devmem.Window).Close
		}
	}
}

// countingBus counts register accesses, reports every 32nd, and stops the probe at the next
// access once the user cancels (the driver itself only looks at the context while it waits).
type countingBus struct {
	tis.Bus
	ctx    context.Context
	n      int
	report func(n int)
}

func (c *countingBus) tick() error {
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("probe cancelled from the UI: %w", err)
	}
	c.n++
	if c.n%32 == 0 {
		c.report(c.n)
	}
	return nil
}

// Read8 reads one byte register, or stops the probe once it is cancelled.
func (c *countingBus) Read8(off uint32) (uint8, error) {
	if err := c.tick(); err != nil {
		return 0xFF, err
	}
	return c.Bus.Read8(off)
}

// Write8 writes one byte register, or stops the probe once it is cancelled.
func (c *countingBus) Write8(off uint32, v uint8) error {
	if err := c.tick(); err != nil {
		return err
	}
	return c.Bus.Write8(off, v)
}

// Read32 reads one 32-bit register, or stops the probe once it is cancelled.
func (c *countingBus) Read32(off uint32) (uint32, error) {
	if err := c.tick(); err != nil {
		return 0xFFFFFFFF, err
	}
	return c.Bus.Read32(off)
}

// Write32 writes one 32-bit register, or stops the probe once it is cancelled.
func (c *countingBus) Write32(off uint32, v uint32) error {
	if err := c.tick(); err != nil {
		return err
	}
	return c.Bus.Write32(off, v)
}

// lineWriter turns what the probe writes into one message per line.
type lineWriter struct {
	events  chan<- tea.Msg
	pending []byte
}

// Write sends each complete line of p as a log message and keeps the rest for later.
func (w *lineWriter) Write(p []byte) (int, error) {
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.events <- probeLogMsg{line: string(w.pending[:i])}
		w.pending = w.pending[i+1:]
	}
}

func (w *lineWriter) flush() {
	if len(w.pending) > 0 {
		w.events <- probeLogMsg{line: string(w.pending)}
		w.pending = nil
	}
}

func (m *probeModel) view(width, height int) string {
	if m.loadErr != nil {
		return m.st.Error.Render("the built-in scenarios did not load: ") + m.loadErr.Error()
	}
	if m.phase == phaseSetup {
		return m.setupView(width, height)
	}
	return m.runView(width, height)
}

func (m *probeModel) sourceLine() string {
	sim, hw := "( ) simulator", "( ) hardware --mmio"
	if m.hardware {
		hw = "(•) hardware --mmio"
	} else {
		sim = "(•) simulator"
	}
	switch {
	case !m.hwChecked:
		hw = m.st.Dim.Render(hw + " (checking…)")
	case m.hwErr != nil:
		hw = m.st.Disabled.Render(hw + " — unavailable: " + hardwareBlocker(m.hwErr))
	}
	return m.st.Heading.Render("source ") + sim + "   " + hw
}

// hardwareBlocker names in a few words what keeps the hardware probe from running here; the
// setup view shows the whole explanation when the hardware source is chosen.
func hardwareBlocker(err error) string {
	switch {
	case errors.Is(err, devmem.ErrNoDevMem):
		return "no /dev/mem"
	case errors.Is(err, devmem.ErrNotRoot):
		return "not root"
	case errors.Is(err, devmem.ErrLockdown):
		return "kernel lockdown"
	case errors.Is(err, devmem.ErrDriverBound):
		return "a driver owns the TPM"
	}
	return "press m for why"
}

// hardwareAbout says what a hardware probe does to the machine: what it writes and what it
// never does.
const hardwareAbout = "Probes the TIS window at 0xFED40000 of this machine through /dev/mem. " +
	"It writes only what a probe needs: the locality request (and its release) in TPM_ACCESS, " +
	"INT_ENABLE cleared (polling, no interrupts), commandReady and tpmGo (responseRetry to reread " +
	"a response) in TPM_STS, the command bytes into the FIFO. " +
	"It sends TPM_Startup(ST_CLEAR) only when the TPM says it was not started, then the self-test " +
	"and read-only queries (capabilities, PCR 0, version, flags, NV index list). It never takes " +
	"ownership, enables, activates, clears or locks the TPM, and writes no NV."

func (m *probeModel) setupView(width, height int) string {
	top := m.sourceLine()
	if m.hardware {
		body := lipgloss.NewStyle().Width(width).Render(hardwareAbout)
		if m.hwErr != nil {
			body = m.st.Error.Render("cannot probe hardware here:") + "\n" +
				lipgloss.NewStyle().Width(width).Render(m.hwErr.Error()) + "\n\n" + m.st.Dim.Render(body)
		}
		return top + "\n\n" + body + "\n\n" + m.st.Dim.Render("press m to go back to the simulator")
	}
	descH := 4 // three lines for the description: a bench built for a picked pair needs them
	listH := max(height-descH-5, 1)
	colW := (width - 1) / 2
	faults := m.faultList
	for i, it := range faults.items {
		j, _ := strconv.Atoi(it.id)
		box := "[ ] "
		if m.chosen[j] {
			box = "[x] "
		}
		faults.items[i].label = box + m.faults[j].String()
	}
	heads := []string{"scenario", fmt.Sprintf("extra faults (%d chosen)", len(m.chosenFaults()))}
	lists := []string{m.scenList.view(m.st, colW, listH, m.focus == 0), faults.view(m.st, colW, listH, m.focus == 1)}
	cols := make([]string, 2)
	for i := range cols {
		hs := m.st.Heading
		if m.focus == i {
			hs = m.st.Focused
		}
		cols[i] = lipgloss.NewStyle().Width(colW).Render(hs.Render(heads[i]) + "\n" + lists[i])
	}
	panes := fit(lipgloss.JoinHorizontal(lipgloss.Top, cols[0], " ", cols[1]), width, listH+1)
	var desc string
	if m.focus == 1 {
		if j, ok := m.selectedFault(); ok {
			desc = m.faults[j].Describe()
		}
	} else {
		var err error
		if _, desc, err = m.chosenScenario(); err != nil && desc != "" {
			desc = m.st.Error.Render(desc)
		}
	}
	traceState := "off"
	if m.trace {
		traceState = "on"
	}
	tpmState := m.st.Dim.Render("TPM state: the scenario's; later probes keep what actions change (f resets)")
	if m.keptState() {
		tpmState = m.st.Warning.Render("TPM state: kept from earlier probes and actions") + m.st.Dim.Render(" (f: the scenario's)")
	}
	desc = fit(lipgloss.NewStyle().Width(width).Render(desc), width, descH-1) + "\n" +
		m.st.Dim.Render("register trace in the log: "+traceState+" (t)   r or enter runs the probe") + "\n" +
		tpmState
	return top + "\n\n" + panes + "\n" + desc
}

// selectedFault is the index in m.faults of the fault under the cursor.
func (m *probeModel) selectedFault() (int, bool) {
	it, ok := m.faultList.selected()
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(it.id)
	return i, err == nil && i >= 0 && i < len(m.faults)
}

func (m *probeModel) chosenFaults() []lpcsim.Fault {
	var fs []lpcsim.Fault
	for i, f := range m.faults {
		if m.chosen[i] {
			fs = append(fs, f)
		}
	}
	return fs
}

func (m *probeModel) runView(width, height int) string {
	p := m.progress
	counters := fmt.Sprintf("%d reg accesses", p.accesses)
	if p.busPS > 0 || p.cycles > 0 {
		counters += fmt.Sprintf(" · %d LPC cycles (%d aborted) · bus %v", p.cycles, p.aborts, time.Duration(p.busPS/1000))
	}
	var state string
	switch {
	case m.phase == phaseRunning:
		state = m.st.Warning.Render("running…") + " " + counters + fmt.Sprintf(" · %v", p.elapsed.Round(time.Millisecond))
	case m.err != nil:
		state = m.st.Error.Render("probe failed:") + " " + m.st.Dim.Render(counters)
	default:
		state = m.st.OK.Render("probe complete:") + " " + m.st.Dim.Render(counters)
	}
	head := m.st.Heading.Render(m.runTitle)
	if m.runKept {
		head += m.st.Dim.Render(" · TPM state kept (f resets)")
	}
	head += "\n" + state
	lines := []string{}
	if m.report != nil {
		lines = append(lines, m.summary(), "")
	}
	lines = append(lines, m.st.Heading.Render("log"))
	for _, l := range m.log {
		lines = append(lines, m.st.Dim.Render(l))
	}
	if m.report != nil {
		var b strings.Builder
		m.report.WriteText(&b)
		lines = append(lines, "", m.st.Heading.Render("report"))
		lines = append(lines, strings.Split(strings.TrimRight(b.String(), "\n"), "\n")...)
	}
	if m.err != nil {
		lines = append(lines, "", m.st.Error.Render("error: ")+m.err.Error())
	}
	bodyH := max(height-3, 1)
	text := strings.Split(lipgloss.NewStyle().Width(width).Render(strings.Join(lines, "\n")), "\n")
	if m.phase == phaseRunning {
		m.scroll = max(len(text)-bodyH, 0) // follow the log while it runs
	}
	m.scroll = min(m.scroll, max(len(text)-bodyH, 0))
	return head + "\n\n" + strings.Join(text[m.scroll:min(m.scroll+bodyH, len(text))], "\n")
}

// summary is the report's verdict on one line: what a person at the bench asks first.
func (m *probeModel) summary() string {
	r := m.report
	if !r.Answered {
		if r.DIDVID == nil {
			return m.st.Error.Render("no TPM answered") + " (DID_VID not read)"
		}
		return m.st.Error.Render("no TPM answered") + fmt.Sprintf(" (DID_VID %#08x)", uint32(*r.DIDVID))
	}
	yn := func(name string, v *bool, good bool) string {
		switch {
		case v == nil:
			return m.st.Dim.Render(name + " ?")
		case *v == good:
			return m.st.OK.Render(name + " " + yesNo(*v))
		default:
			return m.st.Warning.Render(name + " " + yesNo(*v))
		}
	}
	started := (*bool)(nil)
	if r.Startup != nil {
		started = &r.Startup.Started
	}
	parts := []string{
		m.st.Heading.Render(fmt.Sprintf("TPM %s %s %s", r.Family, r.Vendor, r.Device)),
		yn("started", started, true), yn("enabled", r.Enabled, true), yn("active", r.Active, true),
		yn("owned", r.Owned, true), yn("NV locked", r.NVLocked, true),
		fmt.Sprintf("NV indices %d", len(r.NVIndices)),
	}
	return strings.Join(parts, "  ")
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}
