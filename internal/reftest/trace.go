package reftest

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Kind says what a trace line carries.
type Kind int

// Trace line kinds.
const (
	Command  Kind = iota // "> " data to the TPM
	Response             // "< " data from the TPM
	Ctrl                 // "ctrl>" control-socket request
	CtrlResp             // "ctrl<" control-socket response
)

// Line is one message of a trace.
type Line struct {
	Kind    Kind   // direction: command, response or control-socket message
	Line    int    // line number in the file
	Name    string // the label between direction and bytes
	Section string // the last "### " heading before the line, if any
	Msg     []byte // the message bytes
}

var hexByte = regexp.MustCompile(`^[0-9A-Fa-f]{2}$`)

var kinds = map[string]Kind{">": Command, "<": Response, "tpm>": Command, "tpm<": Response, "ctrl>": Ctrl, "ctrl<": CtrlResp}

// Read parses the .trace file or raw transcript at path (see Parse).
func Read(path string) ([]Line, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads a trace: lines of a direction token (">", "<", "tpm>", "tpm<",
// "ctrl>", "ctrl<"), a label, then the message bytes as two-digit hex tokens.
// Other lines are skipped; "### " lines name the section of the lines after
// them. name is the file name errors give.
func Parse(r io.Reader, name string) ([]Line, error) {
	section := ""
	var out []Line
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if h, ok := strings.CutPrefix(sc.Text(), "### "); ok {
			section = h
			continue
		}
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		k, ok := kinds[fields[0]]
		if !ok {
			continue
		}
		i := len(fields)
		for i > 1 && hexByte.MatchString(fields[i-1]) {
			i--
		}
		b, err := hex.DecodeString(strings.Join(fields[i:], ""))
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("reftest: %s:%d: no message bytes after %q", name, n, fields[0])
		}
		out = append(out, Line{Kind: k, Line: n, Name: strings.Join(fields[1:i], " "), Section: section, Msg: b})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reftest: reading %s: %w", name, err)
	}
	return out, nil
}

// Exchange is one data-socket command of a trace and the response to it.
type Exchange struct {
	Name string // the command's label, e.g. "TPM_GetCapability(NV_LIST)"
	Line int    // line number of the command
	Cmd  []byte // the command bytes
	Rsp  []byte // nil when the trace ends before the response
}

// Exchanges pairs each command line with the response line after it;
// control-socket lines are left out. A response with no command before it is
// an error.
func Exchanges(lines []Line) ([]Exchange, error) {
	var out []Exchange
	for _, l := range lines {
		switch l.Kind {
		case Command:
			out = append(out, Exchange{Name: l.Name, Line: l.Line, Cmd: l.Msg})
		case Response:
			if len(out) == 0 || out[len(out)-1].Rsp != nil {
				return nil, fmt.Errorf("reftest: line %d: response with no command before it", l.Line)
			}
			out[len(out)-1].Rsp = l.Msg
		}
	}
	return out, nil
}

// TraceExchanges reads the trace at path and pairs its commands and responses (see Read and
// Exchanges), failing the test when the file cannot be read or parsed.
func TraceExchanges(t testing.TB, path string) []Exchange {
	t.Helper()
	lines, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := Exchanges(lines)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return x
}
