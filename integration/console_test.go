package integration

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestParseConsole checks the reading of /init's markers, which needs no outside program.
func TestParseConsole(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	ok := "booting...\n@@BOOTED 1.2\n@@STEP a 0\n@@STDOUT a\n" + b64("hello\n") + "\n@@STDERR a\n@@END a\n" +
		"@@STEP b 3\n@@STDOUT b\n@@STDERR b\n" + b64("bad") + "\n@@END b\n@@DONE 2.0\n"
	for _, tc := range []struct {
		name    string
		console string
		want    map[string]stepResult
		wantErr string
	}{
		{"two steps", ok, map[string]stepResult{"a": {0, "hello\n", ""}, "b": {3, "", "bad"}}, ""},
		{"kernel line inside output", strings.Replace(ok, "@@STDERR a", "[    1.5] random: crng init done\n@@STDERR a", 1),
			map[string]stepResult{"a": {0, "hello\n", ""}, "b": {3, "", "bad"}}, ""},
		{"no DONE", strings.TrimSuffix(ok, "@@DONE 2.0\n"), nil, "no @@DONE"},
		{"cut in a step", "@@STEP a 0\n@@STDOUT a\n", nil, "has no @@END"},
		{"END of another step", "@@STEP a 0\n@@END b\n@@DONE 1\n", nil, "does not close step"},
		{"bad exit code", "@@STEP a x\n", nil, "exit code"},
		{"bad base64", "@@STEP a 0\n@@STDOUT a\n!!!!\n@@STDERR a\n@@END a\n@@DONE 1\n", nil, "not base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConsole(tc.console)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseConsole error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("parseConsole = %v, want %v", got, tc.want)
			}
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("step %s = %+v, want %+v", k, got[k], w)
				}
			}
		})
	}
}
