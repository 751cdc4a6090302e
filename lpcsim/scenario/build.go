package scenario

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"tpmbench/boards"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/tisdev"
	"tpmbench/pinmap"
)

// Options adjust how a scenario is built.
type Options struct {
	// Boards is the connector database (nil: the built-in one).
	Boards *boards.DB
	// Engine, when set, replaces the scenario's engine.
	Engine lpcsim.Engine
	// Context bounds starting an engine process (swtpm); nil means no bound.
	Context context.Context
}

// Build builds the scenario's bench with the built-in connector database.
func Build(s *Scenario) (*lpcsim.Bench, error) { return BuildWith(s, Options{}) }

// BuildWith builds the scenario's bench: it resolves board and module,
// takes the wiring (generated, or the scenario's pin list mapped to the
// signals of those pins), applies the faults, creates the personality and
// the engine, and powers the bench on.
func BuildWith(s *Scenario, o Options) (*lpcsim.Bench, error) {
	db := o.Boards
	if db == nil {
		var err error
		if db, err = boards.Open(""); err != nil {
			return nil, fmt.Errorf("scenario: %w", err)
		}
	}
	wiring, err := s.wiring(db)
	if err != nil {
		return nil, err
	}
	prof, err := lpcsim.LookupProfile(s.Host)
	if err != nil {
		return nil, s.errAt("host", err.Error())
	}
	pers, err := tisdev.PersonalityByName(s.Personality)
	if err != nil {
		return nil, s.errAt("personality", err.Error())
	}
	eng, ours := o.Engine, o.Engine == nil
	if ours {
		ctx := o.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if eng, err = newEngine(ctx, s, pers.Family); err != nil {
			return nil, err
		}
	}
	dev := tisdev.New(pers, eng)
	b, err := lpcsim.New(lpcsim.Config{
		Profile: prof,
		Wires:   Wires(wiring),
		Faults:  s.Faults,
		TPM:     dev,
		Engine:  eng,
		SerIRQ:  s.SerIRQ,
	})
	if err != nil {
		if c, ok := eng.(io.Closer); ok && ours {
			c.Close() //nolint:errcheck // the build error is the one to report
		}
		return nil, s.errAt("faults", err.Error())
	}
	return b, nil
}

// wiring returns the scenario's wiring: from its wiring file, its pin list,
// or generated for its board and module.
func (s *Scenario) wiring(db *boards.DB) (pinmap.Wiring, error) {
	if s.WiringFile != "" {
		path := s.WiringFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(s.File), path)
		}
		setup, w, err := pinmap.ReadWiring(db, path)
		if err != nil {
			return w, s.errAt("wiring", err.Error())
		}
		if s.Module != "" && s.Module != setup.Module.ID {
			return w, s.errAt("module", fmt.Sprintf("module %s, but the wiring file %s wires %s", s.Module, s.WiringFile, setup.Module.ID))
		}
		if s.Board != "" && s.Board != setup.Target() && s.Board != setup.Header.ID {
			return w, s.errAt("board", fmt.Sprintf("board %s, but the wiring file %s wires %s", s.Board, s.WiringFile, setup.Target()))
		}
		s.Module, s.Board = setup.Module.ID, setup.Target()
		return w, nil
	}
	setup, err := pinmap.Resolve(db, s.Module, s.Board)
	if err != nil {
		return pinmap.Wiring{}, s.errAt("board", err.Error())
	}
	if len(s.Wires) > 0 {
		return s.pinWiring(setup)
	}
	return pinmap.Generate(setup), nil
}

// errAt makes an error at the line of a top-level key.
func (s *Scenario) errAt(key, msg string) error {
	return &Error{File: s.File, Line: s.Line[key], Msg: msg}
}

// Wires turns a pinmap wiring into the simulator's wires: each wire joins
// the board pin's signal to the module pin's signal. Pins the simulator does
// not model (CLK48, KEY, NC, OTHER) carry nothing.
func Wires(w pinmap.Wiring) []lpcsim.Wire {
	out := make([]lpcsim.Wire, 0, len(w.Wires))
	for _, x := range w.Wires {
		b, okB := lpcsim.ParseSignal(x.BoardSignal)
		m, okM := lpcsim.ParseSignal(x.Signal)
		if okB && okM {
			out = append(out, lpcsim.Wire{Board: b, Module: m})
		}
	}
	return out
}

// pinWiring maps the scenario's pin pairs to signals through the module and
// header pin tables.
func (s *Scenario) pinWiring(setup pinmap.Setup) (pinmap.Wiring, error) {
	w := pinmap.Wiring{Module: setup.Module.ID, Board: setup.Header.ID}
	for _, pw := range s.Wires {
		mp, ok := setup.Module.Pin(pw.ModulePin)
		if !ok {
			return w, &Error{File: s.File, Line: pw.Line, Msg: fmt.Sprintf("module %s has no pin %d", setup.Module.ID, pw.ModulePin)}
		}
		bp, ok := setup.Header.Pin(pw.BoardPin)
		if !ok {
			return w, &Error{File: s.File, Line: pw.Line, Msg: fmt.Sprintf("header %s has no pin %d", setup.Header.ID, pw.BoardPin)}
		}
		w.Wires = append(w.Wires, pinmap.Wire{ModulePin: pw.ModulePin, BoardPin: pw.BoardPin,
			Signal: string(mp.Signal), BoardSignal: string(bp.Signal), Line: pw.Line})
	}
	return w, nil
}
