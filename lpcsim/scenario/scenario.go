package scenario

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"tpmbench/internal/yamlsrc"

	"go.yaml.in/yaml/v3"

	"tpmbench/lpcsim"
)

// Scenario is one simulated bench as a scenario file describes it.
type Scenario struct {
	Name        string   // the scenario's name, as the command line selects it
	Aliases     []string // other names that select it
	Description string   // what the scenario shows, for people
	Board       string   // board or header id, e.g. "apu1d"
	Module      string   // module connector id, e.g. "asus-tpm-20-1"
	// Wires is the wiring by pin numbers; empty means the generated wiring.
	Wires []PinWire
	// WiringFile names a wiring file (the wiring tool's format) to use
	// instead; relative to the scenario file. It also gives board and module.
	WiringFile  string
	Faults      []lpcsim.Fault    // faults put on the bench's wires, in file order
	Personality string            // TIS personality: slb9635, slb9665, qemu, qemu-tpm2
	Engine      string            // tpm12, tpm20, swtpm or none
	State       string            // engine state: "factory", or for swtpm a state directory
	Host        string            // host-bridge profile: apu or alix
	SerIRQ      lpcsim.SerIRQMode // how the host runs SERIRQ (off when the file does not say)

	File string         // where the scenario came from ("builtin/default.yaml", a path)
	Line map[string]int // line of each top-level key, for errors found later
}

// PinWire is one wire of a hand-made wiring: a module pin joined to a board
// header pin.
type PinWire struct {
	ModulePin int // pin number on the module connector
	BoardPin  int // pin number on the board header
	Line      int // line of the wire in the scenario file
}

// ErrInvalid is matched (errors.Is) by every scenario error.
var ErrInvalid = errors.New("invalid scenario")

// Error is a problem in a scenario file, with its place.
type Error struct {
	File string // where the scenario came from (a path, or "builtin/NAME.yaml")
	Line int    // 0 when not tied to a line
	Msg  string // what is wrong
}

// Error formats the problem as "scenario: FILE:LINE: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("scenario: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("scenario: %s: %s", e.File, e.Msg)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns the built-in scenarios, sorted by name.
func Builtin() ([]*Scenario, error) {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		return nil, fmt.Errorf("scenario: reading built-in scenarios: %w", err)
	}
	var out []*Scenario
	for _, e := range entries {
		name := path.Join("builtin", e.Name())
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("scenario: %s: %w", name, err)
		}
		s, err := Parse(name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Scenario) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Load returns the built-in scenario with the given name or alias ("" is
// "default").
func Load(name string) (*Scenario, error) {
	if name == "" {
		name = "default"
	}
	all, err := Builtin()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range all {
		if strings.EqualFold(s.Name, name) || slices.ContainsFunc(s.Aliases, func(a string) bool { return strings.EqualFold(a, name) }) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("scenario: no built-in scenario %q (built-in: %s); pass a .yaml file for your own: %w",
		name, strings.Join(names, ", "), ErrInvalid)
}

// maxSize bounds a scenario file; scenarios are a few hundred bytes.
const maxSize = 1 << 20

// Parse reads a scenario file; name is used in error messages.
func Parse(name string, data []byte) (*Scenario, error) {
	if len(data) > maxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is %d bytes; a scenario is at most %d", len(data), maxSize)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Msg: "empty file: a scenario needs at least board and module"}
		}
		return nil, &Error{File: name, Line: yamlsrc.ErrorLine(err), Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &Error{File: name, Line: max(extra.Line, yamlsrc.ErrorLine(err)), Msg: "more than one YAML document"}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if a, n := yamlsrc.FirstAlias(root); a != nil {
		return nil, &Error{File: name, Line: a.Line, Msg: yamlsrc.AliasMsg(a, n, "scenario files", "each value")}
	}
	p := &parser{file: name, s: &Scenario{File: name, Line: map[string]int{}, State: "factory", Host: "apu", Engine: "tpm12", Personality: "slb9635"}}
	p.top(root)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return p.s, nil
}

type parser struct {
	file string
	s    *Scenario
	errs []error
}

func (p *parser) errorf(line int, format string, a ...any) {
	if len(p.errs) < 20 {
		p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, a...)})
	}
}

// top reads the scenario's mapping.
func (p *parser) top(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "a scenario is a mapping of keys (name, board, module, ...), not a %s", kindName(n))
		return
	}
	s := p.s
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := s.Line[k.Value]; dup {
			p.errorf(k.Line, "key %q given twice", k.Value)
			continue
		}
		s.Line[k.Value] = k.Line
		switch k.Value {
		case "name":
			s.Name = p.str(v, k.Value)
		case "aliases":
			s.Aliases = p.strs(v, k.Value)
		case "description":
			s.Description = p.str(v, k.Value)
		case "board":
			s.Board = p.str(v, k.Value)
		case "module":
			s.Module = p.str(v, k.Value)
		case "wires":
			p.wires(v)
		case "wiring":
			s.WiringFile = p.str(v, k.Value)
		case "faults":
			for _, f := range p.strs(v, k.Value) {
				p.fault(f, v)
			}
		case "personality":
			s.Personality = strings.ToLower(p.str(v, k.Value))
		case "engine":
			s.Engine = strings.ToLower(p.str(v, k.Value))
		case "state":
			s.State = p.str(v, k.Value)
		case "host":
			s.Host = strings.ToLower(p.str(v, k.Value))
		case "serirq":
			m, err := lpcsim.ParseSerIRQMode(p.str(v, k.Value))
			if err != nil {
				p.errorf(v.Line, "%v", err)
			}
			s.SerIRQ = m
		default:
			p.errorf(k.Line, "unknown key %q (known: name, aliases, description, board, module, wires, wiring, faults, personality, engine, state, host, serirq)", k.Value)
		}
	}
	p.check(n.Line)
}

// check reports missing or unknown values that need no database.
func (p *parser) check(line int) {
	s := p.s
	if s.Name == "" {
		s.Name = strings.TrimSuffix(path.Base(p.file), path.Ext(p.file))
	}
	if s.WiringFile != "" && len(s.Wires) > 0 {
		p.errorf(s.Line["wiring"], "give either wires or a wiring file, not both")
	}
	if s.Board == "" && s.WiringFile == "" {
		p.errorf(line, "missing key board (a board or header id, e.g. apu1d)")
	}
	if s.Module == "" && s.WiringFile == "" {
		p.errorf(line, "missing key module (a module connector id, e.g. asus-tpm-20-1)")
	}
	if _, err := lpcsim.LookupProfile(s.Host); err != nil {
		p.errorf(s.Line["host"], "%v", err)
	}
	switch s.Engine {
	case "tpm12", "tpm20", "swtpm", "none":
	default:
		p.errorf(s.Line["engine"], "unknown engine %q (want tpm12, tpm20, swtpm or none)", s.Engine)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value"
}

func (p *parser) str(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n.Line, "%s: want a single value, got a %s", key, kindName(n))
		return ""
	}
	return n.Value
}

func (p *parser) strs(n *yaml.Node, key string) []string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "%s: want a list, got a %s", key, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		if v := p.str(item, key); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (p *parser) fault(text string, list *yaml.Node) {
	line := list.Line
	for _, item := range list.Content {
		if item.Value == text {
			line = item.Line
			break
		}
	}
	f, err := lpcsim.ParseFault(text)
	if err != nil {
		p.errorf(line, "fault: %v", err)
		return
	}
	p.s.Faults = append(p.s.Faults, f)
}

// wires reads a list of {module: N, board: M} pin pairs.
func (p *parser) wires(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "wires: want a list of {module: PIN, board: PIN}, got a %s", kindName(n))
		return
	}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			p.errorf(item.Line, "wires: each wire is {module: PIN, board: PIN}, got a %s", kindName(item))
			continue
		}
		if w, ok := p.wire(item); ok {
			p.s.Wires = append(p.s.Wires, w)
		}
	}
}

// wire reads one {module: N, board: M} pair. Each problem is reported once,
// at its own line: a bad pin number or an unknown key is not reported again
// as a missing pin.
func (p *parser) wire(item *yaml.Node) (PinWire, bool) {
	w := PinWire{Line: item.Line}
	before := len(p.errs)
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		var dst *int
		switch k.Value {
		case "module":
			dst = &w.ModulePin
		case "board":
			dst = &w.BoardPin
		default:
			p.errorf(k.Line, "wires: unknown key %q (want module and board)", k.Value)
			continue
		}
		pin, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || pin < 1 || pin > 1000 {
			p.errorf(v.Line, "wires: %s pin %q is not a pin number", k.Value, v.Value)
			continue
		}
		*dst = pin
	}
	if len(p.errs) > before {
		return w, false
	}
	switch {
	case w.ModulePin == 0 && w.BoardPin == 0:
		p.errorf(item.Line, "wires: a wire needs both module and board pin numbers")
	case w.ModulePin == 0:
		p.errorf(item.Line, "wires: this wire has no module pin number (write {module: PIN, board: %d})", w.BoardPin)
	case w.BoardPin == 0:
		p.errorf(item.Line, "wires: this wire has no board pin number (write {module: %d, board: PIN})", w.ModulePin)
	default:
		return w, true
	}
	return w, false
}
