package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
)

// The header drawing: the module header on top, the board header below, both as seen from above
// with pin 1 at the top left, and every wire routed between them on its own track. Pins of the
// module sit on odd columns and pins of the board on even ones, so no two vertical runs share a
// column and each wire can be followed by eye even without colour.

// header is a connector's geometry for drawing: grid[row][col] holds a pin number (0: no pin).
type header struct {
	title  string
	grid   [][]int
	marks  map[int]rune // pins drawn with a special glyph: the key, pins never to connect
	legend string       // what the marks mean
}

// drawWire is one wire of the drawing.
type drawWire struct {
	modulePin, boardPin int
	signal              string
	selected            bool // drawn with heavy lines: the wire the user is soldering
}

const pinPitch = 7 // cells per header column

// Box-drawing directions.
const (
	dirUp = 1 << iota
	dirDown
	dirLeft
	dirRight
)

var boxRunes = map[int]rune{
	dirUp: '│', dirDown: '│', dirUp | dirDown: '│',
	dirLeft: '─', dirRight: '─', dirLeft | dirRight: '─',
	dirDown | dirRight: '┌', dirDown | dirLeft: '┐', dirUp | dirRight: '└', dirUp | dirLeft: '┘',
	dirUp | dirDown | dirRight: '├', dirUp | dirDown | dirLeft: '┤',
	dirDown | dirLeft | dirRight: '┬', dirUp | dirLeft | dirRight: '┴',
	dirUp | dirDown | dirLeft | dirRight: '┼',
}

// heavyRunes draw the selected wire, so it stands out without colour too.
var heavyRunes = map[int]rune{
	dirUp: '┃', dirDown: '┃', dirUp | dirDown: '┃',
	dirLeft: '━', dirRight: '━', dirLeft | dirRight: '━',
	dirDown | dirRight: '┏', dirDown | dirLeft: '┓', dirUp | dirRight: '┗', dirUp | dirLeft: '┛',
	dirUp | dirDown | dirRight: '┣', dirUp | dirDown | dirLeft: '┫',
	dirDown | dirLeft | dirRight: '┳', dirUp | dirLeft | dirRight: '┻',
	dirUp | dirDown | dirLeft | dirRight: '╋',
}

type cell struct {
	dirs   int
	glyph  rune // set for pins and text; wins over dirs
	signal string
	heavy  bool // the selected wire passes here
}

type canvas struct {
	w, h  int
	cells [][]cell
}

func newCanvas(w, h int) *canvas {
	c := &canvas{w: w, h: h, cells: make([][]cell, h)}
	for y := range c.cells {
		c.cells[y] = make([]cell, w)
	}
	return c
}

func (c *canvas) in(x, y int) bool { return x >= 0 && y >= 0 && x < c.w && y < c.h }

// line draws a horizontal or vertical run from (x1,y1) to (x2,y2) for a signal.
func (c *canvas) line(x1, y1, x2, y2 int, signal string, heavy bool) {
	dx, dy := sign(x2-x1), sign(y2-y1)
	fwd, back := dirRight, dirLeft
	switch {
	case dx < 0:
		fwd, back = dirLeft, dirRight
	case dy > 0:
		fwd, back = dirDown, dirUp
	case dy < 0:
		fwd, back = dirUp, dirDown
	}
	for x, y := x1, y1; ; x, y = x+dx, y+dy {
		if c.in(x, y) {
			cl := &c.cells[y][x]
			if x != x1 || y != y1 {
				cl.dirs |= back
			}
			if x != x2 || y != y2 {
				cl.dirs |= fwd
			}
			cl.signal = signal
			cl.heavy = cl.heavy || heavy
		}
		if x == x2 && y == y2 {
			return
		}
	}
}

func (c *canvas) text(x, y int, s string) {
	for i, r := range []rune(s) {
		if c.in(x+i, y) {
			c.cells[y][x+i].glyph = r
		}
	}
}

func (c *canvas) render() string {
	var b strings.Builder
	for y, row := range c.cells {
		if y > 0 {
			b.WriteByte('\n')
		}
		line := make([]string, 0, len(row))
		for _, cl := range row {
			r := cl.glyph
			if r == 0 {
				r = boxRunes[cl.dirs]
				if cl.heavy {
					r = heavyRunes[cl.dirs]
				}
			}
			if r == 0 {
				r = ' '
			}
			s := string(r)
			if cl.signal != "" {
				s = lipgloss.NewStyle().Foreground(signalColor(cl.signal)).Render(s)
			}
			line = append(line, s)
		}
		b.WriteString(strings.TrimRight(strings.Join(line, ""), " "))
	}
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

// pinPos finds a pin in a header grid.
func (h header) pinPos(pin int) (row, col int, ok bool) {
	for r, cols := range h.grid {
		for c, p := range cols {
			if p == pin {
				return r, c, true
			}
		}
	}
	return 0, 0, false
}

func (h header) cols() int {
	n := 0
	for _, r := range h.grid {
		n = max(n, len(r))
	}
	return n
}

// drawHeaders draws the module header, the board header and the wires between them. Wires whose
// pins are not in the grids are listed under the drawing instead.
func drawHeaders(st *Styles, module, board header, wires []drawWire, width int) string {
	const margin = 4 // room for the row labels on the left
	// Within one header column: module row 0, board row 0, module row 1, board row 1, two cells
	// apart, so vertical runs of different wires never touch.
	mx := func(row, col int) int { return margin + pinPitch*col + 4*row }
	bx := func(row, col int) int { return margin + pinPitch*col + 4*row + 2 }

	type route struct {
		drawWire
		xm, ym, xb, yb int // pin positions; ym/yb relative to their header
		track          int
	}
	var routes []route
	var unplaced []string
	for _, w := range wires {
		mr, mc, ok1 := module.pinPos(w.modulePin)
		br, bc, ok2 := board.pinPos(w.boardPin)
		if !ok1 || !ok2 {
			unplaced = append(unplaced, fmt.Sprintf("%d→%d %s", w.modulePin, w.boardPin, w.signal))
			continue
		}
		routes = append(routes, route{drawWire: w, xm: mx(mr, mc), ym: mr, xb: bx(br, bc), yb: br})
	}

	// Tracks: greedy interval colouring, so wires whose horizontal runs do not touch share a row.
	slices.SortFunc(routes, func(a, b route) int { return min(a.xm, a.xb) - min(b.xm, b.xb) })
	var trackEnd []int
	for i := range routes {
		lo, hi := min(routes[i].xm, routes[i].xb), max(routes[i].xm, routes[i].xb)
		t := slices.IndexFunc(trackEnd, func(end int) bool { return end+1 < lo })
		if t < 0 {
			t = len(trackEnd)
			trackEnd = append(trackEnd, 0)
		}
		trackEnd[t] = hi
		routes[i].track = t
	}

	mRows, bRows := len(module.grid), len(board.grid)
	top := 1 // module title on line 0
	trackTop := top + mRows + 1
	boardTop := trackTop + len(trackEnd) + 1
	height := boardTop + bRows + 1
	w := margin + pinPitch*max(module.cols(), board.cols()) + 6
	cv := newCanvas(w, height)

	// The selected wire last, so that its colour wins where it crosses others.
	slices.SortStableFunc(routes, func(a, b route) int { return boolInt(a.selected) - boolInt(b.selected) })
	for _, r := range routes {
		yt := trackTop + r.track
		cv.line(r.xm, top+r.ym, r.xm, yt, r.signal, r.selected)
		cv.line(r.xm, yt, r.xb, yt, r.signal, r.selected)
		cv.line(r.xb, yt, r.xb, boardTop+r.yb, r.signal, r.selected)
	}
	wired := func(pins map[int]bool, pin int) bool { return pins[pin] }
	mw, bw := map[int]bool{}, map[int]bool{}
	for _, r := range routes {
		mw[r.modulePin], bw[r.boardPin] = true, true
	}
	placePins := func(h header, y0 int, x func(r, c int) int, used map[int]bool) {
		for r, cols := range h.grid {
			for c, pin := range cols {
				if pin == 0 {
					continue
				}
				g := '○'
				if wired(used, pin) {
					g = '●'
				}
				if m, ok := h.marks[pin]; ok {
					g = m
				}
				cv.cells[y0+r][x(r, c)].glyph = g
			}
			if len(cols) > 0 {
				cv.text(0, y0+r, fmt.Sprintf("%3d", cols[0]))
				cv.text(x(r, len(cols)-1)+2, y0+r, fmt.Sprint(cols[len(cols)-1]))
			}
		}
	}
	placePins(module, top, mx, mw)
	placePins(board, boardTop, bx, bw)
	cv.text(0, 0, module.title)
	cv.text(0, height-1, board.title)

	out := cv.render()
	var notes []string
	for _, h := range []header{module, board} {
		if h.legend != "" && !slices.Contains(notes, h.legend) {
			notes = append(notes, h.legend)
		}
	}
	notes = append(notes, "○ free  ● wired")
	if len(unplaced) > 0 {
		notes = append(notes, "not drawn (pin not on the header): "+strings.Join(unplaced, ", "))
	}
	return out + "\n" + st.Dim.Width(width).Render(strings.Join(notes, "  "))
}
