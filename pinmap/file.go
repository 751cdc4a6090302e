package pinmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"

	"tpmbench/boards"
)

// ErrBadWiring is matched (errors.Is) by every error about a malformed wiring file.
var ErrBadWiring = errors.New("malformed wiring file")

// FileError is a problem in a wiring file, with its place.
type FileError struct {
	File string // the wiring file's name
	Line int    // line of the problem; 0 when it is not tied to a line
	Msg  string // what is wrong
	Err  error  // underlying error, e.g. an unknown id from the boards database
}

// Error formats the problem as "pinmap: FILE:LINE: message".
func (e *FileError) Error() string {
	place := e.File
	if e.Line > 0 {
		place = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Err != nil {
		return fmt.Sprintf("pinmap: %s: %s: %v", place, e.Msg, e.Err)
	}
	return fmt.Sprintf("pinmap: %s: %s", place, e.Msg)
}

// Is makes errors.Is(err, ErrBadWiring) true.
func (e *FileError) Is(target error) bool { return target == ErrBadWiring }

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// maxWires bounds a wiring file; a TPM header has at most a few dozen pins.
const maxWires = 500

// ReadWiring reads a wiring file; see ParseWiring.
func ReadWiring(db *boards.DB, path string) (Setup, Wiring, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Setup{}, Wiring{}, fmt.Errorf("pinmap: reading wiring file: %w", err)
	}
	return ParseWiring(db, path, data)
}

// ParseWiring reads a hand-made wiring (the format is in the package documentation) and
// resolves its module and board in db. Structural problems are errors with file:line;
// whether the wiring is electrically right is Check's business. A signal name given on a
// wire must match the module pin's or the board pin's signal (or the vendor label), so that
// a file whose numbers and names disagree is caught.
func ParseWiring(db *boards.DB, name string, data []byte) (Setup, Wiring, error) {
	fail := func(line int, format string, a ...any) (Setup, Wiring, error) {
		return Setup{}, Wiring{}, &FileError{File: name, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(0, "the file is empty; it needs module, board and wires")
		}
		return fail(yamlLine(err), "not valid YAML: %v", err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, "the file must be a mapping with module, board and wires")
	}
	var moduleID, boardID string
	var moduleLine, boardLine int
	var wiresNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "module", "board":
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				return fail(v.Line, "%s must be an id", k.Value)
			}
			if k.Value == "module" {
				moduleID, moduleLine = v.Value, v.Line
			} else {
				boardID, boardLine = v.Value, v.Line
			}
		case "wires":
			wiresNode = v
		default:
			return fail(k.Line, "unknown key %q (the keys are module, board, wires)", k.Value)
		}
	}
	switch {
	case moduleID == "":
		return fail(root.Line, "module is missing: name the module connector, e.g. module: asus-tpm-20-1")
	case boardID == "":
		return fail(root.Line, "board is missing: name the board or its header, e.g. board: apu1d")
	case wiresNode == nil || wiresNode.Kind != yaml.SequenceNode:
		return fail(root.Line, "wires is missing or not a list")
	case len(wiresNode.Content) > maxWires:
		return fail(wiresNode.Line, "%d wires; a TPM wiring has at most %d", len(wiresNode.Content), maxWires)
	}
	m, err := db.Module(moduleID)
	if err != nil {
		return Setup{}, Wiring{}, &FileError{File: name, Line: moduleLine, Msg: "module", Err: err}
	}
	h, b, err := db.ResolveHeader(boardID)
	if err != nil {
		return Setup{}, Wiring{}, &FileError{File: name, Line: boardLine, Msg: "board", Err: err}
	}
	s := Setup{Module: m, Header: h, Board: b}
	w := Wiring{Module: m.ID, Board: h.ID}
	if b != nil {
		w.BoardID = b.ID
	}
	for _, item := range wiresNode.Content {
		wire, err := parseWire(s, name, item)
		if err != nil {
			return Setup{}, Wiring{}, err
		}
		w.Wires = append(w.Wires, wire)
	}
	return s, w, nil
}

func parseWire(s Setup, name string, n *yaml.Node) (Wire, error) {
	fail := func(line int, format string, a ...any) (Wire, error) {
		return Wire{}, &FileError{File: name, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	if n.Kind != yaml.MappingNode {
		return fail(n.Line, "a wire is a mapping like {module: 1, board: 1}")
	}
	w := Wire{Line: n.Line}
	var label string
	var labelLine int
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "module", "board":
			num, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				return fail(v.Line, "%s pin must be a number, found %q", k.Value, v.Value)
			}
			if k.Value == "module" {
				w.ModulePin = num
			} else {
				w.BoardPin = num
			}
		case "signal":
			if v.Kind != yaml.ScalarNode {
				return fail(v.Line, "signal must be a name")
			}
			label, labelLine = v.Value, v.Line
		case "note":
			if v.Kind != yaml.ScalarNode {
				return fail(v.Line, "note must be text")
			}
			w.Note = v.Value
		default:
			return fail(k.Line, "unknown wire key %q (the keys are module, board, signal, note)", k.Value)
		}
	}
	mp, ok := s.Module.Pin(w.ModulePin)
	if !ok {
		return fail(n.Line, "module pin %d: %s has pins 1 to %d", w.ModulePin, s.Module.ID, len(s.Module.Pins))
	}
	bp, ok := s.Header.Pin(w.BoardPin)
	if !ok {
		return fail(n.Line, "board pin %d: %s has pins 1 to %d", w.BoardPin, s.Header.ID, len(s.Header.Pins))
	}
	w.Signal, w.BoardSignal = string(mp.Signal), string(bp.Signal)
	if label != "" && !namesPin(label, mp) && !namesPin(label, bp) {
		return fail(labelLine, "the wire %d→%d is labelled %s, but module pin %d is %s and board pin %d is %s; fix the label or the pin numbers",
			w.ModulePin, w.BoardPin, label, mp.Number, mp.Name(), bp.Number, bp.Name())
	}
	return w, nil
}

// namesPin reports whether a label given in a wiring file names the pin: its signal, its
// vendor label, or a common spelling of either.
func namesPin(label string, p boards.Pin) bool {
	norm := func(s string) string {
		b := []byte{}
		for _, c := range []byte(s) {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c != ' ' && c != '_' && c != '-' && c != '.' {
				b = append(b, c)
			}
		}
		return string(b)
	}
	l := norm(label)
	for _, cand := range []string{string(p.Signal), p.Label, string(p.Signal) + "#"} {
		if cand != "" && (norm(cand) == l || norm(cand) == l+"#") {
			return true
		}
	}
	switch p.Signal {
	case boards.V3V3, boards.V3V3SB:
		return l == "3V3" || l == "3.3V" || l == "33V" || l == "+3V" || l == "+33V" || l == "VCC3" || l == "V3"
	case boards.GND:
		return l == "GROUND" || l == "VSS"
	}
	return false
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return 0
	}
	return n
}
