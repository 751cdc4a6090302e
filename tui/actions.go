package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"tpmbench/bringup"
	"tpmbench/lpcsim"
	"tpmbench/tis"
)

// The Actions screen: the bring-up steps past the probe, on the bench of the last successful
// probe. For a TPM 1.2: enable and activate through software physical presence, the NV lock
// (irreversible, so it asks first), and on a simulated bench the reset that makes activation
// take effect. For a TPM 2.0: the write-lock state of the NV indices a measured launch reads.
// Every exchange with the TPM runs in a command, one at a time.

// benchSession is a bench a probe succeeded on, kept for the actions.
type benchSession struct {
	title  string
	bench  *lpcsim.Bench // nil on hardware
	bus    tis.Bus
	family string
	close  func() error // releases a hardware window; nil on the simulator
}

// sessionOpenedMsg: the Actions screen probed the bench quietly and read the TPM's state.
type sessionOpenedMsg struct {
	sess   *benchSession
	conn   *tis.Conn
	report *tis.Report
	state  *bringup.State
	nv2    []bringup.NVIndexState2
	log    []string
	err    error
}

// actionDoneMsg: a plan ran.
type actionDoneMsg struct {
	title  string
	result bringup.Result
	plan   bringup.Plan
	state  *bringup.State
	log    []string
	err    error // the flags could not be read back
}

// action is one entry of the list.
type action int

const (
	actEnable action = iota
	actNVLock
	actReset
)

type actionsModel struct {
	km KeyMap
	st *Styles

	sess       *benchSession
	conn       *tis.Conn
	report     *tis.Report
	state      *bringup.State
	nv2        []bringup.NVIndexState2
	openErr    error
	busy       string // what is running; "" when idle
	cursor     int
	confirming bool // the irreversible step waits for y

	last   *actionDoneMsg
	log    []string
	scroll int
}

func newActionsModel(keys KeyMap, st *Styles) *actionsModel {
	return &actionsModel{km: keys, st: st}
}

func (m *actionsModel) id() screenID  { return screenActions }
func (m *actionsModel) title() string { return "Actions" }
func (m *actionsModel) typing() bool  { return m.confirming }

func (m *actionsModel) keys() []key.Binding {
	if m.confirming {
		return []key.Binding{m.km.Confirm, m.km.Back}
	}
	return []key.Binding{m.km.Move, m.km.Select}
}

// actionsList is what the list offers for the current session.
func (m *actionsModel) actionsList() []action {
	if m.sess == nil || m.state == nil {
		return nil
	}
	as := []action{actEnable, actNVLock}
	if m.sess.bench != nil {
		as = append(as, actReset)
	}
	return as
}

func (m *actionsModel) update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case probeDoneMsg:
		if msg.session == nil {
			return m, nil
		}
		old := m.sess
		*m = actionsModel{km: m.km, st: m.st, sess: msg.session, busy: "reading the TPM's flags"}
		return m, tea.Batch(closeSession(old), openSession(msg.session, false))
	case sessionOpenedMsg:
		if msg.sess != m.sess {
			return m, nil // from a bench that has been replaced
		}
		m.busy = ""
		m.conn, m.report, m.state, m.nv2, m.openErr = msg.conn, msg.report, msg.state, msg.nv2, msg.err
		m.log = append(m.log, msg.log...)
	case actionDoneMsg:
		m.busy = ""
		m.last = &msg
		m.log = append(m.log, msg.log...)
		if msg.state != nil {
			m.state = msg.state
		}
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *actionsModel) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.confirming {
		m.confirming = false
		if key.Matches(msg, m.km.Confirm) {
			return m.run(actNVLock, true)
		}
		return statusCmd("NV lock cancelled: nothing was sent", false)
	}
	as := m.actionsList()
	switch {
	case key.Matches(msg, m.km.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, m.km.Down):
		m.cursor = min(m.cursor+1, max(len(as)-1, 0))
	case key.Matches(msg, m.km.PageDown):
		m.scroll += 5
	case key.Matches(msg, m.km.PageUp):
		m.scroll = max(m.scroll-5, 0)
	case key.Matches(msg, m.km.Select) && m.cursor < len(as):
		if m.busy != "" {
			return statusCmd("wait: "+m.busy, true)
		}
		a := as[m.cursor]
		if a == actNVLock && len(bringup.NVLockPlan(*m.state).Steps) > 0 {
			m.confirming = true
			return nil
		}
		return m.run(a, false)
	}
	return nil
}

// run starts an action in a command.
func (m *actionsModel) run(a action, yes bool) tea.Cmd {
	switch a {
	case actReset:
		m.busy = "resetting the bench and probing again"
		return openSession(m.sess, true)
	case actEnable:
		plan, err := bringup.EnablePlan(*m.state)
		if err != nil {
			return statusCmd(err.Error(), true)
		}
		if len(plan.Steps) == 0 {
			return statusCmd("nothing to send: "+strings.Join(append([]string{"the TPM is enabled"}, plan.Notes...), "; "), false)
		}
		m.busy = "enabling"
		return runPlan(m.conn, plan, "enable and activate", false)
	default:
		plan := bringup.NVLockPlan(*m.state)
		if len(plan.Steps) == 0 {
			return statusCmd("nothing to send: nvLocked is already TRUE", false)
		}
		m.busy = "locking NV"
		return runPlan(m.conn, plan, "NV lock", yes)
	}
}

// openSession probes the session's bench quietly (after asserting LRESET# when reset is set)
// and reads what the actions decide on.
func openSession(s *benchSession, reset bool) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		var log bytes.Buffer
		if reset {
			s.bench.Reset()
			log.WriteString("LRESET# asserted: TPM_Init\n")
		}
		conn, rep, err := tis.Probe(ctx, s.bus, tis.Options{Log: &log})
		msg := sessionOpenedMsg{sess: s, conn: conn, report: rep, err: err}
		if err == nil {
			switch conn.Family() {
			case tis.Family12:
				st, serr := bringup.ReadState(ctx, conn)
				msg.state, msg.err = &st, serr
			case tis.Family20:
				msg.nv2, msg.err = bringup.ReadNV2(ctx, conn, bringup.TXTIndices2)
			}
		}
		msg.log = splitLines(log.String())
		return msg
	}
}

func closeSession(s *benchSession) tea.Cmd {
	if s == nil || s.close == nil {
		return nil
	}
	return func() tea.Msg {
		if err := s.close(); err != nil {
			return statusMsg{text: "closing the hardware window: " + err.Error(), err: true}
		}
		return nil
	}
}

// runPlan sends a plan's steps, then reads the flags back to verify them.
func runPlan(conn *tis.Conn, plan bringup.Plan, title string, yes bool) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		var log bytes.Buffer
		res := (&bringup.Runner{TPM: conn, Log: &log, Yes: yes}).Run(ctx, plan)
		msg := actionDoneMsg{title: title, plan: plan, result: res}
		st, err := bringup.ReadState(ctx, conn)
		if err == nil {
			res.Verify(st)
			msg.result, msg.state = res, &st
		}
		msg.err = err
		msg.log = splitLines(log.String())
		return msg
	}
}

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func (m *actionsModel) view(width, height int) string {
	switch {
	case m.sess == nil:
		return m.st.Dim.Render("run a successful probe on the Probe screen first: the actions work on that bench")
	case m.busy != "" && m.state == nil && m.nv2 == nil:
		return m.st.Dim.Render(m.busy + "…")
	case m.openErr != nil:
		return m.st.Error.Render("the TPM could not be read: ") + m.openErr.Error()
	}
	var lines []string
	r := m.report
	lines = append(lines, m.st.Heading.Render(fmt.Sprintf("TPM %s %s %s", r.Family, r.Vendor, r.Device))+m.st.Dim.Render(" on "+m.sess.title))
	if m.state == nil {
		lines = append(lines, m.tpm20View(width)...)
		return strings.Join(lines, "\n")
	}
	lines = append(lines, m.stateLine(), "")
	if m.confirming {
		return lipgloss.NewStyle().Width(width).Render(strings.Join(lines, "\n")) + "\n" + m.confirmBox(width)
	}
	for i, a := range m.actionsList() {
		text := m.actionLine(a)
		if i == m.cursor {
			lines = append(lines, m.st.Selected.Render("› "+text))
		} else {
			lines = append(lines, "  "+text)
		}
	}
	lines = append(lines, "")
	if m.busy != "" {
		lines = append(lines, m.st.Warning.Render(m.busy+"…"))
	} else if as := m.actionsList(); m.cursor < len(as) {
		lines = append(lines, m.details(as[m.cursor])...)
	}
	if m.last != nil {
		lines = append(lines, "", m.st.Heading.Render("last run: "+m.last.title))
		lines = append(lines, m.resultLines()...)
	}
	if len(m.log) > 0 {
		lines = append(lines, "", m.st.Heading.Render("sent"))
		for _, l := range m.log {
			lines = append(lines, m.st.Dim.Render(l))
		}
	}
	text := strings.Split(lipgloss.NewStyle().Width(width).Render(strings.Join(lines, "\n")), "\n")
	m.scroll = min(m.scroll, max(len(text)-height, 0))
	return strings.Join(text[m.scroll:], "\n")
}

func (m *actionsModel) stateLine() string {
	s := *m.state
	p := s.Permanent
	flag := func(name string, v, good bool) string {
		st := m.st.OK
		if v != good {
			st = m.st.Warning
		}
		return st.Render(name + " " + yesNo(v))
	}
	owned := m.st.Dim.Render("owned ?")
	if o := m.report.Owned; o != nil {
		owned = flag("owned", *o, true)
	}
	return strings.Join([]string{
		flag("enabled", s.Enabled(), true), flag("active", s.Active(), true), owned,
		flag("NV locked", p.NVLocked, true),
		m.st.Dim.Render(fmt.Sprintf("cmd presence %s, lifetime lock %s", yesNo(p.PhysicalPresenceCMDEnable), yesNo(p.PhysicalPresenceLifetimeLock))),
	}, "  ")
}

func (m *actionsModel) actionLine(a action) string {
	switch a {
	case actEnable:
		plan, err := bringup.EnablePlan(*m.state)
		switch {
		case err != nil:
			return "Enable and activate        " + m.st.Error.Render("not possible from software")
		case len(plan.Steps) == 0:
			return "Enable and activate        " + m.st.Dim.Render("nothing to send")
		}
		return fmt.Sprintf("Enable and activate        %d steps, reversible", len(plan.Steps))
	case actNVLock:
		if len(bringup.NVLockPlan(*m.state).Steps) == 0 {
			return "Lock NV (nvLocked)         " + m.st.Dim.Render("already locked")
		}
		return "Lock NV (nvLocked)         1 step, " + m.st.Error.Render("IRREVERSIBLE")
	}
	return "Reset the bench (LRESET#) and probe again"
}

// details lists what the selected action would send, or why it cannot.
func (m *actionsModel) details(a action) []string {
	var plan bringup.Plan
	switch a {
	case actEnable:
		p, err := bringup.EnablePlan(*m.state)
		if err != nil {
			lines := []string{m.st.Error.Render(err.Error())}
			if errors.Is(err, bringup.ErrLifetimeLocked) {
				lines = append(lines, "Only the firmware can assert physical presence on this TPM: use the BIOS's TPM menu, or the TPM's physical presence pin if the board has one.")
			}
			return lines
		}
		plan = p
	case actNVLock:
		plan = bringup.NVLockPlan(*m.state)
		if len(plan.Steps) > 0 {
			plan.Notes = append([]string{"While nvLocked is FALSE anyone can write the TPM's NV without authorization (and wear it out), and an Intel TXT launch refuses to start."}, plan.Notes...)
		}
	default:
		return []string{"Asserts LRESET# (TPM_Init) on the simulated bench, then probes again, which sends TPM_Startup(ST_CLEAR): activation takes effect then. On hardware, reboot the board instead."}
	}
	var lines []string
	for i, s := range plan.Steps {
		lines = append(lines, fmt.Sprintf("%d. %s: %s", i+1, s.Name, s.Effect))
	}
	for _, n := range plan.Notes {
		lines = append(lines, m.st.Dim.Render(n))
	}
	if plan.ResetNeeded {
		lines = append(lines, m.st.Dim.Render("then a reset (TPM_Init) is needed before the TPM is active"))
	}
	return lines
}

func (m *actionsModel) confirmBox(width int) string {
	plan := bringup.NVLockPlan(*m.state)
	var b strings.Builder
	b.WriteString(m.st.Error.Render("This cannot be undone.") + "\n")
	for _, s := range plan.Steps {
		fmt.Fprintf(&b, "Send %s: %s.\n", s.Name, s.Effect)
	}
	b.WriteString("Nothing clears nvLocked afterwards; from then on NV areas need authorization.\n\n")
	b.WriteString(m.st.Heading.Render("Press y to send it, any other key to cancel."))
	return lipgloss.NewStyle().Border(lipgloss.NormalBorder()).Padding(0, 1).Width(min(width, 78)).Render(b.String())
}

func (m *actionsModel) resultLines() []string {
	var lines []string
	for _, s := range m.last.result.Steps {
		st := m.st.OK
		if !s.TookEffect() {
			st = m.st.Warning
		}
		v := ""
		if s.Verified != nil {
			v = ", flags confirm: " + yesNo(*s.Verified)
		}
		lines = append(lines, st.Render(fmt.Sprintf("%-10s", s.Status))+fmt.Sprintf(" %s %s%s", s.Name, s.Response, v))
	}
	if err := m.last.result.Err; err != nil {
		lines = append(lines, m.st.Error.Render("stopped: ")+err.Error())
	}
	if m.last.err != nil {
		lines = append(lines, m.st.Error.Render("the flags could not be read back: ")+m.last.err.Error())
	} else if m.last.plan.ResetNeeded && !m.state.Active() {
		hint := "reboot or power-cycle the board, then probe again"
		if m.sess.bench != nil {
			hint = "choose \"Reset the bench\" to assert LRESET# and probe again"
		}
		lines = append(lines, m.st.Warning.Render("a reset is needed before the TPM is active: ")+hint)
	}
	return lines
}

// tpm20View reports the NV indices of a TPM 2.0 and why there is nothing to enable.
func (m *actionsModel) tpm20View(width int) []string {
	lines := []string{"",
		lipgloss.NewStyle().Width(width).Render("A TPM 2.0 has no enable/activate commands and no global NV lock: its hierarchies are enabled by the platform firmware at every boot. What matters for a measured launch is whether the NV indices it reads are defined and write-locked:"),
		""}
	for _, n := range m.nv2 {
		state := m.st.Dim.Render("not defined")
		if n.Defined {
			state = fmt.Sprintf("defined, write-locked %s, attributes %s", yesNo(n.WriteLocked), n.Attributes)
		}
		if n.Result != "" {
			state += " (" + n.Result + ")"
		}
		lines = append(lines, fmt.Sprintf("%s %-4s %s", n.Index, n.Name, state))
	}
	return lines
}
