package boards

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxPins bounds a connector's size; TPM headers have at most 20 pins, so 200 leaves room.
const maxPins = 200

// The values the closed fields of a data file take.
var (
	roles      = []string{RoleHeader, RoleModule}
	buses      = []string{"lpc", "spi"}
	numberings = []string{"odd-even", "single-row"}
	genders    = []string{"male", "female", "holes"}
	footprints = []string{"header", "holes"}
	levels     = []string{"3.3V", "5V", "0V"}
	families   = []string{"apu", "alix", "other"}
)

// What a missing geometry or pin list should look like, for the message.
const (
	geometryShape = "it is a mapping such as {rows: 2, cols: 10, pitch_mm: 2.54, numbering: odd-even, gender: male, footprint: header, keys: [4]}"
	pinsShape     = "it is a list with one entry per pin position, such as - {pin: 1, signal: LCLK, confidence: 2S}"
)

func (p *parser) connector(n *yaml.Node) *Connector {
	c := &Connector{File: p.file, Line: n.Line}
	var pinsNode *yaml.Node
	given := p.mapping(n, "connector", map[string]func(*yaml.Node){
		"id":         func(v *yaml.Node) { p.id(v, "connector id", &c.ID) },
		"name":       func(v *yaml.Node) { p.str(v, "name", &c.Name) },
		"vendor":     func(v *yaml.Node) { p.str(v, "vendor", &c.Vendor) },
		"role":       func(v *yaml.Node) { p.oneOf(v, "role", &c.Role, roles...) },
		"bus":        func(v *yaml.Node) { p.oneOf(v, "bus", &c.Bus, buses...) },
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
	p.require(n, where, given, []field{
		{"id", c.ID != "", "it is a lowercase id such as my-header"},
		{"name", c.Name != "", "it is the name people know the connector by"},
		{"role", c.Role != "", oneOfText(roles...)},
		{"bus", c.Bus != "", oneOfText(buses...)},
		{"geometry", c.Geometry.Rows > 0, geometryShape},
		{"confidence", c.Confidence != "", oneOfText(confidenceNames()...)},
		{"pins", pinsNode != nil, pinsShape},
	})
	if pinsNode == nil {
		return nil
	}
	rejected := false // an entry was reported as wrong: its position is not missing
	p.list(pinsNode, where+": pins", func(item *yaml.Node) {
		pin, ok := p.pin(item, where)
		if ok {
			c.Pins = append(c.Pins, pin)
		}
		rejected = rejected || !ok
	})
	if c.Geometry.Rows == 0 {
		return nil // the pins cannot be checked against a geometry that is wrong
	}
	p.checkPins(pinsNode, where, c, rejected)
	if c.ID == "" {
		return nil
	}
	return c
}

// geometry reads a header's shape. Each problem is reported once, at the line of the value
// concerned; the geometry is only set when it is whole and consistent.
func (p *parser) geometry(n *yaml.Node, g *Geometry) {
	var rows, cols int
	var pitch float64
	var numbering, gender, footprint string
	var keys []int
	given := p.mapping(n, "geometry", map[string]func(*yaml.Node){
		"rows":      func(v *yaml.Node) { p.int(v, "geometry rows", &rows) },
		"cols":      func(v *yaml.Node) { p.int(v, "geometry cols", &cols) },
		"pitch_mm":  func(v *yaml.Node) { p.float(v, "geometry pitch_mm", &pitch) },
		"numbering": func(v *yaml.Node) { p.oneOf(v, "geometry numbering", &numbering, numberings...) },
		"gender":    func(v *yaml.Node) { p.oneOf(v, "geometry gender", &gender, genders...) },
		"footprint": func(v *yaml.Node) { p.oneOf(v, "geometry footprint", &footprint, footprints...) },
		"keys":      func(v *yaml.Node) { p.ints(v, "geometry keys", &keys) },
	})
	if n.Kind != yaml.MappingNode {
		return
	}
	before := len(p.errs)
	p.require(n, "geometry", given, []field{
		{"rows", given["rows"] != nil, "it is 1 or 2"},
		{"cols", given["cols"] != nil, "it is the number of pins in a row"},
		{"pitch_mm", given["pitch_mm"] != nil, "it is the pin spacing in millimetres, e.g. 2.54"},
		{"numbering", numbering != "", oneOfText(numberings...)},
		{"gender", gender != "", oneOfText(genders...)},
		{"footprint", footprint != "", oneOfText(footprints...)},
	})
	if len(p.errs) > before || slices.Contains(slices.Collect(maps.Values(given)), nil) {
		return // each problem is reported already
	}
	switch {
	case rows != 1 && rows != 2:
		p.errorf(given["rows"], "geometry: rows must be 1 or 2, found %d", rows)
	case cols < 1 || rows*cols > maxPins:
		p.errorf(given["cols"], "geometry: cols must be between 1 and %d, found %d", maxPins/rows, cols)
	case !(pitch > 0 && pitch <= 10):
		p.errorf(given["pitch_mm"], "geometry: pitch_mm must be between 0 and 10 mm, found %g", pitch)
	case (rows == 2) != (numbering == "odd-even"):
		p.errorf(given["numbering"], "geometry: numbering %q does not fit %d row(s); use odd-even for 2 rows, single-row for 1", numbering, rows)
	default:
		*g = Geometry{Rows: rows, Cols: cols, PitchMM: pitch, Numbering: numbering, Gender: gender, Footprint: footprint, Keys: keys}
	}
}

func (p *parser) pin(n *yaml.Node, where string) (Pin, bool) {
	pin := Pin{Line: n.Line}
	var sig, dir string
	var sigNode *yaml.Node
	given := p.mapping(n, where+": pin", map[string]func(*yaml.Node){
		"pin":        func(v *yaml.Node) { p.int(v, "pin number", &pin.Number) },
		"signal":     func(v *yaml.Node) { sigNode = v; p.str(v, "signal", &sig) },
		"label":      func(v *yaml.Node) { p.str(v, "label", &pin.Label) },
		"dir":        func(v *yaml.Node) { p.str(v, "dir", &dir) },
		"level":      func(v *yaml.Node) { p.oneOf(v, "level", &pin.Level, levels...) },
		"confidence": func(v *yaml.Node) { p.confidence(v, "pin confidence", &pin.Confidence) },
		"sources":    func(v *yaml.Node) { p.strs(v, "pin sources", &pin.Sources) },
		"never":      func(v *yaml.Node) { p.str(v, "never", &pin.Never) },
		"note":       func(v *yaml.Node) { p.str(v, "note", &pin.Note) },
	})
	if n.Kind != yaml.MappingNode {
		return pin, false
	}
	if num, present := given["pin"]; !present || (num != nil && pin.Number < 1) {
		p.errorf(cmp.Or(num, n), "%s: every pin needs a number of 1 or more (pin: N)", where)
		return pin, false
	} else if num == nil {
		return pin, false // the number was reported as wrong already
	}
	where = fmt.Sprintf("%s: pin %d", where, pin.Number)
	if sn, present := given["signal"]; !present {
		p.errorf(n, "%s: signal is missing; it is a canonical name such as LAD0 (vendor names go in label)", where)
		return pin, false
	} else if sn == nil {
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
	p.require(n, where, given, []field{{"confidence", pin.Confidence != "", oneOfText(confidenceNames()...)}})
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

// checkPins checks the pin list against the geometry and sorts it by number. When entries
// were rejected already, positions not listed are not reported again as missing.
func (p *parser) checkPins(n *yaml.Node, where string, c *Connector, rejected bool) {
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
	switch {
	case len(missing) > 0 && rejected:
		return
	case len(missing) == 1:
		p.errorf(n, "%s: pin %s is missing; list every position of the %dx%d header (use signal KEY for a missing pin, NC for an unconnected one)", where, missing[0], g.Rows, g.Cols)
		return
	case len(missing) > 1:
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
	given := p.mapping(n, "board", map[string]func(*yaml.Node){
		"id":         func(v *yaml.Node) { p.id(v, "board id", &b.ID) },
		"name":       func(v *yaml.Node) { p.str(v, "name", &b.Name) },
		"aliases":    func(v *yaml.Node) { p.strs(v, "aliases", &b.Aliases) },
		"vendor":     func(v *yaml.Node) { p.str(v, "vendor", &b.Vendor) },
		"family":     func(v *yaml.Node) { p.oneOf(v, "family", &b.Family, families...) },
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
	p.require(n, where, given, []field{
		{"id", b.ID != "", "it is a lowercase id such as my-board"},
		{"name", b.Name != "", "it is the name people know the board by"},
		{"family", b.Family != "", oneOfText(families...)},
		{"chipset", b.Chipset != "", "it names the chipset, or says unknown"},
		{"connector", b.Connector != "", "it is the id of the board's TPM header connector, such as pcengines-lpc-2x10"},
		{"confidence", b.Confidence != "", oneOfText(confidenceNames()...)},
	})
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
