// Command tpmbench is a bench tool for bringing up a TPM on a board's LPC bus: pinout database and
// wiring tables, a forced TIS probe, bring-up actions, an LPC bus simulator and a capture decoder.
//
// Run "tpmbench --help" for the subcommands. main only wires the process to run, so that every
// subcommand can be tested with buffers in place of the terminal.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !isQuiet(err) {
		fmt.Fprintf(os.Stderr, "tpmbench: %v\n", err)
	}
	os.Exit(exitCode(err))
}
