package tpm

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// referenceDir finds the directory of real tool outputs: TPMBENCH_REFERENCE,
// or a shared/reference directory beside the checkout (searched upward from
// the module root). It skips the test when there is none.
func referenceDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("TPMBENCH_REFERENCE"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared", "reference")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no reference outputs: set TPMBENCH_REFERENCE or place shared/reference beside the checkout")
		}
		dir = parent
	}
}

var hexByte = regexp.MustCompile(`^[0-9A-Fa-f]{2}$`)

// traceLine is one data-socket message of a swtpm trace: dir is '>' (to the
// TPM) or '<' (from the TPM).
type traceLine struct {
	dir  byte
	line int
	msg  []byte
}

// readTrace reads the data-socket messages of a .trace file; control-socket
// lines are skipped. The hex bytes are the trailing two-digit tokens.
func readTrace(t *testing.T, path string) []traceLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []traceLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || (fields[0] != ">" && fields[0] != "<") {
			continue
		}
		i := len(fields)
		for i > 1 && hexByte.MatchString(fields[i-1]) {
			i--
		}
		b, err := hex.DecodeString(strings.Join(fields[i:], ""))
		if err != nil || len(b) == 0 {
			t.Fatalf("%s:%d: no hex bytes", path, n)
		}
		out = append(out, traceLine{dir: fields[0][0], line: n, msg: b})
	}
	return out
}

// Every message real tools exchanged with swtpm parses, and every response
// matches the family of the command it answers.
func TestReferenceTracesParse(t *testing.T) {
	ref := referenceDir(t)
	files, _ := filepath.Glob(filepath.Join(ref, "*", "*.trace"))
	if len(files) == 0 {
		t.Skipf("no .trace files under %s", ref)
	}
	seen := map[string]bool{}
	for _, file := range files {
		var last Command
		for _, tl := range readTrace(t, file) {
			if tl.dir == '>' {
				c, err := ParseCommand(tl.msg)
				if err != nil {
					t.Errorf("%s:%d: %v", file, tl.line, err)
					continue
				}
				last = c
				seen[c.String()] = true
				continue
			}
			r, err := ParseResponse(tl.msg)
			if err != nil {
				t.Errorf("%s:%d: %v", file, tl.line, err)
				continue
			}
			if r.Tag.Is20() != last.Tag.Is20() {
				t.Errorf("%s:%d: response tag %v to %v", file, tl.line, r.Tag, last.Tag)
			}
			if r.Err() == nil && last.Ordinal() == OrdGetCapability && !last.Tag.Is20() {
				if _, err := ParseSized(r); err != nil {
					t.Errorf("%s:%d: %v", file, tl.line, err)
				}
			}
		}
	}
	for _, name := range []string{"TPM_Startup", "TPM_GetCapability", "TSC_PhysicalPresence", "TPM2_GetCapability"} {
		if !seen[name] {
			t.Errorf("traces contain no %s (seen %v)", name, seen)
		}
	}
	for name := range seen {
		if strings.Contains(name, "0x") {
			t.Errorf("command %s from a reference trace has no name", name)
		}
	}
}
