package bringup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"tpmbench/tpm"
)

// ErrNeedsConfirmation: the plan has an irreversible step and the Runner was not given
// permission (Yes). Nothing was sent.
var ErrNeedsConfirmation = errors.New("irreversible step needs confirmation")

// Status is what became of one step.
type Status string

// Step outcomes.
const (
	// StatusDone: the TPM answered TPM_SUCCESS; the step took effect.
	StatusDone Status = "done"
	// StatusRefused: the TPM answered an error code; the step had no effect.
	StatusRefused Status = "refused"
	// StatusNoAnswer: the command was sent but no usable answer came back (the context
	// ended or the transfer failed); the TPM may or may not have executed it. Verify tells.
	StatusNoAnswer Status = "no_answer"
	// StatusNotSent: the run stopped before this step.
	StatusNotSent Status = "not_sent"
	// StatusDryRun: printed, not sent.
	StatusDryRun Status = "dry_run"
)

// StepResult is the outcome of one step.
type StepResult struct {
	Name         string `json:"name"`         // the step's command name, from Step
	Command      string `json:"command"`      // the request in hex, as sent
	Effect       string `json:"effect"`       // what the step changes, from Step
	Irreversible bool   `json:"irreversible"` // no command can undo the step
	Status       Status `json:"status"`       // what happened to it in the run
	// Response is the TPM's return code by name ("TPM_SUCCESS (0x0)"), "" without an answer.
	Response string `json:"response,omitempty"`
	// Verified says whether the flags read after the run show the step's effect; nil when
	// not checked (not sent, dry run, or an effect the flags do not show).
	Verified *bool `json:"verified"`
	check    func(State) bool
}

// TookEffect reports whether the step is known to have taken effect: the TPM said so, or
// the flags read afterwards show it.
func (r StepResult) TookEffect() bool {
	if r.Verified != nil {
		return *r.Verified && (r.Status == StatusDone || r.Status == StatusNoAnswer)
	}
	return r.Status == StatusDone
}

// Result is the outcome of a run: one entry per step of the plan, in order.
type Result struct {
	Steps []StepResult `json:"steps"` // one per step of the plan, in order
	// Err is what stopped the run: nil when every step was done (or printed, in a dry
	// run); otherwise ErrNeedsConfirmation, a TPM return code (tpm.RC), the context's
	// error or a transfer error, wrapped with the step it stopped at.
	Err error `json:"-"`
}

// Done reports whether every step took effect.
func (r Result) Done() bool {
	for _, s := range r.Steps {
		if !s.TookEffect() {
			return false
		}
	}
	return r.Err == nil
}

// Verify records, for each step that was sent, whether the state read after the run shows
// its effect. A step the TPM refused keeps its status; a step sent without an answer is
// resolved by what the flags show.
func (r *Result) Verify(s State) {
	for i := range r.Steps {
		st := &r.Steps[i]
		if st.check == nil || (st.Status != StatusDone && st.Status != StatusNoAnswer) {
			continue
		}
		ok := st.check(s)
		st.Verified = &ok
	}
}

// Runner sends the steps of a plan to a TPM.
type Runner struct {
	// TPM is where the commands go.
	TPM Sender
	// Log receives, as the run goes, each command before it is sent and the TPM's answer.
	Log io.Writer
	// DryRun prints the commands without sending them.
	DryRun bool
	// Yes permits irreversible steps.
	Yes bool
}

// Run sends the plan's steps in order. It prints each command to Log before sending it,
// stops at the first step the TPM refuses or that gets no answer, and stops before the
// next step when ctx ends. Without Yes, a plan with an irreversible step sends nothing.
func (r *Runner) Run(ctx context.Context, p Plan) Result {
	res := Result{Steps: make([]StepResult, len(p.Steps))}
	for i, s := range p.Steps {
		res.Steps[i] = StepResult{Name: s.Name, Command: hexBytes(s.Command), Effect: s.Effect,
			Irreversible: s.Irreversible, Status: StatusNotSent, check: s.Check}
	}
	log := r.Log
	if log == nil {
		log = io.Discard
	}
	if r.DryRun {
		for i, s := range p.Steps {
			fmt.Fprintf(log, "would send %d/%d %s: %s\n", i+1, len(p.Steps), s.Name, hexBytes(s.Command))
			res.Steps[i].Status = StatusDryRun
		}
		return res
	}
	if p.Irreversible() && !r.Yes {
		res.Err = fmt.Errorf("bringup: the plan has an irreversible step and was not confirmed: %w", ErrNeedsConfirmation)
		return res
	}
	for i, s := range p.Steps {
		at := fmt.Sprintf("step %d/%d %s", i+1, len(p.Steps), s.Name)
		if err := ctx.Err(); err != nil {
			res.Err = fmt.Errorf("bringup: stopped before %s: %w", at, err)
			return res
		}
		fmt.Fprintf(log, "send %d/%d %s: %s\n", i+1, len(p.Steps), s.Name, hexBytes(s.Command))
		b, err := r.TPM.SendContext(ctx, s.Command)
		if err != nil {
			res.Steps[i].Status = StatusNoAnswer
			fmt.Fprintf(log, "  no answer: %v\n", err)
			res.Err = fmt.Errorf("bringup: %s: sent, no answer: %w", at, err)
			return res
		}
		rsp, err := tpm.ParseResponse(b)
		if err != nil {
			res.Steps[i].Status = StatusNoAnswer
			fmt.Fprintf(log, "  unreadable answer % X: %v\n", b, err)
			res.Err = fmt.Errorf("bringup: %s: unreadable answer: %w", at, err)
			return res
		}
		res.Steps[i].Response = tpm.DescribeResponse(b)
		fmt.Fprintf(log, "  answer %s\n", res.Steps[i].Response)
		if err := rsp.Err(); err != nil {
			res.Steps[i].Status = StatusRefused
			res.Err = fmt.Errorf("bringup: %s: the TPM refused it: %w", at, err)
			return res
		}
		res.Steps[i].Status = StatusDone
	}
	return res
}

func hexBytes(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02X", c)
	}
	return sb.String()
}
