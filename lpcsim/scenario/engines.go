package scenario

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/swtpm"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/engine/tpm20"
	"tpmbench/lpcsim/tisdev"
)

// tpm12States are the named starting states of the built-in TPM 1.2 engine;
// a scenario's state may join several with "+" ("enabled+started").
var tpm12States = map[string]func() tpm12.Option{
	"enabled":         tpm12.Enabled,
	"owned":           tpm12.Owned,
	"lifetime-locked": tpm12.LifetimeLocked,
	"nv-locked":       tpm12.NVLocked,
	"started":         tpm12.Started,
}

// newEngine creates the scenario's engine ("none" gives nil: every command
// then fails as an engine error). A swtpm engine is a running process: the
// bench's Close stops it.
func newEngine(ctx context.Context, s *Scenario, family tisdev.Family) (lpcsim.Engine, error) {
	switch strings.ToLower(s.Engine) {
	case "none":
		return nil, nil
	case "tpm12":
		opts, err := s.tpm12Options()
		if err != nil {
			return nil, err
		}
		return tpm12.New(opts...), nil
	case "tpm20":
		switch strings.ToLower(strings.TrimSpace(s.State)) {
		case "", "factory":
			return tpm20.New(), nil
		case "started":
			return tpm20.New(tpm20.Started()), nil
		}
		return nil, s.errAt("state", fmt.Sprintf("unknown TPM 2.0 state %q (want factory or started)", s.State))
	case "swtpm":
		return s.startSwtpm(ctx, family)
	}
	return nil, s.errAt("engine", fmt.Sprintf("unknown engine %q (want tpm12, tpm20, swtpm or none)", s.Engine))
}

// startSwtpm starts a swtpm process. "fresh" is a new libtpms state, which libtpms makes
// enabled and active; "factory" for a TPM 1.2 is the TCG factory state (disabled, deactivated)
// the built-in engine starts in, made from a fresh state the way a BIOS turns a TPM off; a TPM
// 2.0 has no such difference. Anything else names a state directory.
func (s *Scenario) startSwtpm(ctx context.Context, family tisdev.Family) (lpcsim.Engine, error) {
	cfg := swtpm.Config{TPM2: family == tisdev.Family20}
	switch st := strings.TrimSpace(s.State); strings.ToLower(st) {
	case "fresh":
	case "", "factory":
		if !cfg.TPM2 {
			// Start copies the state, so the directory made here can go once it has.
			dir, err := os.MkdirTemp("", "tpmbench-factory-")
			if err != nil {
				return nil, s.errAt("state", err.Error())
			}
			defer os.RemoveAll(dir)
			if err := swtpm.CreateFactoryState(ctx, cfg, dir); err != nil {
				return nil, s.errAt("state", fmt.Sprintf("making the TPM 1.2 factory state: %v", err))
			}
			cfg.StateDir = dir
		}
	default:
		cfg.StateDir = s.relPath(st)
	}
	e, err := swtpm.Start(ctx, cfg)
	if err != nil {
		return nil, s.errAt("engine", err.Error())
	}
	return e, nil
}

// relPath resolves a path named in the scenario relative to the scenario
// file (built-in scenarios name no files).
func (s *Scenario) relPath(p string) string {
	if filepath.IsAbs(p) || strings.HasPrefix(s.File, "builtin/") {
		return p
	}
	return filepath.Join(filepath.Dir(s.File), p)
}

// tpm12Options reads the state: "factory" (disabled + deactivated), named
// states joined with "+", or a state file saved by the engine (a path
// relative to the scenario file).
func (s *Scenario) tpm12Options() ([]tpm12.Option, error) {
	state := strings.TrimSpace(s.State)
	if state == "" || strings.EqualFold(state, "factory") {
		return nil, nil
	}
	if strings.ContainsAny(state, "/\\.") {
		st, err := tpm12.LoadFile(s.relPath(state))
		if err != nil {
			return nil, s.errAt("state", fmt.Sprintf("loading TPM 1.2 state: %v", err))
		}
		return []tpm12.Option{tpm12.WithState(st)}, nil
	}
	var opts []tpm12.Option
	for _, name := range strings.Split(state, "+") {
		opt, ok := tpm12States[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return nil, s.errAt("state", fmt.Sprintf("unknown TPM 1.2 state %q (want factory, a state file, or enabled, owned, lifetime-locked, nv-locked, started joined with +)", name))
		}
		opts = append(opts, opt())
	}
	return opts, nil
}
