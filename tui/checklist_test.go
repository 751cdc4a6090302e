package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChecklistStoreOrder checks that a snapshot taken earlier never overwrites a later one,
// whatever order the save commands run in.
func TestChecklistStoreOrder(t *testing.T) {
	s := newChecklistStore(t.TempDir())
	if err := s.write(2, map[string][]string{"m b": {"1-1", "3-11"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.write(1, map[string][]string{"m b": {"1-1"}}); err != nil {
		t.Fatal(err)
	}
	msg := s.load()().(checklistLoadedMsg)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	if got := strings.Join(msg.wirings["m b"], ","); got != "1-1,3-11" {
		t.Errorf("after saves 2 then 1 the file holds %q, want snapshot 2 (1-1,3-11)", got)
	}
}

// TestChecklistNoConfigDir checks that without a config directory ticking is refused with a
// reason instead of failing later.
func TestChecklistNoConfigDir(t *testing.T) {
	msg := newChecklistStore("").load()().(checklistLoadedMsg)
	if msg.err == nil || !strings.Contains(msg.err.Error(), "not be saved") {
		t.Errorf("load without a directory: err = %v, want one saying the checklist is not saved", msg.err)
	}
}

// FuzzChecklistFile feeds arbitrary file contents to the checklist loader and the Wiring
// screen: a damaged or hostile file is reported or ignored, never a panic.
func FuzzChecklistFile(f *testing.F) {
	f.Add([]byte(`{"version":1,"wirings":{"asus-tpm-20-1 apu1d":["1-1","3-11"]}}`))
	f.Add([]byte(`{"wirings":{"asus-tpm-20-1 apu1d":null}}`))
	f.Add([]byte(`{"wirings":{"":["x","-1--1",""]}}`))
	f.Add([]byte(`{not json`))
	f.Add([]byte(``))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, checklistName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		d := newDriver(t, Options{ConfigDir: dir}, 80, 24)
		pickDefault(d)
		d.keys("space", "v", "v", "space")
		d.screen()
	})
}
