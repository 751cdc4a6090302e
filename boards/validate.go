package boards

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxPins bounds a connector's size; TPM headers have at most 20 pins, so 200 leaves room.
const maxPins = 200

func (p *parser) connector(n *yaml.Node) *Connector {
	c := &Connector{File: p.file, Line: n.Line}
	var pinsNode *yaml.Node
	p.mapping(n, "connector", map[string]func(*yaml.Node){
		"id":         func(v *yaml.Node) { p.id(v, "connector id", &c.ID) },
		"name":       func(v *yaml.Node) { p.str(v, "name", &c.Name) },
		"vendor":     func(v *yaml.Node) { p.str(v, "vendor", &c.Vendor) },
		"role":       func(v *yaml.Node) { p.oneOf(v, "role", &c.Role, RoleHeader, RoleModule) },
		"bus":        func(v *yaml.Node) { p.oneOf(v, "bus", &c.Bus, "lpc", "spi") },
		"geometry":   func(v *yaml.Node) { p.geometry(v, &c.Geometry) },
		"confidence": func(v *yaml.Node) { p.confidence(v, "confidence", &c.Confidence) },
		"sources":    func(v *yaml.Node) { p.strs(v, "sources", &c.Sources) },
		"chip":       func(v *yaml.Node) { p.str(v, "chip", &c.Chip) },
		"notes":      func(v *yaml.Node) { p.str(v, "notes", &c.Notes) },
		"pins":       func(v *yaml.Node) { pinsNode = v },
	})
	if n.Kind != yaml.MappingNode {
		return nil
	}
	where := "connector"
	if c.ID != "" {
		where = fmt.Sprintf("connector %s", c.ID)
	}
	for _, req := range []struct {
		key string
		ok  bool
	}{
		{"id", c.ID != ""}, {"name", c.Name != ""}, {"role", c.Role != ""}, {"bus", c.Bus != ""},
		{"geometry", c.Geometry.Rows > 0}, {"confidence", c.Confidence != ""}, {"pins", pinsNode != nil},
	} {
		if !req.ok {
			p.errorf(n, "%s: %s is missing or invalid", where, req.key)
		}
	}
	if pinsNode == nil || c.Geometry.Rows == 0 {
		return nil
	}
	p.list(pinsNode, where+": pins", func(item *yaml.Node) {
		if pin, ok := p.pin(item, where); ok {
			c.Pins = append(c.Pins, pin)
		}
	})
	p.checkPins(pinsNode, where, c)
	if c.ID == "" {
		return nil
	}
	return c
}

func (p *parser) geometry(n *yaml.Node, g *Geometry) {
	var rows, cols int
	p.mapping(n, "geometry", map[string]func(*yaml.Node){
		"rows":      func(v *yaml.Node) { p.int(v, "geometry rows", &rows) },
		"cols":      func(v *yaml.Node) { p.int(v, "geometry cols", &cols) },
		"pitch_mm":  func(v *yaml.Node) { p.float(v, "geometry pitch_mm", &g.PitchMM) },
		"numbering": func(v *yaml.Node) { p.oneOf(v, "geometry numbering", &g.Numbering, "odd-even", "single-row") },
		"gender":    func(v *yaml.Node) { p.oneOf(v, "geometry gender", &g.Gender, "male", "female", "holes") },
		"footprint": func(v *yaml.Node) { p.oneOf(v, "geometry footprint", &g.Footprint, "header", "holes") },
		"keys":      func(v *yaml.Node) { p.ints(v, "geometry keys", &g.Keys) },
	})
	if n.Kind != yaml.MappingNode {
		return
	}
	ok := true
	switch {
	case rows != 1 && rows != 2:
		p.errorf(n, "geometry: rows must be 1 or 2, found %d", rows)
		ok = false
	case cols < 1 || rows*cols > maxPins:
		p.errorf(n, "geometry: cols must be between 1 and %d, found %d", maxPins/rows, cols)
		ok = false
	case !(g.PitchMM > 0 && g.PitchMM <= 10):
		p.errorf(n, "geometry: pitch_mm must be between 0 and 10 mm, found %g", g.PitchMM)
		ok = false
	case g.Numbering == "" || g.Gender == "" || g.Footprint == "":
		p.errorf(n, "geometry: numbering, gender and footprint are all required")
		ok = false
	case (rows == 2) != (g.Numbering == "odd-even"):
		p.errorf(n, "geometry: numbering %q does not fit %d row(s); use odd-even for 2 rows, single-row for 1", g.Numbering, rows)
		ok = false
	}
	if ok {
		g.Rows, g.Cols = rows, cols
	}
}

func (p *parser) pin(n *yaml.Node, where string) (Pin, bool) {
	pin := Pin{Line: n.Line}
	var sig, dir string
	var sigNode *yaml.Node
	p.mapping(n, where+": pin", map[string]func(*yaml.Node){
		"pin":        func(v *yaml.Node) { p.int(v, "pin number", &pin.Number) },
		"signal":     func(v *yaml.Node) { sigNode = v; p.str(v, "signal", &sig) },
		"label":      func(v *yaml.Node) { p.str(v, "label", &pin.Label) },
		"dir":        func(v *yaml.Node) { p.str(v, "dir", &dir) },
		"level":      func(v *yaml.Node) { p.oneOf(v, "level", &pin.Level, "3.3V", "5V", "0V") },
		"confidence": func(v *yaml.Node) { p.confidence(v, "pin confidence", &pin.Confidence) },
		"sources":    func(v *yaml.Node) { p.strs(v, "pin sources", &pin.Sources) },
		"never":      func(v *yaml.Node) { p.str(v, "never", &pin.Never) },
		"note":       func(v *yaml.Node) { p.str(v, "note", &pin.Note) },
	})
	if n.Kind != yaml.MappingNode {
		return pin, false
	}
	if pin.Number < 1 {
		p.errorf(n, "%s: every pin needs a number of 1 or more (pin: N)", where)
		return pin, false
	}
	where = fmt.Sprintf("%s: pin %d", where, pin.Number)
	if sigNode == nil {
		p.errorf(n, "%s: signal is missing", where)
		return pin, false
	}
	info, ok := LookupSignal(Signal(sig))
	if !ok {
		var names []string
		for _, s := range signalTable {
			names = append(names, string(s.Name))
		}
		hint := ""
		if s := Suggest(sig, names); len(s) > 0 {
			hint = fmt.Sprintf("did you mean %s? ", s[0])
		}
		p.errorf(sigNode, "%s: unknown signal %q; %scanonical signals: %s (vendor names go in label)", where, sig, hint, strings.Join(names, ", "))
		return pin, false
	}
	pin.Signal = info.Name
	if pin.Confidence == "" {
		p.errorf(n, "%s: confidence is missing (2S, 1S, INF, WRITEUP or UNCONFIRMED)", where)
	}
	pin.Dir = info.Dir
	if dir != "" {
		if !slices.Contains(directions, Direction(dir)) {
			p.errorf(n, "%s: dir %q: must be one of h2d, d2h, bidir, od, pwr, gnd, none, unknown", where, dir)
		} else if fixed := info.Class == ClassPower || info.Class == ClassGround || info.Class == ClassNone; fixed && Direction(dir) != info.Dir {
			p.errorf(n, "%s: dir %q contradicts signal %s (always %s)", where, dir, info.Name, info.Dir)
		} else {
			pin.Dir = Direction(dir)
		}
	}
	if pin.Level == "" {
		pin.Level = info.Level
	} else if info.Class == ClassPower && pin.Level != info.Level {
		p.errorf(n, "%s: level %s contradicts rail %s", where, pin.Level, info.Name)
	}
	return pin, true
}

// checkPins checks the pin list against the geometry and sorts it by number.
func (p *parser) checkPins(n *yaml.Node, where string, c *Connector) {
	g := c.Geometry
	total := g.Rows * g.Cols
	byNum := map[int]Pin{}
	for _, pin := range c.Pins {
		if pin.Number > total {
			p.errorf(&yaml.Node{Line: pin.Line}, "%s: pin %d is beyond the %dx%d geometry (pins 1-%d)", where, pin.Number, g.Rows, g.Cols, total)
			continue
		}
		if prev, dup := byNum[pin.Number]; dup {
			p.errorf(&yaml.Node{Line: pin.Line}, "%s: pin %d given twice (first at line %d)", where, pin.Number, prev.Line)
			continue
		}
		byNum[pin.Number] = pin
	}
	var missing []string
	sorted := make([]Pin, 0, total)
	for i := 1; i <= total; i++ {
		pin, ok := byNum[i]
		if !ok {
			missing = append(missing, fmt.Sprint(i))
			continue
		}
		sorted = append(sorted, pin)
	}
	if len(missing) > 0 {
		p.errorf(n, "%s: pins %s are missing; list every position of the %dx%d header (use signal KEY for a missing pin, NC for an unconnected one)", where, strings.Join(missing, ", "), g.Rows, g.Cols)
		return
	}
	c.Pins = sorted
	for _, k := range g.Keys {
		if k < 1 || k > total {
			p.errorf(n, "%s: key %d is not a pin of the %dx%d header", where, k, g.Rows, g.Cols)
		} else if c.Pins[k-1].Signal != KEY {
			p.errorf(&yaml.Node{Line: c.Pins[k-1].Line}, "%s: pin %d is a key in geometry but has signal %s; use KEY", where, k, c.Pins[k-1].Signal)
		}
	}
	seen := map[Signal]int{}
	for _, pin := range c.Pins {
		if pin.Signal == KEY && !slices.Contains(g.Keys, pin.Number) {
			p.errorf(&yaml.Node{Line: pin.Line}, "%s: pin %d has signal KEY but is not in geometry keys", where, pin.Number)
		}
		cls := pin.Signal.Class()
		if cls != ClassBus && cls != ClassSideband {
			continue
		}
		if first, dup := seen[pin.Signal]; dup {
			p.errorf(&yaml.Node{Line: pin.Line}, "%s: signal %s on pins %d and %d; an LPC signal appears once per connector", where, pin.Signal, first, pin.Number)
		}
		seen[pin.Signal] = pin.Number
	}
}

func (p *parser) board(n *yaml.Node) *Board {
	b := &Board{File: p.file, Line: n.Line}
	p.mapping(n, "board", map[string]func(*yaml.Node){
		"id":         func(v *yaml.Node) { p.id(v, "board id", &b.ID) },
		"name":       func(v *yaml.Node) { p.str(v, "name", &b.Name) },
		"aliases":    func(v *yaml.Node) { p.strs(v, "aliases", &b.Aliases) },
		"vendor":     func(v *yaml.Node) { p.str(v, "vendor", &b.Vendor) },
		"family":     func(v *yaml.Node) { p.oneOf(v, "family", &b.Family, "apu", "alix", "other") },
		"chipset":    func(v *yaml.Node) { p.str(v, "chipset", &b.Chipset) },
		"connector":  func(v *yaml.Node) { p.id(v, "connector", &b.Connector) },
		"confidence": func(v *yaml.Node) { p.confidence(v, "confidence", &b.Confidence) },
		"sources":    func(v *yaml.Node) { p.strs(v, "sources", &b.Sources) },
		"notes":      func(v *yaml.Node) { p.str(v, "notes", &b.Notes) },
	})
	if n.Kind != yaml.MappingNode {
		return nil
	}
	where := "board"
	if b.ID != "" {
		where = "board " + b.ID
	}
	for _, req := range []struct {
		key string
		ok  bool
	}{{"id", b.ID != ""}, {"name", b.Name != ""}, {"family", b.Family != ""}, {"chipset", b.Chipset != ""}, {"connector", b.Connector != ""}, {"confidence", b.Confidence != ""}} {
		if !req.ok {
			p.errorf(n, "%s: %s is missing or invalid", where, req.key)
		}
	}
	for _, a := range b.Aliases {
		if !idRE.MatchString(a) {
			p.errorf(n, "%s: alias %q: use lowercase letters, digits and single dashes", where, a)
		}
	}
	if b.ID == "" || b.Connector == "" {
		return nil
	}
	return b
}
