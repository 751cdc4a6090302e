package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// The solder checklist: which wires of which wiring the user has ticked as soldered, kept in
// one JSON file in the config directory so that it survives a restart. Reading and writing
// happen in commands; the Wiring screen keeps the state and sends snapshots to be saved.

const checklistName = "checklist.json"

// checklistFile is the file's content: per wiring ("module board"), the soldered wires as
// "modulePin-boardPin".
type checklistFile struct {
	// Version is the file format's version.
	Version int `json:"version"`
	// Wirings maps "module board" to the wires ticked as soldered, "modulePin-boardPin".
	Wirings map[string][]string `json:"wirings"`
}

// checklistStore writes snapshots in the order they were taken: two saves in flight never
// leave an older snapshot on disk.
type checklistStore struct {
	path    string
	mu      sync.Mutex
	written int // sequence number of the snapshot on disk
}

// checklistLoadedMsg carries the file read at start-up.
type checklistLoadedMsg struct {
	wirings map[string][]string
	err     error
}

// checklistSavedMsg reports a save.
type checklistSavedMsg struct {
	path string
	err  error
}

func newChecklistStore(dir string) *checklistStore {
	if dir == "" {
		return &checklistStore{}
	}
	return &checklistStore{path: filepath.Join(dir, checklistName)}
}

// load reads the file; a missing file is an empty checklist.
func (s *checklistStore) load() tea.Cmd {
	path := s.path
	return func() tea.Msg {
		if path == "" {
			return checklistLoadedMsg{err: errors.New("no config directory (HOME or XDG_CONFIG_HOME unset): the checklist will not be saved")}
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return checklistLoadedMsg{wirings: map[string][]string{}}
		}
		if err != nil {
			return checklistLoadedMsg{err: fmt.Errorf("reading the solder checklist: %w", err)}
		}
		var f checklistFile
		if err := json.Unmarshal(data, &f); err != nil {
			return checklistLoadedMsg{err: fmt.Errorf("solder checklist %s is damaged (%v); move it away to start a new one", path, err)}
		}
		if f.Wirings == nil {
			f.Wirings = map[string][]string{}
		}
		return checklistLoadedMsg{wirings: f.Wirings}
	}
}

// save writes snapshot number seq of all wirings' ticks.
func (s *checklistStore) save(seq int, wirings map[string][]string) tea.Cmd {
	snap := make(map[string][]string, len(wirings))
	for k, v := range wirings {
		snap[k] = slices.Clone(v)
	}
	return func() tea.Msg {
		return checklistSavedMsg{path: s.path, err: s.write(seq, snap)}
	}
}

func (s *checklistStore) write(seq int, wirings map[string][]string) error {
	if s.path == "" {
		return errors.New("no config directory: the checklist is not saved")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq <= s.written {
		return nil
	}
	data, err := json.MarshalIndent(checklistFile{Version: 1, Wirings: wirings}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the solder checklist: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("saving the solder checklist: %w", err)
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("saving the solder checklist: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("saving the solder checklist: %w", err)
	}
	s.written = seq
	return nil
}
