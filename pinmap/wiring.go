package pinmap

import (
	"cmp"
	"fmt"
	"slices"

	"tpmbench/boards"
)

// Wire is one connection from a module pin to a board header pin.
type Wire struct {
	ModulePin   int    `json:"module_pin"`     // pin number on the module's connector
	BoardPin    int    `json:"board_pin"`      // pin number on the board's header
	Signal      string `json:"signal"`         // the module pin's signal: what the TPM sees on this wire
	BoardSignal string `json:"board_signal"`   // the board pin's signal: the net the wire is joined to
	Note        string `json:"note,omitempty"` // why the wire is there or what is special about it
	Line        int    `json:"line,omitempty"` // line in the wiring file it came from; 0 when generated
}

// Wiring is a module connected to a board header by wires.
type Wiring struct {
	Module  string `json:"module"`             // module connector id
	Board   string `json:"board"`              // board header connector id
	BoardID string `json:"board_id,omitempty"` // the board the header was chosen through, if any
	Wires   []Wire `json:"wires"`              // the wires, in file order or by module pin when generated
}

// Setup is the resolved pair a wiring connects.
type Setup struct {
	Module *boards.Connector // the TPM module's connector
	Header *boards.Connector // the board's TPM header
	Board  *boards.Board     // nil when the header was named directly
}

// Resolve looks up a module connector id and a board or header id.
func Resolve(db *boards.DB, moduleID, boardID string) (Setup, error) {
	m, err := db.Module(moduleID)
	if err != nil {
		return Setup{}, fmt.Errorf("pinmap: %w", err)
	}
	h, b, err := db.ResolveHeader(boardID)
	if err != nil {
		return Setup{}, fmt.Errorf("pinmap: %w", err)
	}
	return Setup{Module: m, Header: h, Board: b}, nil
}

// Target is the name the board side goes by: the board id, or the header id.
func (s Setup) Target() string {
	if s.Board != nil {
		return s.Board.ID
	}
	return s.Header.ID
}

// directFit reports whether the module plugs straight onto the header: same shape, and every
// module pin that carries something meets a board pin with the same signal.
func (s Setup) directFit() bool {
	if !s.Module.Geometry.Same(s.Header.Geometry) {
		return false
	}
	for _, mp := range s.Module.Pins {
		if mp.Signal.Class() == boards.ClassNone {
			continue
		}
		if bp := s.Header.Pins[mp.Number-1]; bp.Signal != mp.Signal {
			return false
		}
	}
	return true
}

// groundWires is how many ground wires a generated wiring gets: two give a return path
// at both ends of the connector.
const groundWires = 2

// Generate matches module pins to board pins by signal. Bus and sideband lines go to the
// board pin of the same signal; supply pins go to the board's rail of the same name, and a
// standby pin to the main 3.3 V rail when the board has no standby rail (the reference bench
// did that); two ground wires are added, same pin numbers preferred. Pins marked
// never-connect are never used, and nothing is wired across buses (LPC to SPI). When the
// module plugs straight onto the header the wiring lists the connections the plug makes.
func Generate(s Setup) Wiring {
	w := Wiring{Module: s.Module.ID, Board: s.Header.ID}
	if s.Board != nil {
		w.BoardID = s.Board.ID
	}
	if s.Module.Bus != s.Header.Bus {
		return w // nothing to wire: Check says why
	}
	if s.directFit() {
		for _, mp := range s.Module.Pins {
			if mp.Signal.Class() != boards.ClassNone {
				w.Wires = append(w.Wires, newWire(mp, s.Header.Pins[mp.Number-1], "through the plug"))
			}
		}
		return w
	}
	for _, mp := range s.Module.Pins {
		switch mp.Signal.Class() {
		case boards.ClassBus, boards.ClassSideband:
			if bp, ok := usable(s.Header, mp.Signal, mp.Number); ok {
				w.Wires = append(w.Wires, newWire(mp, bp, ""))
			}
		case boards.ClassPower:
			if bp, note, ok := rail(s.Header, mp); ok {
				w.Wires = append(w.Wires, newWire(mp, bp, note))
			}
		}
	}
	w.Wires = append(w.Wires, grounds(s.Module, s.Header)...)
	sortWires(w.Wires)
	return w
}

func newWire(mp, bp boards.Pin, note string) Wire {
	return Wire{ModulePin: mp.Number, BoardPin: bp.Number, Signal: string(mp.Signal), BoardSignal: string(bp.Signal), Note: note}
}

// usable returns the board pin carrying signal s that may be connected, preferring pin
// number near.
func usable(h *boards.Connector, s boards.Signal, near int) (boards.Pin, bool) {
	var best boards.Pin
	found := false
	for _, bp := range h.Pins {
		if bp.Signal != s || bp.Never != "" {
			continue
		}
		if !found || abs(bp.Number-near) < abs(best.Number-near) {
			best, found = bp, true
		}
	}
	return best, found
}

func abs(n int) int { return max(n, -n) }

// rail picks the board supply pin for a module supply pin.
func rail(h *boards.Connector, mp boards.Pin) (boards.Pin, string, bool) {
	switch mp.Signal {
	case boards.V3V3:
		if bp, ok := usable(h, boards.V3V3, mp.Number); ok {
			return bp, "", true
		}
		if bp, ok := usable(h, boards.V3V3SB, mp.Number); ok {
			return bp, "no main 3.3 V on the board: fed from the standby rail", true
		}
	case boards.V3V3SB:
		if bp, ok := usable(h, boards.V3V3SB, mp.Number); ok {
			return bp, "", true
		}
		if bp, ok := usable(h, boards.V3V3, mp.Number); ok {
			return bp, "no standby rail on the board: tied to +3V3", true
		}
	}
	// +5V module pins are never wired automatically.
	return boards.Pin{}, "", false
}

// grounds picks up to groundWires module-ground to board-ground pairs: same pin numbers first
// (the outermost ones, to spread them), then the nearest free board ground.
func grounds(m, h *boards.Connector) []Wire {
	mg, hg := m.PinsWith(boards.GND), h.PinsWith(boards.GND)
	if len(mg) == 0 || len(hg) == 0 {
		return nil
	}
	var same []int
	for _, n := range mg {
		if slices.Contains(hg, n) {
			same = append(same, n)
		}
	}
	var pairs [][2]int
	switch {
	case len(same) >= groundWires:
		pairs = [][2]int{{same[0], same[0]}, {same[len(same)-1], same[len(same)-1]}}
	case len(same) == 1:
		pairs = [][2]int{{same[0], same[0]}}
	}
	usedM := func(n int) bool { return slices.ContainsFunc(pairs, func(p [2]int) bool { return p[0] == n }) }
	usedH := func(n int) bool { return slices.ContainsFunc(pairs, func(p [2]int) bool { return p[1] == n }) }
	for _, mn := range []int{mg[0], mg[len(mg)-1]} {
		if len(pairs) >= groundWires || usedM(mn) {
			continue
		}
		best := 0
		for _, hn := range hg {
			if !usedH(hn) && (best == 0 || abs(hn-mn) < abs(best-mn)) {
				best = hn
			}
		}
		if best == 0 {
			break
		}
		pairs = append(pairs, [2]int{mn, best})
	}
	wires := make([]Wire, 0, len(pairs))
	for _, p := range pairs {
		wires = append(wires, Wire{ModulePin: p[0], BoardPin: p[1], Signal: string(boards.GND), BoardSignal: string(boards.GND), Note: "ground"})
	}
	return wires
}

func sortWires(ws []Wire) {
	slices.SortStableFunc(ws, func(a, b Wire) int {
		return cmp.Or(cmp.Compare(a.ModulePin, b.ModulePin), cmp.Compare(a.BoardPin, b.BoardPin))
	})
}
