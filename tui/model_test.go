package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestResize checks that every screen fills exactly the terminal at several sizes, with no line
// wider than the terminal, including sizes smaller than 80x24.
func TestResize(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}, {60, 15}, {40, 10}, {20, 5}}
	for _, sz := range sizes {
		d := newDriver(t, Options{}, 80, 24)
		pickDefault(d)
		toProbe(d)
		d.keys("r") // a report on Probe and a trace on Bus
		d.mustShow("probe complete")
		d.send(windowSize(sz[0], sz[1]))
		for i := range d.m.screens {
			d.m.active = i
			for range 3 { // every view of screens that have several
				frame := d.m.View().Content
				lines := strings.Split(frame, "\n")
				if len(lines) != sz[1] {
					t.Errorf("%dx%d %s: %d lines, want %d", sz[0], sz[1], d.m.screens[i].title(), len(lines), sz[1])
				}
				for n, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Errorf("%dx%d %s line %d is %d wide: %q", sz[0], sz[1], d.m.screens[i].title(), n, w, ansi.Strip(l))
					}
				}
				d.keys("v")
			}
		}
	}
}

// TestScreenSwitching checks tab and shift+tab cycle through the screens and ? toggles the full
// help.
func TestScreenSwitching(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	d.mustShow("[Boards]")
	d.keys("tab")
	d.mustShow("[Wiring]", "choose a module and a board")
	d.keys("shift+tab")
	d.mustShow("[Boards]")
	d.keys("shift+tab")
	if d.m.active != len(d.m.screens)-1 {
		t.Errorf("shift+tab from the first screen went to %d, want the last", d.m.active)
	}
	d.keys("?")
	d.mustShow("prev screen")
	d.keys("?")
	if strings.Contains(d.screen(), "prev screen") {
		t.Error("? did not close the full help")
	}
}
