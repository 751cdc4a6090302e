package pinmap

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"tpmbench/boards"
)

// Drawing constants, in pixels; scale is pixels per millimetre, so both headers are drawn to
// the same scale.
const (
	svgScale   = 14.0 // px per mm
	svgMargin  = 24.0
	svgCharW   = 7.3 // width of one character of the 12 px monospace font
	svgLineH   = 16.0
	svgWireGap = 170.0 // room for the wires between the two label columns
	svgPanelW  = 560.0
	svgTitleH  = 64.0
	svgWrapAt  = 74 // characters per line in the findings panel
)

// signalColours colours a wire by the module pin's signal.
var signalColours = map[boards.Signal]string{
	boards.LCLK:   "#e69f00",
	boards.LFRAME: "#2ca02c",
	boards.LRESET: "#9467bd",
	boards.LAD0:   "#1f77b4",
	boards.LAD1:   "#17becf",
	boards.LAD2:   "#3949ab",
	boards.LAD3:   "#00897b",
	boards.SERIRQ: "#e377c2",
	boards.LPCPD:  "#8c564b",
	boards.CLKRUN: "#7f7f7f",
	boards.V3V3:   "#d62728",
	boards.V3V3SB: "#ff7f0e",
	boards.V5:     "#b71c1c",
	boards.GND:    "#202020",
}

func colourOf(s string) string {
	if c, ok := signalColours[boards.Signal(s)]; ok {
		return c
	}
	return "#9e9e9e"
}

var severityColours = map[Severity]string{Error: "#c62828", Warning: "#e65100", Info: "#1565c0"}

// headerBox is one connector placed on the drawing.
type headerBox struct {
	c      *boards.Connector
	x, y   float64 // top-left of the housing
	pitch  float64 // px
	lines  int     // pin pairs (or pins, for one row) from top to bottom
	labelW [2]float64
}

func newHeaderBox(c *boards.Connector) *headerBox {
	g := c.Geometry
	hb := &headerBox{c: c, pitch: g.PitchMM * svgScale, lines: (len(c.Pins) + g.Rows - 1) / g.Rows}
	for _, p := range c.Pins {
		_, col := g.Position(p.Number)
		w := float64(len([]rune(pinLabel(p)))) * svgCharW
		hb.labelW[col] = max(hb.labelW[col], w)
	}
	return hb
}

func (hb *headerBox) width() float64  { return float64(hb.c.Geometry.Rows) * hb.pitch }
func (hb *headerBox) height() float64 { return float64(hb.lines) * hb.pitch }

// centre returns the centre of pin n.
func (hb *headerBox) centre(n int) (float64, float64) {
	line, col := hb.c.Geometry.Position(n)
	return hb.x + (float64(col)+0.5)*hb.pitch, hb.y + (float64(line)+0.5)*hb.pitch
}

// Label metrics, in pixels from the baseline, for the 12 px font with its 3 px white halo:
// the tallest glyphs (brackets) reach svgTextUp above the baseline and svgTextDown below.
const (
	svgTextUp   = 10.6
	svgTextDown = 3.1
	svgWireW    = 3.5 // stroke width of a wire
	svgLabelPad = 6.0 // between the housing and its labels, and between labels and wires
)

// wireSide reports whether pin column col faces the wires: the right column of the module,
// the left column of the board, and a single row always.
func (hb *headerBox) wireSide(col int, module bool) bool {
	return hb.c.Geometry.Rows == 1 || (col == 1) == module
}

// pad is the housing's margin around the pin grid.
func (hb *headerBox) pad() float64 { return hb.pitch * 0.15 }

// wireLabelW is the width of the labels between the housing and the wires.
func (hb *headerBox) wireLabelW(module bool) float64 {
	switch {
	case hb.c.Geometry.Rows == 1:
		return 0 // a single row is labelled on the side away from the wires
	case module:
		return hb.labelW[1]
	}
	return hb.labelW[0]
}

// laneEnd is the x where the wires of this header leave their straight lanes through the
// label column and start their curve to the other header.
func (hb *headerBox) laneEnd(module bool) float64 {
	room := hb.laneRoom(module)
	if module {
		return hb.x + hb.width() + room
	}
	return hb.x - room
}

// laneRoom is the distance from the housing's wire-side edge of pins to the lanes' end.
func (hb *headerBox) laneRoom(module bool) float64 {
	return hb.pad() + svgLabelPad + hb.wireLabelW(module) + svgLabelPad
}

// spacing is the clear space between a row's label, its wire lanes and the next row's label
// on the wire side (see lanes).
func (hb *headerBox) spacing() float64 {
	return max(0.5, (hb.pitch-(svgTextUp+svgTextDown+2*svgWireW))/3)
}

// lanes returns, for the pins of a line at height cy, the y of the label baseline and of the
// two wire lanes beside it on the wire side: the label on top, then the lane of the pin next
// to the wires (at the pin's own height), then the lane of the pin behind it. Wires run
// straight through the label column in these lanes, so they cross no text.
func (hb *headerBox) lanes(cy float64) (label, near, far float64) {
	g := hb.spacing()
	return cy - svgWireW/2 - g - svgTextDown, cy, cy + svgWireW + g
}

// route returns the path of a wire between pin n and the end of its lane, listed from the
// pin outwards, and the lane's end. A pin next to the wires is reached straight along its
// lane. A pin behind it is reached through the channel between two lines of pins: down from
// the pin, along the channel to the housing's edge, then to its lane.
func (hb *headerBox) route(n int, module bool) (pts [][2]float64) {
	cx, cy := hb.centre(n)
	_, col := hb.c.Geometry.Position(n)
	_, near, far := hb.lanes(cy)
	grid, outer, end := hb.x, hb.x-hb.pad(), hb.laneEnd(false)
	if module {
		grid, outer, end = hb.x+hb.width(), hb.x+hb.width()+hb.pad(), hb.laneEnd(true)
	}
	if hb.wireSide(col, module) {
		return [][2]float64{{cx, cy}, {end, near}}
	}
	channel := cy + hb.pitch/2
	return [][2]float64{{cx, cy}, {cx, channel}, {grid, channel}, {outer, far}, {end, far}}
}

func pinLabel(p boards.Pin) string { return fmt.Sprintf("%d %s", p.Number, p.Name()) }

type svgWriter struct {
	b strings.Builder
}

func (s *svgWriter) printf(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

func esc(t string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(t)
}

// WriteSVG draws the wiring: both connectors to scale as seen from above, pin 1 square, keys
// crossed, never-connect pins red, each wire coloured by its signal (dashed when a check
// found an error on it), and beside it the wire list and the findings.
func (r *Report) WriteSVG(w io.Writer) error {
	mod, hdr := newHeaderBox(r.Setup.Module), newHeaderBox(r.Setup.Header)
	mod.x = svgMargin + mod.labelW[0] + mod.pad() + svgLabelPad
	mod.y = svgTitleH + 52
	hdr.x = mod.laneEnd(true) + svgWireGap + hdr.laneRoom(false)
	hdr.y = mod.y
	rightLabels := hdr.labelW[1]
	if hdr.c.Geometry.Rows == 1 {
		rightLabels = hdr.labelW[0]
	}
	panelX := hdr.x + hdr.width() + rightLabels + 40
	panel := r.panelLines()
	width := panelX + svgPanelW + svgMargin
	height := max(mod.y+max(mod.height(), hdr.height())+90, svgTitleH+float64(len(panel))*svgLineH+2*svgMargin)

	s := &svgWriter{}
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12">`+"\n", width, height, width, height)
	s.printf(`<title>%s</title>`+"\n", esc(r.Title()))
	s.printf(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	s.printf(`<text x="%.0f" y="%.0f" font-size="18" font-weight="bold">Wiring %s</text>`+"\n", svgMargin, svgMargin+8, esc(r.Title()))
	for i, line := range strings.Split(r.Subtitle(), "\n") {
		s.printf(`<text x="%.0f" y="%.0f" fill="#444">%s</text>`+"\n", svgMargin, svgMargin+30+float64(i)*svgLineH, esc(line))
	}
	s.header(mod, "module "+r.Setup.Module.ID, true)
	s.header(hdr, "board "+r.Setup.Target(), false)
	r.drawWires(s, mod, hdr)
	s.pins(mod)
	s.pins(hdr)
	s.labels(mod, true)
	s.labels(hdr, false)
	legendY := mod.y + max(mod.height(), hdr.height()) + 50
	s.printf(`<text x="%.0f" y="%.0f" fill="#444">Seen from above, to scale (%.0f px/mm).</text>`+"\n", svgMargin, legendY, svgScale)
	s.printf(`<text x="%.0f" y="%.0f" fill="#444">■ pin 1   ✕ key (no pin)   red ! never connect   dashed wire: error</text>`+"\n", svgMargin, legendY+svgLineH)
	for i, pl := range panel {
		s.printf(`<text x="%.0f" y="%.0f"%s>%s</text>`+"\n", panelX+pl.indent, svgTitleH+svgMargin+float64(i)*svgLineH, pl.attrs, esc(pl.text))
		if pl.swatch != "" {
			s.printf(`<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="4" stroke-linecap="round"/>`+"\n",
				panelX, svgTitleH+svgMargin+float64(i)*svgLineH-4, panelX+18, svgTitleH+svgMargin+float64(i)*svgLineH-4, pl.swatch)
		}
	}
	s.printf("</svg>\n")
	_, err := io.WriteString(w, s.b.String())
	return err
}

func (s *svgWriter) header(hb *headerBox, title string, module bool) {
	g := hb.c.Geometry
	fill := "#37474f" // board: dark housing of a male header
	if module {
		fill = "#1b5e20" // module: green PCB with its socket
	}
	if g.Footprint == "holes" {
		fill = "#2e7d32"
	}
	pad := hb.pitch * 0.15
	s.printf(`<text x="%.1f" y="%.1f" font-weight="bold" text-anchor="middle">%s</text>`+"\n", hb.x+hb.width()/2, hb.y-26, esc(title))
	s.printf(`<text x="%.1f" y="%.1f" fill="#555" text-anchor="middle">%s, %dx%d, %.2f mm</text>`+"\n", hb.x+hb.width()/2, hb.y-12, esc(g.Gender), g.Rows, g.Cols, g.PitchMM)
	s.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="3" fill="%s"/>`+"\n", hb.x-pad, hb.y-pad, hb.width()+2*pad, hb.height()+2*pad, fill)
}

func (s *svgWriter) pins(hb *headerBox) {
	r := hb.pitch * 0.33
	for _, p := range hb.c.Pins {
		cx, cy := hb.centre(p.Number)
		switch {
		case p.Signal == boards.KEY:
			s.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#ffffff" stroke-dasharray="2 2"/>`+"\n", cx-r, cy-r, 2*r, 2*r)
			s.printf(`<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="#ffffff" stroke-width="2"/>`+"\n", cx-r, cy-r, cx+r, cy+r, cx-r, cy+r, cx+r, cy-r)
		case p.Number == 1:
			s.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#ffd54f" stroke="#000" stroke-width="1"/>`+"\n", cx-r, cy-r, 2*r, 2*r)
		case p.Never != "":
			s.printf(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#e53935" stroke="#ffffff" stroke-width="1.5"/>`+"\n", cx, cy, r)
			s.printf(`<text x="%.1f" y="%.1f" fill="#ffffff" font-weight="bold" text-anchor="middle">!</text>`+"\n", cx, cy+4)
		default:
			s.printf(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#ffd54f" stroke="#000" stroke-width="1"/>`+"\n", cx, cy, r)
		}
	}
}

// labels writes each pin's number and signal outside the housing: column 0 to the left,
// column 1 to the right; for a single row, on the side facing away from the wires. On the
// wire side a label sits above its wire lanes (see lanes).
func (s *svgWriter) labels(hb *headerBox, module bool) {
	gap := hb.pad() + svgLabelPad
	for _, p := range hb.c.Pins {
		_, col := hb.c.Geometry.Position(p.Number)
		_, cy := hb.centre(p.Number)
		left := col == 0
		if hb.c.Geometry.Rows == 1 {
			left = module
		}
		colour := "#000"
		if p.Never != "" {
			colour = "#c62828"
		} else if p.Signal == boards.KEY || p.Signal == boards.NC {
			colour = "#888"
		}
		x, anchor := hb.x+hb.width()+gap, "start"
		if left {
			x, anchor = hb.x-gap, "end"
		}
		y := cy + 4
		if hb.c.Geometry.Rows == 2 && hb.wireSide(col, module) {
			y, _, _ = hb.lanes(cy)
		}
		s.printf(`<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
			x, y, anchor, colour, esc(pinLabel(p)))
	}
}

// errorWires returns the module/board pin pairs an error finding names.
func (r *Report) errorWires() map[[2]int]bool {
	bad := map[[2]int]bool{}
	for _, f := range r.Findings {
		if f.Severity != Error {
			continue
		}
		for _, m := range f.ModulePins {
			for _, b := range f.BoardPins {
				bad[[2]int{m, b}] = true
			}
		}
	}
	return bad
}

func (r *Report) drawWires(s *svgWriter, mod, hdr *headerBox) {
	bad := r.errorWires()
	for _, w := range r.Wiring.Wires {
		if _, ok := r.Setup.Module.Pin(w.ModulePin); !ok {
			continue
		}
		if _, ok := r.Setup.Header.Pin(w.BoardPin); !ok {
			continue
		}
		from, to := mod.route(w.ModulePin, true), hdr.route(w.BoardPin, false)
		var d strings.Builder
		for i, pt := range from {
			fmt.Fprintf(&d, "%c%.1f %.1f", "ML"[min(i, 1)], pt[0], pt[1])
		}
		m, b := from[len(from)-1], to[len(to)-1]
		dx := (b[0] - m[0]) * 0.45
		fmt.Fprintf(&d, "C%.1f %.1f %.1f %.1f %.1f %.1f", m[0]+dx, m[1], b[0]-dx, b[1], b[0], b[1])
		for i := len(to) - 2; i >= 0; i-- {
			fmt.Fprintf(&d, "L%.1f %.1f", to[i][0], to[i][1])
		}
		dash := ""
		if bad[[2]int{w.ModulePin, w.BoardPin}] {
			dash = ` stroke-dasharray="8 5"`
		}
		s.printf(`<path d="%s" fill="none" stroke="%s" stroke-width="%.1f" stroke-linecap="round" stroke-linejoin="round" opacity="0.9"%s><title>%d → %d %s</title></path>`+"\n",
			d.String(), colourOf(w.Signal), svgWireW, dash, w.ModulePin, w.BoardPin, esc(w.Signal))
	}
}

type panelLine struct {
	text   string
	attrs  string
	indent float64
	swatch string
}

// panelLines is the text beside the drawing: the wire list, then the findings.
func (r *Report) panelLines() []panelLine {
	var ls []panelLine
	ls = append(ls, panelLine{text: "Wires (module pin → board pin)", attrs: ` font-weight="bold"`})
	rows := r.Rows()
	bad := r.errorWires()
	for i, w := range r.Wiring.Wires {
		t := fmt.Sprintf("%2s → %-2s %s", rows[i].ModulePin, rows[i].BoardPin, rows[i].ModuleName)
		if rows[i].BoardName != rows[i].ModuleName {
			t += " → " + rows[i].BoardName
		}
		pl := panelLine{text: t, indent: 26, swatch: colourOf(w.Signal)}
		if bad[[2]int{w.ModulePin, w.BoardPin}] {
			pl.text += "   ✗ error"
			pl.attrs = ` fill="#c62828" font-weight="bold"`
		}
		ls = append(ls, pl)
	}
	ls = append(ls, panelLine{}, panelLine{text: r.Summary(), attrs: ` font-weight="bold"`})
	for _, f := range r.Findings {
		colour := severityColours[f.Severity]
		ls = append(ls, panelLine{})
		head := true
		for _, l := range strings.Split(wrap(fmt.Sprintf("%s [%s] %s", strings.ToUpper(f.Severity.String()), f.Code, f.Message), svgWrapAt), "\n") {
			attrs := fmt.Sprintf(` fill="%s"`, colour)
			if head {
				attrs += ` font-weight="bold"`
			}
			ls = append(ls, panelLine{text: l, attrs: attrs})
			head = false
		}
		if pins := f.PinList(); pins != "" {
			ls = append(ls, indented("pins: "+pins)...)
		}
		if f.Fix != "" {
			ls = append(ls, indented("fix: "+f.Fix)...)
		}
	}
	return slices.Clip(ls)
}

// indented wraps a "pins: " or "fix: " line of a finding, the continuation lines aligned
// after the 5-character prefix.
func indented(text string) []panelLine {
	var ls []panelLine
	for i, l := range strings.Split(wrap(text, svgWrapAt-2), "\n") {
		ind := 16.0
		if i > 0 {
			ind = 16 + 5*svgCharW
		}
		ls = append(ls, panelLine{text: l, indent: ind, attrs: ` fill="#444"`})
	}
	return ls
}

// Colour returns the colour (#rrggbb) the drawings give a signal's wire.
func Colour(signal string) string { return colourOf(signal) }
