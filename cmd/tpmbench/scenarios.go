package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/scenario"
)

// faultForms are the fault specifications --fault accepts, for help and error texts.
const faultForms = `"open LINE", "stuck-low LINE", "stuck-high LINE", "swap LINE LINE", "bridge LINE LINE", ` +
	`"flip LINE RATE [seed=N]", "missing-lclk", "missing-3v3", "missing-gnd", "lreset-held" ` +
	`(LINE: LCLK, LFRAME#, LRESET#, LAD0-LAD3, SERIRQ, +3V3, GND)`

// addFaultFlag adds the repeatable --fault flag of the commands that build a simulated bench.
func addFaultFlag(fs *pflag.FlagSet, specs *[]string) {
	fs.StringArrayVar(specs, "fault", nil,
		"inject a fault into the simulated bench, on top of the scenario's own: \"open LAD2\", \"stuck-low LFRAME#\", "+
			"\"swap LAD0 LAD1\", \"flip LAD3 0.01 seed=7\", \"missing-gnd\"... (repeatable; `SPEC`)")
}

// parseFaults reads the --fault specifications.
func parseFaults(specs []string) ([]lpcsim.Fault, error) {
	var out []lpcsim.Fault
	for _, spec := range specs {
		f, err := lpcsim.ParseFault(spec)
		if err != nil {
			return nil, usageErrorf("--fault %q: %s; accepted forms: %s", spec, trimPrefix(err, lpcsim.ErrBadFault), faultForms)
		}
		out = append(out, f)
	}
	return out, nil
}

// loadScenario returns a built-in scenario (by name or alias) or reads a scenario file (a name
// ending in .yaml or .yml, or a path), with extra faults added to the scenario's own. A note on
// notes names each fault of the bench that changes nothing (noOpFault).
func loadScenario(name string, faults []lpcsim.Fault, notes io.Writer) (*scenario.Scenario, error) {
	var s *scenario.Scenario
	var err error
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.ContainsRune(name, os.PathSeparator) {
		var data []byte
		if data, err = os.ReadFile(name); err != nil {
			return nil, usageErrorf("scenario: %v", err)
		}
		s, err = scenario.Parse(name, data)
	} else {
		s, err = scenario.Load(name)
	}
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	s.Faults = append(slices.Clip(s.Faults), faults...)
	noteNoOpFaults(notes, s.Faults)
	return s, nil
}

// buildError classifies an error of scenario.Build: a scenario that cannot be built as
// written is a usage error, anything else (an engine that does not start) a bench error.
func buildError(err error) error {
	if errors.Is(err, scenario.ErrInvalid) {
		return usageErrorf("%v", err)
	}
	return benchErrorf("%v", err)
}

// listScenarios prints the built-in scenarios, one a line: name and description. It is what
// "sim --list" and "probe --list" print.
func listScenarios(w io.Writer) error {
	all, err := scenario.Builtin()
	if err != nil {
		return benchErrorf("%v", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range all {
		fmt.Fprintf(tw, "%s\t%s\n", s.Name, s.Description)
	}
	if err := tw.Flush(); err != nil {
		return benchErrorf("writing the scenario list: %v", err)
	}
	return nil
}

// trimPrefix returns err's message without the text of the sentinel it wraps when the message
// starts with it: the sentinel's package prefix is said once by the caller's context.
func trimPrefix(err, sentinel error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, sentinel.Error()+": "); ok {
		return rest
	}
	return msg
}
