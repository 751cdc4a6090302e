package pinmap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"tpmbench/boards"
)

// svgText is a text element of a drawing with the box it covers, halo included.
type svgText struct {
	text                   string
	left, right, top, base float64
}

// svgWire is a wire of a drawing as a polyline sampled along its path.
type svgWire struct {
	title string
	pts   [][2]float64
}

// readDrawing collects the texts and the wires (paths with a title) of an SVG.
func readDrawing(t *testing.T, svg []byte) (texts []svgText, wires []svgWire) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var inText *svgText
	var inWire *svgWire
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return texts, wires
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch tok.Name.Local {
			case "text":
				x, _ := strconv.ParseFloat(attr["x"], 64)
				y, _ := strconv.ParseFloat(attr["y"], 64)
				inText = &svgText{left: x, right: x, top: y - svgTextUp, base: y + svgTextDown}
				switch attr["text-anchor"] {
				case "end":
					inText.left = math.Inf(-1) // widened below, once the text is known
				case "middle":
					inText.left = math.NaN()
				}
				inText.text = attr["text-anchor"]
			case "path":
				if attr["stroke-width"] == fmt.Sprintf("%.1f", svgWireW) {
					inWire = &svgWire{pts: samplePath(t, attr["d"])}
				}
			}
		case xml.CharData:
			if inText != nil {
				anchor, w := inText.text, float64(utf8.RuneCount(tok))*svgCharW
				inText.text = string(tok)
				switch anchor {
				case "end":
					inText.left = inText.right - w
				case "middle":
					inText.left, inText.right = inText.right-w/2, inText.right+w/2
				default:
					inText.right = inText.left + w
				}
				texts = append(texts, *inText)
				inText = nil
			}
			if inWire != nil {
				inWire.title += string(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "path" && inWire != nil {
				wires = append(wires, *inWire)
				inWire = nil
			}
			inText = nil
		}
	}
}

// samplePath turns a path of M, L and C commands into points a few pixels apart.
func samplePath(t *testing.T, d string) [][2]float64 {
	t.Helper()
	var pts [][2]float64
	var cmd byte
	var nums []float64
	flush := func() {
		switch {
		case cmd == 'M' && len(nums) == 2:
			pts = append(pts, [2]float64{nums[0], nums[1]})
		case cmd == 'L' && len(nums) == 2 && len(pts) > 0:
			a := pts[len(pts)-1]
			for i := 1; i <= 50; i++ {
				f := float64(i) / 50
				pts = append(pts, [2]float64{a[0] + f*(nums[0]-a[0]), a[1] + f*(nums[1]-a[1])})
			}
		case cmd == 'C' && len(nums) == 6 && len(pts) > 0:
			a := pts[len(pts)-1]
			for i := 1; i <= 200; i++ {
				f := float64(i) / 200
				g := 1 - f
				x := g*g*g*a[0] + 3*g*g*f*nums[0] + 3*g*f*f*nums[2] + f*f*f*nums[4]
				y := g*g*g*a[1] + 3*g*g*f*nums[1] + 3*g*f*f*nums[3] + f*f*f*nums[5]
				pts = append(pts, [2]float64{x, y})
			}
		case cmd != 0:
			t.Fatalf("path %q: cannot read command %c with %v", d, cmd, nums)
		}
		nums = nums[:0]
	}
	for _, field := range strings.FieldsFunc(d, func(r rune) bool { return r == ' ' }) {
		for field != "" {
			if c := field[0]; c == 'M' || c == 'L' || c == 'C' {
				flush()
				cmd, field = c, field[1:]
				continue
			}
			end := strings.IndexAny(field, "MLC")
			if end < 0 {
				end = len(field)
			}
			v, err := strconv.ParseFloat(field[:end], 64)
			if err != nil {
				t.Fatalf("path %q: %v", d, err)
			}
			nums, field = append(nums, v), field[end:]
		}
	}
	flush()
	return pts
}

// TestSVGWiresCrossNoText draws every module on every board and header and checks that no
// wire runs through the box of any text: pin labels stay readable.
func TestSVGWiresCrossNoText(t *testing.T) {
	db := openDB(t)
	for _, m := range db.Connectors() {
		if m.Role != boards.RoleModule {
			continue
		}
		for _, target := range targets(db) {
			r := NewReport(setup(t, db, m.ID, target), Generate(setup(t, db, m.ID, target)))
			var b bytes.Buffer
			if err := r.WriteSVG(&b); err != nil {
				t.Fatal(err)
			}
			texts, wires := readDrawing(t, b.Bytes())
			if len(r.Wiring.Wires) > 0 && len(wires) != len(r.Wiring.Wires) {
				t.Fatalf("%s on %s: read %d wires from the drawing, want %d", m.ID, target, len(wires), len(r.Wiring.Wires))
			}
			const half = svgWireW / 2
		wire:
			for _, w := range wires {
				for _, p := range w.pts {
					for _, tx := range texts {
						if p[0] > tx.left-half && p[0] < tx.right+half && p[1] > tx.top-half && p[1] < tx.base+half {
							t.Errorf("%s on %s: wire %s crosses the text %q at (%.1f, %.1f)", m.ID, target, w.title, tx.text, p[0], p[1])
							continue wire
						}
					}
				}
			}
		}
	}
}
