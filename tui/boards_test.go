package tui

import (
	"strings"
	"testing"
)

// TestBoardsView checks the Boards screen frame at 80x24: both lists, the default bench under
// the cursors, the details of the module, the help bar.
func TestBoardsView(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	d.mustShow("[Boards]", "asus-tpm-20-1", "apu1d", "Infineon SLB9635", "enter choose")
	checkGolden(t, "boards", d.screen())
}

// TestBoardsFilter checks that "/" then typing narrows the focused list, that a text only the
// other list matches filters that list and moves the focus there, that j and k are filter
// letters while typing, and that esc clears the filter.
func TestBoardsFilter(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		text     string
		shown    []string
		notShown []string
		focus    int // the pane focused after typing: 0 modules, 1 boards
	}{
		{"modules by vendor", []string{"/"}, "pcengines", []string{"module /pcengines", "pcengines-tpm1a", "pcengines-tpm4a"}, []string{"asus-tpm-20-1"}, 0},
		{"boards by name", []string{"right", "/"}, "apu4", []string{"board or header /apu4", "apu4", "apu4c"}, []string{"apu1d", "alix2d"}, 1},
		{"a board typed with the modules focused", []string{"/"}, "apu2", []string{"board or header /apu2", "› apu2 ", "· asus-tpm-20-1"},
			[]string{"apu1d", "(nothing matches)"}, 1},
		{"a module typed with the boards focused", []string{"right", "/"}, "tpm4a", []string{"module /tpm4a", "› pcengines-tpm4a"},
			[]string{"pcengines-tpm1a", "(nothing matches)"}, 0},
		{"letters j and k are text", []string{"right", "/"}, "kgpe", []string{"kgpe-d16"}, []string{"apu1d"}, 1},
		{"nothing matches", []string{"/"}, "§§", []string{"module /§§", "(nothing matches)"}, []string{"asus-tpm-20-1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Options{}, 80, 24)
			d.keys(tt.keys...)
			d.typeText(tt.text)
			d.mustShow(tt.shown...)
			lists := strings.Join(strings.Split(d.screen(), "\n")[:15], "\n")
			for _, s := range tt.notShown {
				if strings.Contains(lists, s) {
					t.Errorf("filter %q still shows %q:\n%s", tt.text, s, lists)
				}
			}
			if got := d.m.screens[0].(*boardsModel).focus; got != tt.focus {
				t.Errorf("focus on pane %d after typing %q, want %d", got, tt.text, tt.focus)
			}
			d.keys("esc")
			if d.m.screens[0].typing() {
				t.Error("esc did not leave the filter")
			}
			d.mustShow("asus-tpm-20-1", "apu1d")
		})
	}
}

// TestBoardsPick checks that enter on a module and then on a board opens the Wiring screen for
// that pair, and that quitting works from the lists but q is a letter while filtering.
func TestBoardsPick(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	d.keys("down", "down", "enter") // pcengines-tpm1a
	d.keys("/")
	d.typeText("apu2")
	d.keys("enter", "enter")
	d.mustShow("[Wiring]", "pcengines-tpm1a → apu2")

	// A board found from the modules pane pairs with the module under that pane's cursor.
	d = newDriver(t, Options{}, 80, 24)
	d.keys("/")
	d.typeText("apu3d")
	d.keys("enter", "enter")
	d.mustShow("[Wiring]", "asus-tpm-20-1 → apu3d")

	d = newDriver(t, Options{}, 80, 24)
	d.keys("/", "q")
	if d.quit {
		t.Fatal("q quit while typing a filter")
	}
	d.keys("esc", "q")
	if !d.quit {
		t.Fatal("q did not quit")
	}
}

// TestBoardsBadDir checks that an unreadable --boards directory is reported, not a crash.
func TestBoardsBadDir(t *testing.T) {
	d := newDriver(t, Options{BoardsDir: t.TempDir()}, 80, 24)
	d.mustShow("the board database did not load", "holds no .yaml")
}
