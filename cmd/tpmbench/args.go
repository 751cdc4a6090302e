package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// argError is a usage error about a command's positional arguments: what is wrong, then the
// command's usage line.
func argError(cmd *cobra.Command, format string, a ...any) error {
	return usageErrorf("%s\nusage: %s\n(%q shows more)", fmt.Sprintf(format, a...), cmd.UseLine(), cmd.CommandPath()+" --help")
}

// commandName is the command as typed after "tpmbench": "nv list".
func commandName(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// needOne accepts exactly one positional argument; need says what it is, as in "decode needs
// a CAPTURE file (.sr or .vcd)".
func needOne(need string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return argError(cmd, "%s", need)
		case len(args) > 1:
			return argError(cmd, "%s takes one argument, got %d: %q", commandName(cmd), len(args), args)
		}
		return nil
	}
}

// noArgs refuses positional arguments, naming the command.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return argError(cmd, "%s takes no arguments (got %q)", commandName(cmd), args)
	}
	return nil
}

// scenarioArg accepts at most one positional argument: the simulated bench to use.
func scenarioArg(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return argError(cmd, "%s takes at most one SCENARIO (a built-in name, see \"tpmbench sim --list\", or a scenario file), got %q", commandName(cmd), args)
	}
	return nil
}

// needSubcommand is the body of a command that only groups subcommands: without one it
// prints its help on stderr and exits 2.
func needSubcommand(cmd *cobra.Command, _ []string) error {
	cmd.SetOut(cmd.ErrOrStderr())
	if err := cmd.Help(); err != nil {
		return err
	}
	return usageErrorf("%s needs a subcommand: %s", cmd.CommandPath(), subcommandNames(cmd))
}

// subcommandNames lists a command's subcommands: "list, lock".
func subcommandNames(cmd *cobra.Command) string {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return strings.Join(names, ", ")
}
