package boards

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"tpmbench/internal/yamlsrc"

	"go.yaml.in/yaml/v3"
)

// ErrInvalid is matched (errors.Is) by every error about malformed data.
var ErrInvalid = errors.New("invalid data file")

// ParseError is one problem in a data file, with its place.
type ParseError struct {
	File string // data file name as given to ParseFile
	Line int    // 0 when the problem is not tied to a line
	Msg  string // what is wrong, and what to write instead
}

// Error formats the problem as "boards: FILE:LINE: message".
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("boards: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("boards: %s: %s", e.File, e.Msg)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ParseError) Is(target error) bool { return target == ErrInvalid }

// File is the content of one data file.
type File struct {
	Name       string       // file name, used in error messages and to say where an id came from
	Connectors []*Connector // connectors in file order
	Boards     []*Board     // boards in file order
}

// maxErrors bounds how many problems one file reports; the rest are summarised.
const maxErrors = 20

// ParseFile parses and validates one data file; name is used in error messages. Problems are
// returned together (errors.Join of *ParseError), each with its line. Cross-file checks (a
// board's connector exists, ids are unique) are done by New.
func ParseFile(name string, data []byte) (*File, error) {
	p := &parser{file: name}
	f := &File{Name: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return f, nil // an empty file holds nothing
	case err != nil:
		return nil, &ParseError{File: name, Line: yamlsrc.ErrorLine(err), Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		if err != nil {
			line = yamlsrc.ErrorLine(err)
		}
		return nil, &ParseError{File: name, Line: line, Msg: "more than one YAML document; put everything in one document"}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return f, nil
	}
	if a, n := yamlsrc.FirstAlias(root); a != nil {
		return nil, &ParseError{File: name, Line: a.Line, Msg: yamlsrc.AliasMsg(a, n, "board and connector files", "each entry")}
	}
	p.mapping(root, "the file", map[string]func(*yaml.Node){
		"connectors": func(n *yaml.Node) {
			p.list(n, "connectors", func(item *yaml.Node) {
				if c := p.connector(item); c != nil {
					f.Connectors = append(f.Connectors, c)
				}
			})
		},
		"boards": func(n *yaml.Node) {
			p.list(n, "boards", func(item *yaml.Node) {
				if b := p.board(item); b != nil {
					f.Boards = append(f.Boards, b)
				}
			})
		},
	})
	if err := p.err(); err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	file string
	errs []error
}

func (p *parser) errorf(n *yaml.Node, format string, a ...any) {
	if len(p.errs) > maxErrors {
		return
	}
	if len(p.errs) == maxErrors {
		p.errs = append(p.errs, &ParseError{File: p.file, Msg: "more problems not shown; fix the ones above first"})
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, a...)})
}

func (p *parser) err() error { return errors.Join(p.errs...) }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "nothing"
}

// mapping walks a mapping node, calling the handler of each key. Unknown and repeated keys
// are reported; a handler is called at most once. It returns the keys given, each with its
// value node, or with nil when the value was found wrong and reported already.
func (p *parser) mapping(n *yaml.Node, what string, fields map[string]func(*yaml.Node)) map[string]*yaml.Node {
	given := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping of keys to values, found %s", what, kindName(n))
		return given
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: keys must be plain words, found %s", what, kindName(k))
			continue
		}
		h, ok := fields[k.Value]
		if !ok {
			hint, meant := suggestKey(k.Value, fields)
			p.errorf(k, "%s: unknown key %q%s", what, k.Value, hint)
			if _, done := given[meant]; meant != "" && !done {
				given[meant] = nil // a misspelt key: reported here, not again as missing
			}
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%s: key %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		given[k.Value] = nil
		before := len(p.errs)
		h(v)
		if len(p.errs) == before {
			given[k.Value] = v
		}
	}
	return given
}

// field is a required key of a mapping: whether a usable value ended up set, and what the
// value should be, for the message when it is not.
type field struct {
	key  string
	set  bool
	want string
}

// require reports each required field without a value once, at the most precise line: a
// key that is absent at the mapping's line, a key given empty at its value's line. A key
// whose value was reported as wrong already (nil in given) is not reported again.
func (p *parser) require(n *yaml.Node, where string, given map[string]*yaml.Node, fields []field) {
	for _, f := range fields {
		if f.set {
			continue
		}
		v, present := given[f.key]
		switch {
		case !present:
			p.errorf(n, "%s: %s is missing; %s", where, f.key, f.want)
		case v != nil:
			p.errorf(v, "%s: %s is empty; %s", where, f.key, f.want)
		}
	}
}

// suggestKey returns a hint for an unknown key, and the known key it probably means ("" if
// none is close).
func suggestKey(key string, fields map[string]func(*yaml.Node)) (hint, meant string) {
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	if s := Suggest(key, names); len(s) > 0 {
		return fmt.Sprintf(" (did you mean %q?)", s[0]), s[0]
	}
	return " (known keys: " + strings.Join(names, ", ") + ")", ""
}

func (p *parser) list(n *yaml.Node, what string, item func(*yaml.Node)) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list, found %s", what, kindName(n))
		return
	}
	for _, it := range n.Content {
		item(it)
	}
}

func (p *parser) str(n *yaml.Node, what string, dst *string) {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "%s must be text, found %s", what, kindName(n))
		return
	}
	if n.Tag == "!!null" {
		*dst = ""
		return
	}
	*dst = n.Value
}

func (p *parser) int(n *yaml.Node, what string, dst *int) {
	var v int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		p.errorf(n, "%s must be a whole number, found %s", what, kindName(n))
		return
	}
	*dst = v
}

func (p *parser) float(n *yaml.Node, what string, dst *float64) {
	var v float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&v) != nil {
		p.errorf(n, "%s must be a number, found %s", what, kindName(n))
		return
	}
	*dst = v
}

func (p *parser) strs(n *yaml.Node, what string, dst *[]string) {
	p.list(n, what, func(it *yaml.Node) {
		var s string
		p.str(it, what+" entry", &s)
		if s != "" {
			*dst = append(*dst, s)
		}
	})
}

func (p *parser) ints(n *yaml.Node, what string, dst *[]int) {
	p.list(n, what, func(it *yaml.Node) {
		v := -1
		p.int(it, what+" entry", &v)
		if v >= 0 {
			*dst = append(*dst, v)
		}
	})
}

var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (p *parser) id(n *yaml.Node, what string, dst *string) {
	p.str(n, what, dst)
	if *dst != "" && !idRE.MatchString(*dst) {
		p.errorf(n, "%s %q: use lowercase letters, digits and single dashes", what, *dst)
		*dst = ""
	}
}

func (p *parser) oneOf(n *yaml.Node, what string, dst *string, allowed ...string) {
	p.str(n, what, dst)
	if *dst != "" && !slices.Contains(allowed, *dst) {
		p.errorf(n, "%s %q: must be one of %s", what, *dst, strings.Join(allowed, ", "))
		*dst = ""
	}
}

func (p *parser) confidence(n *yaml.Node, what string, dst *Confidence) {
	var s string
	p.oneOf(n, what, &s, confidenceNames()...)
	*dst = Confidence(s)
}

func confidenceNames() []string {
	names := make([]string, len(confidences))
	for i, c := range confidences {
		names[i] = string(c)
	}
	return names
}

// oneOfText is the hint for a missing key with a fixed set of values.
func oneOfText(values ...string) string { return "it must be one of " + strings.Join(values, ", ") }
