package pinmap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// wellFormed reads the SVG through an XML decoder and counts the elements by name.
func wellFormed(t *testing.T, svg []byte) map[string]int {
	t.Helper()
	counts := map[string]int{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return counts
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
		}
	}
}

func TestSVGMarksErrorsAndPins(t *testing.T) {
	db := openDB(t)
	text := referenceFile + "  - {module: 9, board: 16}\n"
	s, w, err := ParseWiring(db, "five-volt.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(s, w)
	var b bytes.Buffer
	if err := r.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	counts := wellFormed(t, b.Bytes())
	svg := b.String()
	if got := strings.Count(svg, `stroke-dasharray="8 5"`); got != 1 {
		t.Errorf("%d dashed wires, want 1 (the 5 V wire)", got)
	}
	if !strings.Contains(svg, "9 → 16 +3V3 (+3V) → +5V (Vcc)   ✗ error") {
		t.Error("the wire list does not flag the 5 V wire")
	}
	// One path per wire; pin 1 of each header is a square; the key is crossed; the four
	// never-connect pins of the board are red.
	if counts["path"] != len(w.Wires)+1 {
		t.Errorf("%d paths, want %d wires + 1 key cross", counts["path"], len(w.Wires))
	}
	if got := strings.Count(svg, `fill="#e53935"`); got != 4 {
		t.Errorf("%d red never-connect pins, want 4", got)
	}
	if !strings.Contains(svg, "ERROR [no-ground]") || !strings.Contains(svg, "ERROR [five-volt]") {
		t.Error("the findings are not listed beside the drawing")
	}
}

// TestSVGToScale: pin spacing in the drawing follows each header's pitch.
func TestSVGToScale(t *testing.T) {
	db := openDB(t)
	for _, tt := range []struct {
		module, board string
		pitch         float64
	}{
		{"asus-tpm-20-1", "apu1d", 2.54},
		{"asus-tpm-20-1", "gigabyte-tpm-12-1", 2.0},
	} {
		s := setup(t, db, tt.module, tt.board)
		hb := newHeaderBox(s.Header)
		_, y1 := hb.centre(1)
		_, y3 := hb.centre(3)
		if got := (y3 - y1) / svgScale; got < tt.pitch-0.001 || got > tt.pitch+0.001 {
			t.Errorf("%s: pins 1 and 3 are %.3f mm apart in the drawing, want %.2f", tt.board, got, tt.pitch)
		}
	}
}
