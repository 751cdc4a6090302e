package tpm

import (
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
)

// Every message real tools exchanged with swtpm parses, and every response
// matches the family of the command it answers.
func TestReferenceTracesParse(t *testing.T) {
	ref := reftest.ReferenceDir(t)
	files, _ := filepath.Glob(filepath.Join(ref, "*", "*.trace"))
	if len(files) == 0 {
		t.Skipf("no .trace files under %s", ref)
	}
	seen := map[string]bool{}
	for _, file := range files {
		var last Command
		lines, err := reftest.Read(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, tl := range lines {
			switch tl.Kind {
			case reftest.Ctrl, reftest.CtrlResp:
				continue
			case reftest.Command:
				c, err := ParseCommand(tl.Msg)
				if err != nil {
					t.Errorf("%s:%d: %v", file, tl.Line, err)
					continue
				}
				last = c
				seen[c.String()] = true
				continue
			}
			r, err := ParseResponse(tl.Msg)
			if err != nil {
				t.Errorf("%s:%d: %v", file, tl.Line, err)
				continue
			}
			if r.Tag.Is20() != last.Tag.Is20() {
				t.Errorf("%s:%d: response tag %v to %v", file, tl.Line, r.Tag, last.Tag)
			}
			if r.Err() == nil && last.Ordinal() == OrdGetCapability && !last.Tag.Is20() {
				if _, err := ParseSized(r); err != nil {
					t.Errorf("%s:%d: %v", file, tl.Line, err)
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
