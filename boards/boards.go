package boards

import (
	"fmt"
	"slices"
)

// Pin is one position of a connector.
type Pin struct {
	Number     int        `json:"pin"`               // position on the connector, from 1
	Signal     Signal     `json:"signal"`            // canonical signal name
	Label      string     `json:"label,omitempty"`   // the vendor's name for the pin
	Dir        Direction  `json:"dir"`               // direction seen from the host
	Level      string     `json:"level,omitempty"`   // "3.3V", "5V", "0V" or "" when not known
	Confidence Confidence `json:"confidence"`        // how well the sources establish the pin
	Sources    []string   `json:"sources,omitempty"` // source keys, see data/sources.md
	Never      string     `json:"never,omitempty"`   // non-empty: never connect this pin, and why
	Note       string     `json:"note,omitempty"`    // free text from the data file
	Line       int        `json:"-"`                 // line of the pin's entry in its data file
}

// Name is the signal with the vendor's label when that differs: "LCLK (PCICLK)".
func (p Pin) Name() string {
	if p.Label == "" || p.Label == string(p.Signal) {
		return string(p.Signal)
	}
	if p.Signal == Other || p.Signal == Unknown {
		return p.Label
	}
	return fmt.Sprintf("%s (%s)", p.Signal, p.Label)
}

// Geometry is the physical shape of a connector.
type Geometry struct {
	Rows      int     `json:"rows"`           // 1 or 2
	Cols      int     `json:"cols"`           // pins per row
	PitchMM   float64 `json:"pitch_mm"`       // pin spacing in millimetres
	Numbering string  `json:"numbering"`      // "odd-even" or "single-row"
	Gender    string  `json:"gender"`         // "male", "female" or "holes"
	Footprint string  `json:"footprint"`      // "header" or "holes" (takes no standard header)
	Keys      []int   `json:"keys,omitempty"` // pins that are missing or blocked; their signal is KEY
}

// Position returns the row and column (both from 0) of pin n seen from above, pin 1 at row 0,
// column 0. With odd-even numbering the odd pins form column 0 and the even pins column 1,
// one line per pin pair; a single row is one column.
func (g Geometry) Position(n int) (line, col int) {
	if g.Rows == 2 {
		return (n - 1) / 2, (n - 1) % 2
	}
	return n - 1, 0
}

// Same reports whether two geometries are mechanically alike: a socket of one fits a
// header of the other, keys aside.
func (g Geometry) Same(o Geometry) bool {
	return g.Rows == o.Rows && g.Cols == o.Cols && g.PitchMM == o.PitchMM && g.Numbering == o.Numbering
}

// Connector roles.
const (
	RoleHeader = "header" // a header on a mainboard: the host side
	RoleModule = "module" // the socket of a TPM module: the device side
)

// Connector is a TPM header or a module's socket.
type Connector struct {
	ID         string     `json:"id"`                // unique id, e.g. pcengines-lpc-2x10
	Name       string     `json:"name"`              // one-line name for people
	Vendor     string     `json:"vendor,omitempty"`  // maker of the board or module
	Role       string     `json:"role"`              // RoleHeader or RoleModule
	Bus        string     `json:"bus"`               // "lpc" or "spi"
	Geometry   Geometry   `json:"geometry"`          // physical shape
	Confidence Confidence `json:"confidence"`        // of the connector as a whole
	Sources    []string   `json:"sources,omitempty"` // source keys, see data/sources.md
	Chip       string     `json:"chip,omitempty"`    // the TPM chip, for modules
	Notes      string     `json:"notes,omitempty"`   // free text from the data file
	Pins       []Pin      `json:"pins"`              // ordered by number, pin n at index n-1
	File       string     `json:"-"`                 // data file it came from
	Line       int        `json:"-"`                 // line of its entry in that file
}

// Pin returns pin n, or false when the connector has no such pin.
func (c *Connector) Pin(n int) (Pin, bool) {
	if n < 1 || n > len(c.Pins) {
		return Pin{}, false
	}
	return c.Pins[n-1], true
}

// PinsWith returns the numbers of the pins carrying signal s, ascending.
func (c *Connector) PinsWith(s Signal) []int {
	var ns []int
	for _, p := range c.Pins {
		if p.Signal == s {
			ns = append(ns, p.Number)
		}
	}
	return ns
}

// Has reports whether any pin carries signal s.
func (c *Connector) Has(s Signal) bool {
	return slices.ContainsFunc(c.Pins, func(p Pin) bool { return p.Signal == s })
}

// Board is a mainboard and the connector its TPM goes on.
type Board struct {
	ID         string     `json:"id"`                // unique id, e.g. apu1d
	Name       string     `json:"name"`              // one-line name for people
	Aliases    []string   `json:"aliases,omitempty"` // other ids that name this board
	Vendor     string     `json:"vendor,omitempty"`  // maker of the board
	Family     string     `json:"family"`            // "apu", "alix" or "other": selects the simulator's host profile
	Chipset    string     `json:"chipset"`           // chipset as the sources name it, or "unknown"
	Connector  string     `json:"connector"`         // id of the connector its TPM goes on
	Confidence Confidence `json:"confidence"`        // how well the sources establish the entry
	Sources    []string   `json:"sources,omitempty"` // source keys, see data/sources.md
	Notes      string     `json:"notes,omitempty"`   // free text from the data file
	File       string     `json:"-"`                 // data file it came from
	Line       int        `json:"-"`                 // line of its entry in that file
}
