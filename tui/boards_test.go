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

// TestBoardsFilter checks that "/" then typing narrows the focused list, that j and k are
// filter letters while typing, and that esc clears the filter.
func TestBoardsFilter(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		text     string
		shown    []string
		notShown []string
	}{
		{"modules by vendor", []string{"/"}, "pcengines", []string{"pcengines-tpm1a", "pcengines-tpm4a"}, []string{"asus-tpm-20-1"}},
		{"boards by name", []string{"right", "/"}, "apu4", []string{"apu4", "apu4c"}, []string{"apu1d", "alix2d"}},
		{"letters j and k are text", []string{"right", "/"}, "kgpe", []string{"kgpe-d16"}, []string{"apu1d"}},
		{"nothing matches", []string{"/"}, "zzz", []string{"(nothing matches)"}, []string{"asus-tpm-20-1"}},
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
