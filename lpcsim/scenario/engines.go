package scenario

import (
	"fmt"
	"path/filepath"
	"strings"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/tpm12"
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
// then fails as an engine error).
func newEngine(s *Scenario) (lpcsim.Engine, error) {
	switch strings.ToLower(s.Engine) {
	case "none":
		return nil, nil
	case "tpm12":
		opts, err := s.tpm12Options()
		if err != nil {
			return nil, err
		}
		return tpm12.New(opts...), nil
	}
	return nil, s.errAt("engine", fmt.Sprintf("engine %q is not available in this build (available: tpm12, none)", s.Engine))
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
		path := state
		if !filepath.IsAbs(path) && !strings.HasPrefix(s.File, "builtin/") {
			path = filepath.Join(filepath.Dir(s.File), path)
		}
		st, err := tpm12.LoadFile(path)
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
