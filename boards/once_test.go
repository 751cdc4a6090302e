package boards

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// problems splits an error from ParseFile into its single problems.
func problems(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestParseFileReportsOnce: each mistake in a data file is reported exactly once, at the line
// of the value concerned (or of the entry, for a key that is absent), and the message for a
// missing field says what it must hold.
func TestParseFileReportsOnce(t *testing.T) {
	pinsAt := strings.Index(goodUserFile, "    pins:\n")
	boardsAt := strings.Index(goodUserFile, "boards:\n")
	noPins := goodUserFile[:pinsAt] + goodUserFile[boardsAt:]
	edit := func(old, new string) string { return strings.Replace(goodUserFile, old, new, 1) }
	tests := []struct {
		name string
		text string
		line int
		want string
	}{
		{"wrong bus", edit("    bus: lpc", "    bus: isa"), 6, `bus "isa": must be one of lpc, spi`},
		{"misspelt bus", edit("    bus: lpc", "    buss: lpc"), 6, `unknown key "buss" (did you mean "bus"?)`},
		{"wrong confidence", edit("    confidence: INF\n    pins:", "    confidence: 3S\n    pins:"), 8, `confidence "3S": must be one of 2S, 1S, INF, WRITEUP, UNCONFIRMED`},
		{"wrong gender", edit("gender: male", "gender: mail"), 7, `geometry gender "mail": must be one of male, female, holes`},
		{"three rows", edit("rows: 2", "rows: 3"), 7, "rows must be 1 or 2, found 3"},
		{"no numbering", edit(" numbering: odd-even,", ""), 7, "geometry: numbering is missing; it must be one of odd-even, single-row"},
		{"pin number text", edit("{pin: 1,", "{pin: one,"), 10, "pin number must be a whole number"},
		{"pin number zero", edit("{pin: 1,", "{pin: 0,"), 10, "every pin needs a number of 1 or more"},
		{"signal not text", edit("signal: LAD2", "signal: [LAD2]"), 16, "signal must be text, found a list"},
		{"wrong pin confidence", edit("{pin: 2, signal: GND, confidence: INF}", "{pin: 2, signal: GND, confidence: 9S}"), 11, `pin confidence "9S": must be one of`},
		{"pin confidence missing", edit("{pin: 2, signal: GND, confidence: INF}", "{pin: 2, signal: GND}"), 11, "pin 2: confidence is missing; it must be one of 2S, 1S, INF, WRITEUP, UNCONFIRMED"},
		{"geometry missing", edit("    geometry: {rows: 2, cols: 5, pitch_mm: 2.54, numbering: odd-even, gender: male, footprint: header}\n", ""), 3, "connector my-header: geometry is missing; it is a mapping such as {rows: 2, cols: 10"},
		{"confidence missing", edit("    confidence: INF\n    pins:", "    pins:"), 3, "connector my-header: confidence is missing; it must be one of 2S, 1S, INF, WRITEUP, UNCONFIRMED"},
		{"pins missing", noPins, 3, "connector my-header: pins is missing; it is a list with one entry per pin position, such as - {pin: 1"},
		{"name empty", edit("    name: My 2x3 test header", `    name: ""`), 4, "connector my-header: name is empty"},
		{"wrong family", edit("family: other", "family: desktop"), 23, `family "desktop": must be one of apu, alix, other`},
		{"family missing", edit("    family: other\n", ""), 21, "board my-board: family is missing; it must be one of apu, alix, other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.text == goodUserFile {
				t.Fatal("the edit did not apply")
			}
			_, err := ParseFile("mine.yaml", []byte(tt.text))
			if err == nil {
				t.Fatal("no error")
			}
			ps := problems(err)
			if len(ps) != 1 {
				t.Fatalf("%d problems reported, want 1:\n%v", len(ps), err)
			}
			want := fmt.Sprintf("boards: mine.yaml:%d: ", tt.line)
			if got := ps[0].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, tt.want) {
				t.Errorf("error\n%s\nwant it to start with %q and contain %q", got, want, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error is not ErrInvalid: %v", err)
			}
		})
	}
}
