package decode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const (
	vcdBufSize    = 64 << 10
	vcdMaxToken   = 1 << 20
	vcdChunkSize  = 1 << 15
	vcdMaxVars    = 1 << 16
	vcdInitialSet = 0xFF // lines read high until the file says otherwise
)

// vcdTarget is one normalised bit a VCD variable drives.
type vcdTarget struct {
	bit  byte // mask in the normalised sample
	from int  // bit of the variable's value (0 = least significant)
}

type vcdVar struct {
	width   int
	targets []vcdTarget
}

// vcdReader streams a Value Change Dump as samples at each timestamp where a
// mapped line changed.
type vcdReader struct {
	path   string
	closer io.Closer
	tok    vcdTokenizer
	info   Info
	vars   map[string]*vcdVar
	state  byte  // levels after the changes read so far
	last   byte  // last emitted state
	time   int64 // current timestamp
	timed  bool  // a timestamp has been seen
	any    bool  // a sample has been emitted
	done   bool
	states []byte
	ticks  []int64
}

func newVCD(path string, r io.Reader, c io.Closer, o Overrides) (*vcdReader, error) {
	v := &vcdReader{path: path, closer: c, vars: map[string]*vcdVar{}, state: vcdInitialSet}
	v.tok = vcdTokenizer{r: r, buf: make([]byte, vcdBufSize), line: 1}
	if err := v.header(o); err != nil {
		return nil, err
	}
	v.states = make([]byte, 0, vcdChunkSize)
	v.ticks = make([]int64, 0, vcdChunkSize)
	return v, nil
}

func (v *vcdReader) errorf(format string, a ...any) error {
	return fmt.Errorf("decode: %s:%d: %s (%w)", v.path, v.tok.line, fmt.Sprintf(format, a...), ErrFormat)
}

// word returns the next token or an error naming what was expected.
func (v *vcdReader) word(what string) ([]byte, error) {
	t, err := v.tok.next()
	if err == io.EOF {
		return nil, v.errorf("file ends while reading %s", what)
	}
	if err != nil {
		return nil, fmt.Errorf("decode: %s:%d: %w", v.path, v.tok.line, err)
	}
	return t, nil
}

// section collects the tokens of a $keyword ... $end section (the first 64).
func (v *vcdReader) section(kw string) ([]string, error) {
	var words []string
	for {
		t, err := v.word(kw + " ... $end")
		if err != nil {
			return nil, err
		}
		if string(t) == "$end" {
			return words, nil
		}
		if len(words) < 64 {
			words = append(words, string(t))
		}
	}
}

type vcdDecl struct {
	id    string
	name  string
	width int
}

func (v *vcdReader) header(o Overrides) error {
	var decls []vcdDecl
	var scopes []string
	for {
		t, err := v.tok.next()
		if err == io.EOF {
			return v.errorf("file ends before $enddefinitions (not a VCD file, or truncated)")
		}
		if err != nil {
			return fmt.Errorf("decode: %s:%d: %w", v.path, v.tok.line, err)
		}
		kw := string(t)
		if !strings.HasPrefix(kw, "$") {
			return v.errorf("unexpected %q in the VCD header (not a VCD file?)", shorten(kw))
		}
		words, err := v.section(kw)
		if err != nil {
			return err
		}
		switch kw {
		case "$timescale":
			ts, err := parseTimescale(strings.Join(words, ""))
			if err != nil {
				return v.errorf("%v", err)
			}
			v.info.TickSeconds = ts
		case "$scope":
			if len(words) >= 2 && len(scopes) < 64 {
				scopes = append(scopes, words[1])
			}
		case "$upscope":
			if len(scopes) > 0 {
				scopes = scopes[:len(scopes)-1]
			}
		case "$var":
			if len(words) < 4 {
				return v.errorf("$var needs type, size, id and name, got %q", strings.Join(words, " "))
			}
			w, err := strconv.Atoi(words[1])
			if err != nil || w < 1 || w > 4096 {
				return v.errorf("$var %s: bad size %q", words[3], words[1])
			}
			name := words[3]
			if len(words) > 4 {
				name += words[4] // "lad [0]" → "lad[0]"
			}
			if len(scopes) > 0 {
				name = strings.Join(scopes, ".") + "." + name
			}
			if len(decls) >= vcdMaxVars {
				return v.errorf("more than %d $var declarations", vcdMaxVars)
			}
			decls = append(decls, vcdDecl{id: words[2], name: name, width: w})
		case "$enddefinitions":
			return v.mapVars(decls, o)
		}
	}
}

// mapVars expands vector variables into one channel per bit ("lad[0]"...) and
// resolves the signal mapping.
func (v *vcdReader) mapVars(decls []vcdDecl, o Overrides) error {
	type slot struct {
		id  string
		bit int
	}
	var names []string
	var slots []slot
	for _, d := range decls {
		if _, ok := v.vars[d.id]; !ok {
			v.vars[d.id] = &vcdVar{width: d.width}
		}
		if d.width == 1 {
			names = append(names, d.name)
			slots = append(slots, slot{d.id, 0})
			continue
		}
		base := d.name
		if i := strings.IndexByte(base, '['); i > 0 {
			base = base[:i]
		}
		for b := 0; b < d.width && len(names) < vcdMaxVars; b++ {
			names = append(names, fmt.Sprintf("%s[%d]", base, b))
			slots = append(slots, slot{d.id, b})
		}
	}
	ch, err := resolve(names, len(names), o)
	if err != nil {
		return fmt.Errorf("%w (%s)", err, v.path)
	}
	for s := Signal(0); s < numSignals; s++ {
		if c := ch[s]; c >= 0 {
			sl := slots[c]
			vv := v.vars[sl.id]
			vv.targets = append(vv.targets, vcdTarget{bit: 1 << s, from: sl.bit})
		}
	}
	v.info = Info{Format: "VCD", Channels: names, Map: ch, TickSeconds: v.info.TickSeconds, Samples: -1}
	return nil
}

func parseTimescale(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty $timescale")
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n := 1.0
	if i > 0 {
		v, err := strconv.Atoi(s[:i])
		if err != nil || v <= 0 {
			return 0, fmt.Errorf("bad $timescale %q", s)
		}
		n = float64(v)
	}
	units := map[string]float64{"s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12, "fs": 1e-15}
	u, ok := units[strings.TrimSpace(s[i:])]
	if !ok {
		return 0, fmt.Errorf("bad $timescale unit in %q (want s, ms, us, ns, ps or fs)", s)
	}
	return n * u, nil
}

// Info describes the file and the channel mapping.
func (v *vcdReader) Info() Info { return v.info }

// Close closes the file.
func (v *vcdReader) Close() error { return v.closer.Close() }

// Next parses value changes until a chunk of samples is full or the file ends.
func (v *vcdReader) Next() (Chunk, error) {
	v.states, v.ticks = v.states[:0], v.ticks[:0]
	for !v.done && len(v.states) < vcdChunkSize {
		t, err := v.tok.next()
		if err == io.EOF {
			v.done = true
			v.emit()
			break
		}
		if err != nil {
			return Chunk{}, fmt.Errorf("decode: %s:%d: %w", v.path, v.tok.line, err)
		}
		if err := v.change(t); err != nil {
			return Chunk{}, err
		}
	}
	if len(v.states) == 0 {
		return Chunk{}, io.EOF
	}
	return Chunk{States: v.states, Ticks: v.ticks}, nil
}

// emit records the state at the current timestamp if it differs from the
// last one recorded.
func (v *vcdReader) emit() {
	if !v.timed || (v.any && v.state == v.last) {
		return
	}
	v.states = append(v.states, v.state)
	v.ticks = append(v.ticks, v.time)
	v.last, v.any = v.state, true
}

func (v *vcdReader) change(t []byte) error {
	switch t[0] {
	case '#':
		ts, err := strconv.ParseInt(string(t[1:]), 10, 64)
		if err != nil || ts < 0 {
			return v.errorf("bad timestamp %q", shorten(string(t)))
		}
		if v.timed && ts < v.time {
			return v.errorf("timestamp #%d goes back in time (after #%d)", ts, v.time)
		}
		v.emit()
		v.time, v.timed = ts, true
	case '0', '1', 'x', 'X', 'z', 'Z':
		return v.set(t[1:], t[:1])
	case 'b', 'B':
		id, err := v.word("the id of a vector change")
		if err != nil {
			return err
		}
		return v.set(id, t[1:])
	case 'r', 'R':
		_, err := v.word("the id of a real change")
		return err
	case '$':
		switch string(t) {
		case "$comment":
			_, err := v.section("$comment")
			return err
		case "$dumpvars", "$dumpall", "$dumpon", "$dumpoff", "$end":
		default:
			return v.errorf("unexpected %q among value changes", shorten(string(t)))
		}
	default:
		return v.errorf("unexpected %q among value changes", shorten(string(t)))
	}
	return nil
}

// set applies a value (bits MSB first) to the variable with the given id.
func (v *vcdReader) set(id, val []byte) error {
	vv := v.vars[string(id)]
	if vv == nil {
		if len(id) == 0 {
			return v.errorf("value change without an identifier")
		}
		return v.errorf("value change for undeclared identifier %q", shorten(string(id)))
	}
	for _, c := range val {
		switch c {
		case '0', '1', 'x', 'X', 'z', 'Z':
		default:
			return v.errorf("bad value %q for %q", shorten(string(val)), shorten(string(id)))
		}
	}
	for _, tg := range vv.targets {
		if levelAt(val, tg.from) {
			v.state |= tg.bit
		} else {
			v.state &^= tg.bit
		}
	}
	return nil
}

// levelAt returns bit i (0 = rightmost) of a VCD value, extended to the left
// per the VCD rules (0 and 1 extend with 0, x and z with themselves). z reads
// high: the LPC lines are pulled up.
func levelAt(val []byte, i int) bool {
	var c byte
	if i < len(val) {
		c = val[len(val)-1-i]
	} else if len(val) > 0 && (val[0] == 'z' || val[0] == 'Z' || val[0] == 'x' || val[0] == 'X') {
		c = val[0]
	} else {
		c = '0'
	}
	return c == '1' || c == 'z' || c == 'Z'
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// vcdTokenizer splits a VCD file into whitespace-separated tokens, counting
// lines. A token is valid until the next call.
type vcdTokenizer struct {
	r        io.Reader
	buf      []byte
	pos, end int
	line     int
	eof      bool
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// fill moves unread bytes to the front and reads more; it grows the buffer
// when a single token fills it.
func (t *vcdTokenizer) fill() error {
	if t.eof {
		return io.EOF
	}
	if t.pos > 0 {
		copy(t.buf, t.buf[t.pos:t.end])
		t.end -= t.pos
		t.pos = 0
	}
	if t.end == len(t.buf) {
		if len(t.buf) >= vcdMaxToken {
			return fmt.Errorf("token longer than %d bytes (%w)", vcdMaxToken, ErrFormat)
		}
		nb := make([]byte, 2*len(t.buf))
		copy(nb, t.buf[:t.end])
		t.buf = nb
	}
	n, err := t.r.Read(t.buf[t.end:])
	t.end += n
	if err == io.EOF {
		t.eof = true
		if n == 0 {
			return io.EOF
		}
		return nil
	}
	if err != nil {
		// A read error inside the data (truncated or corrupt compression)
		// is a damaged file.
		return fmt.Errorf("reading: %w (%w)", err, ErrFormat)
	}
	return nil
}

func (t *vcdTokenizer) next() ([]byte, error) {
	for {
		for t.pos < t.end && isSpace(t.buf[t.pos]) {
			if t.buf[t.pos] == '\n' {
				t.line++
			}
			t.pos++
		}
		if t.pos < t.end {
			break
		}
		if err := t.fill(); err != nil {
			return nil, err
		}
	}
	i := t.pos
	for {
		for i < t.end && !isSpace(t.buf[i]) {
			i++
		}
		if i < t.end || t.eof {
			break
		}
		off := i - t.pos
		if err := t.fill(); err != nil && err != io.EOF {
			return nil, err
		}
		i = t.pos + off
	}
	tok := t.buf[t.pos:i]
	t.pos = i
	if bytes.IndexByte(tok, 0) >= 0 {
		return nil, fmt.Errorf("binary data in a text VCD file (%w)", ErrFormat)
	}
	return tok, nil
}
