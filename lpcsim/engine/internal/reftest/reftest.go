// Package reftest finds the reference outputs of real TPM tools and reads
// the swtpm traces in them, for the engine tests.
package reftest

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Dir returns the reference directory: TPMBENCH_REFERENCE, or a
// shared/reference directory found by searching upward from the working
// directory. It skips the test when there is none.
func Dir(t testing.TB) string {
	t.Helper()
	d, ok := Find()
	if !ok {
		t.Skip("no reference outputs: set TPMBENCH_REFERENCE or place shared/reference beside the checkout")
	}
	return d
}

// Find returns the reference directory and whether there is one.
func Find() (string, bool) {
	if d := os.Getenv("TPMBENCH_REFERENCE"); d != "" {
		return d, true
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		cand := filepath.Join(dir, "shared", "reference")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

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
	Kind    Kind
	Line    int    // line number in the file
	Name    string // the label between direction and bytes
	Section string // the last "### " heading before the line, if any
	Msg     []byte
}

var hexByte = regexp.MustCompile(`^[0-9A-Fa-f]{2}$`)

// Read parses a .trace file or a raw transcript: a direction token (">",
// "<", "tpm>", "tpm<", "ctrl>", "ctrl<"), a label, then the message bytes as
// two-digit hex tokens. Other lines are skipped; "### " lines name the
// section of the lines after them.
func Read(path string) ([]Line, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	kinds := map[string]Kind{">": Command, "<": Response, "tpm>": Command, "tpm<": Response, "ctrl>": Ctrl, "ctrl<": CtrlResp}
	section := ""
	var out []Line
	sc := bufio.NewScanner(f)
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
			return nil, fmt.Errorf("%s:%d: no message bytes", path, n)
		}
		out = append(out, Line{Kind: k, Line: n, Name: strings.Join(fields[1:i], " "), Section: section, Msg: b})
	}
	return out, sc.Err()
}
