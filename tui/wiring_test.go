package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pickDefault goes from the Boards screen to the Wiring screen of the reference bench.
func pickDefault(d *driver) {
	d.t.Helper()
	d.keys("enter", "enter")
	d.mustShow("[Wiring]", "asus-tpm-20-1 → apu1d")
}

// TestWiringViews checks the three views of the reference bench against golden frames: the
// table with the reference wires and the added grounds, the checks, and the header drawing.
func TestWiringViews(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	pickDefault(d)
	d.mustShow("0/12 soldered", "LFRAME# (FRAME)", "11")
	checkGolden(t, "wiring-table", d.screen())
	d.keys("v")
	d.mustShow("WARNING", "standby-rail", "fix:")
	checkGolden(t, "wiring-checks", d.screen())
	d.keys("v")
	d.mustShow("module asus-tpm-20-1", "board apu1d", "×", "● wired")
	checkGolden(t, "wiring-drawing", d.screen())
	d.keys("v")
	d.mustShow("done   mod")
}

// TestWiringChecklistSurvivesRestart ticks wires, checks the file, then starts a new UI on the
// same config directory and finds the ticks again; unticking removes them.
func TestWiringChecklistSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	d := newDriver(t, Options{ConfigDir: dir}, 80, 24)
	pickDefault(d)
	d.keys("space", "down", "space") // wire 1-1; the tick moves the cursor to 2-2, down to 3-11
	d.mustShow("2/12 soldered", "checklist saved in "+dir[:min(len(dir), 40)])
	data, err := os.ReadFile(filepath.Join(dir, "checklist.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"asus-tpm-20-1 apu1d"`, `"1-1"`, `"3-11"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("checklist file lacks %s:\n%s", want, data)
		}
	}

	d = newDriver(t, Options{ConfigDir: dir}, 80, 24)
	pickDefault(d)
	d.mustShow("2/12 soldered")
	rows := strings.Split(d.screen(), "\n")
	var ticked []string
	for _, r := range rows {
		if strings.Contains(r, "[x]") {
			ticked = append(ticked, strings.Fields(strings.TrimLeft(r, "› "))[1])
		}
	}
	if strings.Join(ticked, ",") != "1,3" {
		t.Errorf("ticked module pins after restart = %v, want [1 3]", ticked)
	}
	d.keys("space") // cursor on row 1 again: untick wire 1-1
	d.mustShow("1/12 soldered")
}

// TestWiringDamagedChecklist checks that a damaged checklist file is reported and left alone.
func TestWiringDamagedChecklist(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "checklist.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{ConfigDir: dir}, 80, 24)
	pickDefault(d)
	d.keys("space")
	d.mustShow("error:", "not saved")
	if data, _ := os.ReadFile(path); string(data) != "{not json" {
		t.Errorf("damaged checklist was overwritten: %q", data)
	}
}

// TestWiringDrawingFollowsCursor checks that the drawing names the wire under the cursor, draws
// it with heavy lines, and that space ticks it there too.
func TestWiringDrawingFollowsCursor(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	pickDefault(d)
	d.keys("v", "v")
	d.mustShow("wire [ ] 1 → 1 LCLK (heavy line)", "┃")
	d.keys("down", "down")
	d.mustShow("wire [ ] 3 → 11 LFRAME# (heavy line)")
	heavy := strings.Count(d.screen(), "┃") + strings.Count(d.screen(), "━")
	if heavy < 3 {
		t.Errorf("only %d heavy cells for the selected wire:\n%s", heavy, d.screen())
	}
	d.keys("space")
	d.mustShow("1/12 soldered", "wire [ ] 5 → 13 LRESET#")
	d.keys("up")
	d.mustShow("wire [x] 3 → 11 LFRAME#")
}
