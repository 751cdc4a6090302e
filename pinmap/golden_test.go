package pinmap

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/boards"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenDir is where the wiring goldens live, at the module root.
const goldenDir = "../fixtures/wire"

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pinmap -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./pinmap -update after checking the change):\n%s", name, diffLines(string(want), string(got)))
	}
}

// diffLines shows the first lines that differ.
func diffLines(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 8; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("- " + w + "\n+ " + g + "\n")
			shown++
		}
	}
	return b.String()
}

// targets is every board and every LPC or SPI header in the database.
func targets(db *boards.DB) []string {
	var ids []string
	for _, b := range db.Boards() {
		ids = append(ids, b.ID)
	}
	for _, c := range db.Connectors() {
		if c.Role == boards.RoleHeader {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// TestGoldenEveryPair renders the generated wiring of every module on every board and header,
// as text and JSON, and compares with the goldens in fixtures/wire.
func TestGoldenEveryPair(t *testing.T) {
	db := openDB(t)
	n := 0
	for _, m := range db.Connectors() {
		if m.Role != boards.RoleModule {
			continue
		}
		for _, target := range targets(db) {
			name := m.ID + "__" + target
			t.Run(name, func(t *testing.T) {
				s := setup(t, db, m.ID, target)
				r := NewReport(s, Generate(s))
				var txt, js bytes.Buffer
				if err := r.WriteText(&txt); err != nil {
					t.Fatal(err)
				}
				if err := r.WriteJSON(&js); err != nil {
					t.Fatal(err)
				}
				var back JSONReport
				if err := json.Unmarshal(js.Bytes(), &back); err != nil {
					t.Fatalf("JSON does not read back: %v", err)
				}
				if len(back.Wires) != len(r.Wiring.Wires) || back.OK != r.OK() {
					t.Errorf("JSON round trip: %d wires ok=%v, want %d ok=%v", len(back.Wires), back.OK, len(r.Wiring.Wires), r.OK())
				}
				golden(t, name+".txt", txt.Bytes())
				golden(t, name+".json", js.Bytes())
			})
			n++
		}
	}
	if n < 4*20 {
		t.Errorf("only %d module/board pairs", n)
	}
}

// TestGoldenFormats renders the reference bench in every format.
func TestGoldenFormats(t *testing.T) {
	db := openDB(t)
	s := setup(t, db, "asus-tpm-20-1", "apu1d")
	r := NewReport(s, Generate(s))
	for _, f := range []struct {
		ext   string
		write func(*bytes.Buffer) error
	}{
		{"md", func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"csv", func(b *bytes.Buffer) error { return r.WriteCSV(b) }},
		{"svg", func(b *bytes.Buffer) error { return r.WriteSVG(b) }},
		{"wireviz.yaml", func(b *bytes.Buffer) error { return r.WriteWireViz(b) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatalf("%s: %v", f.ext, err)
		}
		golden(t, "asus-tpm-20-1__apu1d."+f.ext, b.Bytes())
	}
}

// TestGoldenPins renders the pin table and drawing of every connector.
func TestGoldenPins(t *testing.T) {
	db := openDB(t)
	for _, c := range db.Connectors() {
		var b bytes.Buffer
		if err := WritePins(&b, c); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "seen from above") || strings.Count(b.String(), "\n") < len(c.Pins)*2 {
			t.Errorf("%s: pin listing lacks the table or the drawing", c.ID)
		}
		path := filepath.Join("..", "fixtures", "boards", c.ID+".txt")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pinmap -update)", err)
		}
		if !bytes.Equal(want, b.Bytes()) {
			t.Errorf("%s differs:\n%s", path, diffLines(string(want), b.String()))
		}
	}
}
