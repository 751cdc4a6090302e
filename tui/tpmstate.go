package tui

import (
	"sync"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/scenario"
)

// A simulated TPM outlives the bench it was probed on, as a chip does on the real bench: every
// probe builds a new bench (the extra faults may have changed, and a new bench is a power
// cycle), but the probes of one scenario in a UI session all talk to the same engine. What the
// Actions screen changed (enabled, activated, NV locked) is still there at the next probe, until
// the user asks for the scenario's own state again.

// sharedEngine is the engine kept for one scenario. The Probe and Actions screens each run
// their I/O in commands on their own goroutines, and both may hold a bench built around it, so
// every call takes the lock.
type sharedEngine struct {
	mu sync.Mutex
	e  lpcsim.Engine
}

// Execute runs one TPM command on the kept engine.
func (s *sharedEngine) Execute(locality int, cmd []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e.Execute(locality, cmd)
}

// Reset is TPM_Init on the kept engine.
func (s *sharedEngine) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e.Reset()
}

// buildKept builds the bench of s around kept, the engine earlier probes of the scenario used.
// With no kept engine it makes the scenario's one (from its engine and state settings, through
// a first build) and returns it for the next probes; it returns nil for a scenario without an
// engine.
func buildKept(s *scenario.Scenario, o scenario.Options, kept *sharedEngine) (*lpcsim.Bench, *sharedEngine, error) {
	if kept == nil {
		first, err := scenario.BuildWith(s, o)
		if err != nil || first.Engine == nil {
			return first, nil, err
		}
		kept = &sharedEngine{e: first.Engine}
	}
	o.Engine = kept
	b, err := scenario.BuildWith(s, o)
	if err != nil {
		return nil, nil, err
	}
	return b, kept, nil
}
