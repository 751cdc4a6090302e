package lpcsim

import (
	"fmt"
	"math/rand/v2"
)

// Wire is one conductor between a board header pin and a module pin, named
// by the signals those pins carry. A correct wiring joins each signal to
// itself; a wrong one (Board LAD1, Module LAD2) carries the board's line to
// the wrong module input.
type Wire struct {
	Board  Signal // the signal of the board header pin
	Module Signal // the signal of the module pin
}

// StraightWiring returns the correct wiring of the given signals: each board
// signal joined to the same module signal.
func StraightWiring(signals ...Signal) []Wire {
	out := make([]Wire, len(signals))
	for i, s := range signals {
		out[i] = Wire{Board: s, Module: s}
	}
	return out
}

// FullWiring is the straight wiring of every modelled signal.
func FullWiring() []Wire { return StraightWiring(Signals()...) }

// net is a set of electrically joined pins. board and module are masks of the
// logic lines on each side that belong to it.
type net struct {
	board, module uint32
	clock         bool   // holds the board's LCLK, so the host clocks it
	force         int8   // -1 none, 0 held low, 1 held high
	flip          uint64 // flip when a random uint64 is below this; 0 never
}

// wires holds the resolved topology of a bench: its nets, whether the module
// is powered, and the random source of intermittent faults.
type wires struct {
	nets     []net
	straight bool   // every net holds one signal (either side or both), none stuck or flipping
	conn     uint32 // straight: the lines joined board to module
	powered  bool
	whyDead  string
	modClock int // index of the net holding the module's LCLK pin
	rng      *rand.Rand
	prevClk  bool
}

// node numbering for the union-find: board signal s is s, module signal s is
// numSignals+s.
const numNodes = 2 * int(numSignals)

func buildWires(ws []Wire, faults []Fault) (*wires, error) {
	ws = append([]Wire(nil), ws...)
	for _, w := range ws {
		if w.Board >= numSignals || w.Module >= numSignals {
			return nil, fmt.Errorf("lpcsim: wire %d-%d names an unknown signal", w.Board, w.Module)
		}
	}
	var parent [numNodes]int
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int) { parent[find(a)] = find(b) }

	var force [numNodes]int8 // per board node, applied to its net
	for i := range force {
		force[i] = -1
	}
	var flipRate [numSignals]float64
	var seed uint64
	for _, f := range faults {
		if err := f.Check(); err != nil {
			return nil, err
		}
		switch f.Kind {
		case Open:
			ws = cut(ws, f.Line)
		case StuckLow:
			force[f.Line] = 0
		case StuckHigh:
			force[f.Line] = 1
		case Swap:
			for i := range ws {
				switch ws[i].Module {
				case f.Line:
					ws[i].Module = f.Other
				case f.Other:
					ws[i].Module = f.Line
				}
			}
		case Bridge:
			union(int(f.Line), int(f.Other))
		case Flip:
			flipRate[f.Line] = f.Rate
			seed = seed*31 + f.Seed + 1
		}
	}
	for _, w := range ws {
		union(int(w.Board), int(numSignals)+int(w.Module))
	}

	w := &wires{straight: true}
	w.rng = rand.New(rand.NewPCG(seed, 0x6c7063))
	index := map[int]int{}
	for node := 0; node < numNodes; node++ {
		sig := Signal(node % int(numSignals))
		if !sig.IsLine() {
			continue
		}
		root := find(node)
		i, ok := index[root]
		if !ok {
			i = len(w.nets)
			index[root] = i
			w.nets = append(w.nets, net{force: -1})
		}
		n := &w.nets[i]
		if node < int(numSignals) {
			n.board |= 1 << sig
			if sig == LCLK {
				n.clock = true
			}
			if force[node] >= 0 {
				n.force = force[node]
			}
			if r := flipRate[sig]; r > 0 {
				n.flip = uint64(r * (1 << 63) * 2)
				if r >= 1 {
					n.flip = ^uint64(0)
				}
			}
		} else {
			n.module |= 1 << sig
			if sig == LCLK {
				w.modClock = i
			}
		}
	}
	// A line joined to a board supply or ground reads that level.
	for sig := V3P3; sig < numSignals; sig++ {
		if i, ok := index[find(int(sig))]; ok {
			w.nets[i].force = 1
			if sig == GND {
				w.nets[i].force = 0
			}
		}
	}
	for _, n := range w.nets {
		if n.board != 0 && n.module != 0 && n.board != n.module || n.force >= 0 || n.flip != 0 ||
			popcount(n.board) > 1 || popcount(n.module) > 1 {
			w.straight = false
		}
		if n.board != 0 && n.board == n.module {
			w.conn |= n.board
		}
	}
	w.powered, w.whyDead = power(find, force)
	return w, nil
}

func popcount(x uint32) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// cut removes every wire whose board end carries s.
func cut(ws []Wire, s Signal) []Wire {
	out := ws[:0]
	for _, w := range ws {
		if w.Board != s {
			out = append(out, w)
		}
	}
	return out
}

// power decides whether the module gets +3V3 and ground through the wires.
func power(find func(int) int, force [numNodes]int8) (bool, string) {
	m := func(s Signal) int { return find(int(numSignals) + int(s)) }
	b := func(s Signal) int { return find(int(s)) }
	switch {
	case m(V3P3) == b(GND) || force[V3P3] == 0:
		return false, "the module's +3V3 is shorted to ground"
	case m(V3P3) == b(V5):
		return false, "the module's +3V3 pin is on the board's +5V"
	case m(V3P3) != b(V3P3):
		return false, "the module's +3V3 pin is not connected to the board's +3V3"
	case m(GND) != b(GND) || force[GND] == 1:
		return false, "the module's ground is not connected to the board's ground"
	}
	return true, ""
}

// resolve returns the board-side and module-side view of the logic lines
// given the lines each side pulls low: wired-AND, undriven lines read their
// pull-up (1), then stuck and flipping lines. It also reports whether the
// module sees a rising LCLK edge this clock.
func (w *wires) resolve(lowB, lowM uint32) (board, module uint32, edge bool) {
	if w.straight {
		return ^(lowB | lowM&w.conn) & lineMask, ^(lowM | lowB&w.conn) & lineMask, w.conn&bitClock != 0
	}
	for i := range w.nets {
		n := &w.nets[i]
		hi := lowB&n.board|lowM&n.module == 0
		if n.force >= 0 {
			hi = n.force == 1
		}
		if n.flip != 0 && w.rng.Uint64() < n.flip {
			hi = !hi
		}
		if hi {
			board |= n.board
			module |= n.module
		}
	}
	clk := &w.nets[w.modClock]
	high := module&bitClock != 0
	low := w.prevClk
	if clk.clock {
		low = clk.force == 1
	}
	w.prevClk = high
	return board, module, high && !low
}
