package archtest

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// pkgInfo is the part of `go list -json` output the rules need.
type pkgInfo struct {
	ImportPath string
	Dir        string
	Imports    []string
	Deps       []string
	GoFiles    []string
}

func listPackages(t *testing.T) []pkgInfo {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "tpmbench/...")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, errb.String())
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(&out)
	for {
		var p pkgInfo
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}

func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// TestPackageRules checks the import rules of the design: tis never reaches lpcsim, only cmd
// imports tui, nothing below tui uses charm packages, tpm stays on the standard library, and only
// tis/devmem touches unsafe or periph's physical-memory package.
func TestPackageRules(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, d := range p.Deps {
			switch {
			case under(p.ImportPath, "tpmbench/tis") && under(d, "tpmbench/lpcsim"):
				t.Errorf("%s depends on %s: tis must not import lpcsim (lpcsim satisfies tis.Bus structurally)", p.ImportPath, d)
			case under(d, "tpmbench/tui") && !under(p.ImportPath, "tpmbench/cmd") && !under(p.ImportPath, "tpmbench/tui"):
				t.Errorf("%s depends on %s: only cmd may import tui", p.ImportPath, d)
			case strings.HasPrefix(d, "charm.land/") && !under(p.ImportPath, "tpmbench/tui") && !under(p.ImportPath, "tpmbench/cmd"):
				t.Errorf("%s depends on %s: charm packages belong in tui and cmd only", p.ImportPath, d)
			}
		}
		if under(p.ImportPath, "tpmbench/tpm") {
			for _, d := range p.Deps {
				if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") {
					t.Errorf("%s depends on %s: tpm uses the standard library only", p.ImportPath, d)
				}
			}
		}
		for _, imp := range p.Imports {
			switch {
			case imp == "unsafe" && !under(p.ImportPath, "tpmbench/tis/devmem"):
				t.Errorf("%s imports unsafe: only tis/devmem may", p.ImportPath)
			case (imp == "syscall" || imp == "golang.org/x/sys/unix" || imp == "periph.io/x/host/v3/pmem") && !under(p.ImportPath, "tpmbench/tis/devmem"):
				t.Errorf("%s imports %s: only tis/devmem maps physical memory", p.ImportPath, imp)
			}
		}
	}
}
