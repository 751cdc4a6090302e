package tui

import (
	"errors"
	"fmt"
	"strings"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/scenario"
	"tpmbench/pinmap"
)

// pairBench is the simulated bench of the module and board picked on the Boards screen, for a
// pair no built-in scenario simulates: the reference bench's scenario with the pair's board
// and module, so the simulator wires them with the wiring generated for the pair.
type pairBench struct {
	id   string             // list id and run title: "module + board"
	scen *scenario.Scenario // nil when the pair cannot be simulated
	desc string             // what the bench is, or why it cannot be simulated
	why  error              // non-nil when the pair cannot be simulated
}

// The simulator's TPM 2.0 part: the personality and engine of the built-in TPM 2.0 bench.
const (
	tpm20Personality = "slb9665"
	tpm20Engine      = "tpm20"
)

// newPairBench derives the bench of setup from base, the default scenario. The TPM keeps
// base's personality and engine (the reference SLB9635, TPM 1.2) unless the module's chip is a
// TPM 2.0 part; the host bridge follows the board's family when the simulator has a profile for
// it, and stays base's otherwise.
func newPairBench(base *scenario.Scenario, setup pinmap.Setup) pairBench {
	pb := pairBench{id: setup.Module.ID + " + " + setup.Target()}
	wires, err := pairWiring(setup)
	if err != nil {
		pb.why = err
		pb.desc = "cannot simulate " + pb.id + ": " + err.Error()
		return pb
	}
	s := *base
	s.Name, s.Aliases, s.File, s.Line = pb.id, nil, pb.id, nil
	s.Board, s.Module = setup.Target(), setup.Module.ID
	s.Wires, s.WiringFile, s.Faults = nil, "", nil
	tpmText := fmt.Sprintf("%s/%s TPM as the reference bench", s.Personality, s.Engine)
	switch chip := setup.Module.Chip; {
	case strings.Contains(chip, "TPM 2.0"):
		s.Personality, s.Engine = tpm20Personality, tpm20Engine
		tpmText = fmt.Sprintf("%s/%s TPM 2.0 like the module's chip", s.Personality, s.Engine)
	case chip == "":
		tpmText += " (module chip not recorded)"
	}
	host := fmt.Sprintf("%s host bridge", s.Host)
	if setup.Board != nil {
		if prof, err := lpcsim.LookupProfile(setup.Board.Family); err == nil {
			s.Host = prof.Name
			host = fmt.Sprintf("%s host bridge", s.Host)
			if prof.Hypothesis {
				host += " (an unconfirmed hypothesis)"
			}
		} else {
			host += " (the simulator has no profile for the " + setup.Board.Family + " family)"
		}
	}
	pb.scen = &s
	pb.desc = fmt.Sprintf("%s from Boards: generated wiring (%d wires), %s, %s state, %s",
		pb.id, wires, tpmText, s.State, host)
	s.Description = pb.desc
	return pb
}

// pairWiring returns how many wires the generated wiring of setup gives the simulator, or why
// the simulator cannot run the pair: it models the LPC bus only, and needs a wiring that the
// checks find no error in.
func pairWiring(setup pinmap.Setup) (int, error) {
	if setup.Module.Bus != "lpc" {
		return 0, fmt.Errorf("the module is on the %s bus and the simulator models LPC only", strings.ToUpper(setup.Module.Bus))
	}
	if setup.Header.Bus != "lpc" {
		return 0, fmt.Errorf("header %s is on the %s bus and the simulator models LPC only", setup.Header.ID, strings.ToUpper(setup.Header.Bus))
	}
	w := pinmap.Generate(setup)
	for _, f := range pinmap.Check(setup, w) {
		if f.Severity == pinmap.Error {
			return 0, fmt.Errorf("the generated wiring has an error: %s", f.Message)
		}
	}
	n := len(scenario.Wires(w))
	if n == 0 {
		return 0, errors.New("no wire can be generated between the module and the header")
	}
	return n, nil
}
