package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

// TestDrawHeadersAllPairs draws every module on every board of the database and checks what a
// person soldering relies on: each wired pin is drawn as wired and only those, keys are marked,
// the drawing fits 80 columns, and every wire ends on both headers (a vertical run reaches each
// wired pin from the wire channel).
func TestDrawHeadersAllPairs(t *testing.T) {
	db, err := boards.Open("")
	if err != nil {
		t.Fatal(err)
	}
	st := DefaultStyles(true)
	pairs := 0
	for _, mod := range db.Connectors() {
		if mod.Role != boards.RoleModule {
			continue
		}
		for _, b := range db.Boards() {
			setup, err := pinmap.Resolve(db, mod.ID, b.ID)
			if err != nil {
				t.Fatalf("%s on %s: %v", mod.ID, b.ID, err)
			}
			w := pinmap.Generate(setup)
			var ws []drawWire
			mw, bw := map[int]bool{}, map[int]bool{}
			for _, x := range w.Wires {
				ws = append(ws, drawWire{modulePin: x.ModulePin, boardPin: x.BoardPin, signal: x.Signal})
				mw[x.ModulePin], bw[x.BoardPin] = true, true
			}
			mh, bh := headerOf(setup.Module, "module"), headerOf(setup.Header, "board")
			all := strings.Split(ansi.Strip(drawHeaders(&st, mh, bh, ws, 80)), "\n")
			end := slices.IndexFunc(all, func(l string) bool { return strings.HasPrefix(l, "board") })
			if end < 0 {
				t.Fatalf("%s on %s: no board title in the drawing:\n%s", mod.ID, b.ID, strings.Join(all, "\n"))
			}
			lines := all[:end] // the drawing, without the legend under it
			out := strings.Join(lines, "\n")
			for i, l := range all {
				if n := ansi.StringWidth(l); n > 80 {
					t.Errorf("%s on %s: line %d is %d wide", mod.ID, b.ID, i, n)
				}
			}
			want := 0
			for p := range mw {
				if _, marked := mh.marks[p]; !marked {
					want++
				}
			}
			for p := range bw {
				if _, marked := bh.marks[p]; !marked {
					want++
				}
			}
			if got := strings.Count(out, "●"); got != want {
				t.Errorf("%s on %s: %d pins drawn wired, want %d\n%s", mod.ID, b.ID, got, want, out)
			}
			if mod.Has(boards.KEY) && !strings.Contains(out, "×") {
				t.Errorf("%s on %s: the module's key is not marked\n%s", mod.ID, b.ID, out)
			}
			checkRunsReachPins(t, mod.ID+" on "+b.ID, lines)
			pairs++
		}
	}
	if pairs == 0 {
		t.Fatal("no module/board pair in the database")
	}
}

// checkRunsReachPins checks that every wired pin has a line drawn next to it toward the wire
// channel: below a module pin, above a board pin (through the other row of its header when
// it sits in the far row).
func checkRunsReachPins(t *testing.T, name string, lines []string) {
	t.Helper()
	grid := make([][]rune, len(lines))
	for i, l := range lines {
		grid[i] = []rune(l)
	}
	at := func(y, x int) rune {
		if y < 0 || y >= len(grid) || x >= len(grid[y]) {
			return ' '
		}
		return grid[y][x]
	}
	for y, row := range grid {
		for x, r := range row {
			if r != '●' {
				continue
			}
			up, down := at(y-1, x), at(y+1, x)
			if !strings.ContainsRune("│┼├┤┬┴┐┌┘└●", up) && !strings.ContainsRune("│┼├┤┬┴┐┌┘└●", down) {
				t.Errorf("%s: wired pin at line %d column %d has no wire run next to it:\n%s", name, y, x, strings.Join(lines, "\n"))
				return
			}
		}
	}
}
