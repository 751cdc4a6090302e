package reftest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Line
		wantErr string
	}{
		{
			name: "data and control lines with sections",
			in: "# comment\n### startup\n>     TPM_Startup    00 C1 00 00\n" +
				"<     rc=0x0  00 C4\nctrl> CMD_INIT 00 02\nctrl< ok 00\n\n### next\ntpm> x AB\n",
			want: []Line{
				{Kind: Command, Line: 3, Name: "TPM_Startup", Section: "startup", Msg: []byte{0x00, 0xC1, 0x00, 0x00}},
				{Kind: Response, Line: 4, Name: "rc=0x0", Section: "startup", Msg: []byte{0x00, 0xC4}},
				{Kind: Ctrl, Line: 5, Name: "CMD_INIT", Section: "startup", Msg: []byte{0x00, 0x02}},
				{Kind: CtrlResp, Line: 6, Name: "ok", Section: "startup", Msg: []byte{0x00}},
				{Kind: Command, Line: 9, Name: "x", Section: "next", Msg: []byte{0xAB}},
			},
		},
		{name: "label only", in: "> TPM_Startup\n", wantErr: "t.trace:1: no message bytes"},
		{name: "no trace lines", in: "hello\nworld\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "t.trace")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Kind != w.Kind || g.Line != w.Line || g.Name != w.Name || g.Section != w.Section || !bytes.Equal(g.Msg, w.Msg) {
					t.Errorf("line %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestExchanges(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Exchange
		wantErr bool
	}{
		{
			name: "pairs, control lines left out",
			in:   "> A 01\nctrl> C 09\n< r 02\n> B 03\n",
			want: []Exchange{{Name: "A", Line: 1, Cmd: []byte{1}, Rsp: []byte{2}}, {Name: "B", Line: 4, Cmd: []byte{3}}},
		},
		{name: "response first", in: "< r 02\n", wantErr: true},
		{name: "two responses", in: "> A 01\n< r 02\n< r 03\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := Parse(strings.NewReader(tt.in), "t")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Exchanges(lines)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Name != w.Name || g.Line != w.Line || !bytes.Equal(g.Cmd, w.Cmd) || !bytes.Equal(g.Rsp, w.Rsp) {
					t.Errorf("exchange %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "checkout", "pkg", "sub")
	for _, d := range []string{deep, filepath.Join(root, "shared", "reference")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(deep)

	t.Setenv("TPMBENCH_REFERENCE", "")
	t.Setenv("TPMBENCH_CAPTURES", "")
	if d, ok := Reference(); !ok || d != filepath.Join(root, "shared", "reference") {
		t.Errorf("Reference() = %q, %v; want the shared/reference above the working directory", d, ok)
	}
	if d, ok := Captures(); ok {
		t.Errorf("Captures() = %q, true; want none (no shared/captures above %s)", d, deep)
	}

	t.Setenv("TPMBENCH_CAPTURES", "/elsewhere/captures")
	if d, ok := Captures(); !ok || d != "/elsewhere/captures" {
		t.Errorf("Captures() with TPMBENCH_CAPTURES set = %q, %v; want the variable's value", d, ok)
	}
}

func TestCaptureSkips(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "lpc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "lpc", "a.sr"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TPMBENCH_CAPTURES", root)
	t.Run("present", func(t *testing.T) {
		if got, want := Capture(t, "lpc/a.sr"), filepath.Join(root, "lpc", "a.sr"); got != want {
			t.Errorf("Capture = %q, want %q", got, want)
		}
	})
	var skipped bool
	t.Run("absent", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Capture(t, "lpc/missing.sr")
	})
	if !skipped {
		t.Error("Capture of a missing file did not skip the test")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(">     TPM_Startup  00 C1 00 00 00 0C 00 00 00 99 00 01\n<  rc=0x0  00 C4\n")
	f.Add("### s\nctrl> x 0\n> \n< zz 0G\n")
	f.Fuzz(func(t *testing.T, s string) {
		lines, err := Parse(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		for _, l := range lines {
			if len(l.Msg) == 0 {
				t.Fatalf("line %d: empty message accepted", l.Line)
			}
		}
		_, _ = Exchanges(lines)
	})
}

func TestTraceExchanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.trace")
	if err := os.WriteFile(path, []byte(">  TPM_Startup  00 C1\n<  rc=0x0  00 C4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	x := TraceExchanges(t, path)
	if len(x) != 1 || x[0].Name != "TPM_Startup" || !bytes.Equal(x[0].Cmd, []byte{0x00, 0xC1}) || !bytes.Equal(x[0].Rsp, []byte{0x00, 0xC4}) {
		t.Errorf("TraceExchanges = %+v", x)
	}
}
