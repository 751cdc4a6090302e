package pinmap

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies enforces the package rule: boards and pinmap use the standard library and
// YAML only (no charm packages, nothing of the simulator or the driver); internal/yamlsrc is the
// loaders' shared YAML handling, itself standard library and YAML only.
func TestDependencies(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not in PATH; cannot list dependencies")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "tpmbench/pinmap").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{"tpmbench/pinmap": true, "tpmbench/boards": true, "tpmbench/internal/yamlsrc": true, "go.yaml.in/yaml/v3": true}
	for _, dep := range strings.Fields(string(out)) {
		if !allowed[dep] {
			t.Errorf("pinmap depends on %s; only boards, internal/yamlsrc and go.yaml.in/yaml/v3 are allowed", dep)
		}
	}
}
