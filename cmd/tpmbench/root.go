package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes, the same for every subcommand.
const (
	exitOK    = 0 // success: the wiring is fine, the TPM answered and the probe completed
	exitBench = 1 // the bench is not right: checks failed, no TPM, a TPM error
	exitUsage = 2 // usage or input error
	// exitInterrupted: Ctrl-C (SIGINT) ended the command, 128 + SIGINT as shells report it.
	exitInterrupted = 130
)

// env is what every subcommand gets: where to write, and the root's persistent flags.
type env struct {
	ctx       context.Context
	stdout    io.Writer
	stderr    io.Writer
	boardsDir string // --boards: extra connector and board files
}

// subcommands holds one constructor per subcommand file; each file registers its own in init so
// that adding a subcommand touches one file only.
var subcommands []func(*env) *cobra.Command

func register(newCmd func(*env) *cobra.Command) { subcommands = append(subcommands, newCmd) }

// defaultAction runs for a bare "tpmbench" (the TUI sets it); nil means print help.
var defaultAction func(*env) error

// run builds a fresh command tree, so tests can call it many times, and executes args.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	_, err := root.ExecuteContextC(ctx)
	if err != nil && (ctx.Err() != nil || errors.Is(err, context.Canceled)) {
		return interruptedError(err)
	}
	if err != nil && !isExitError(err) {
		// cobra's own errors are flag and argument mistakes: usage errors.
		err = &exitError{code: exitUsage, err: err}
	}
	return err
}

// interruptedError is the exit error of a command that Ctrl-C ended: exit 130, and the message
// says which step was in progress when the command's error names it.
func interruptedError(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.code == exitInterrupted {
			return err
		}
		err = ee.err
	}
	if err == nil || errors.Is(err, context.Canceled) && err.Error() == context.Canceled.Error() {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}
	return &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: %w", err)}
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "tpmbench",
		Short: "Bring up a TPM on an LPC bus: wiring, probe, bring-up, simulator, capture decoder",
		Long: `tpmbench helps you wire a TPM module to a board's LPC header, probe it without BIOS
support or a kernel driver, take it through enable/activate and the NV lock, and test all of it
on a simulated LPC bus with fault injection. It also decodes logic-analyser captures of LPC.

Exit codes: 0 success, 1 the bench is not right (checks failed, no TPM, TPM error),
2 usage or input error, 130 interrupted (Ctrl-C).`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if defaultAction != nil {
				return defaultAction(e)
			}
			return cmd.Help()
		},
	}
	root.PersistentFlags().StringVar(&e.boardsDir, "boards", "", "directory of extra connector and board YAML files")
	for _, newCmd := range subcommands {
		root.AddCommand(newCmd(e))
	}
	return root
}

// exitError carries the process exit code for an error.
type exitError struct {
	code  int
	err   error
	quiet bool // the command already printed everything the user needs
}

// Error is the message printed after "tpmbench: ", each package prefix said once (cliMessage).
func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return cliMessage(e.err.Error())
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports a usage or input error (exit 2).
func usageErrorf(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// benchErrorf reports that the bench is not right (exit 1).
func benchErrorf(format string, a ...any) error {
	return &exitError{code: exitBench, err: fmt.Errorf(format, a...)}
}

// benchFailed reports exit 1 after the command has printed its own findings.
func benchFailed() error { return &exitError{code: exitBench, quiet: true} }

func isExitError(err error) bool {
	var ee *exitError
	return errors.As(err, &ee)
}

func isQuiet(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.quiet
}

// exitCode maps an error from run to the process exit status.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitBench
}
