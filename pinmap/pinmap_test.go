package pinmap

import (
	"slices"
	"testing"

	"tpmbench/boards"
)

func openDB(t testing.TB) *boards.DB {
	t.Helper()
	db, err := boards.Open("")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func setup(t testing.TB, db *boards.DB, module, board string) Setup {
	t.Helper()
	s, err := Resolve(db, module, board)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReferenceWiring checks the generated wiring of the reference bench row for row: the
// write-up's wires (1→1 LCLK, 3→11 LFRAME#, 5→13 LRESET#, 7→9 LAD3, 8→7 LAD2, 9 and 15→18,
// 10→5 LAD1, 11→3 LAD0, 16→19 SERIRQ) plus the ground wires it lacked.
func TestReferenceWiring(t *testing.T) {
	s := setup(t, openDB(t), "asus-tpm-20-1", "apu1d")
	w := Generate(s)
	want := []struct {
		m, b   int
		signal string
	}{
		{1, 1, "LCLK"}, {2, 2, "GND"}, {3, 11, "LFRAME#"}, {5, 13, "LRESET#"}, {7, 9, "LAD3"},
		{8, 7, "LAD2"}, {9, 18, "+3V3"}, {10, 5, "LAD1"}, {11, 3, "LAD0"}, {15, 18, "+3V3SB"},
		{16, 19, "SERIRQ"}, {17, 17, "GND"},
	}
	if len(w.Wires) != len(want) {
		t.Fatalf("%d wires, want %d: %+v", len(w.Wires), len(want), w.Wires)
	}
	for i, tw := range want {
		g := w.Wires[i]
		if g.ModulePin != tw.m || g.BoardPin != tw.b || g.Signal != tw.signal {
			t.Errorf("row %d = %d→%d %s, want %d→%d %s", i, g.ModulePin, g.BoardPin, g.Signal, tw.m, tw.b, tw.signal)
		}
	}
	if w.Module != "asus-tpm-20-1" || w.Board != "pcengines-lpc-2x10" || w.BoardID != "apu1d" {
		t.Errorf("wiring names %s → %s (%s)", w.Module, w.Board, w.BoardID)
	}
	if sb := w.Wires[9]; sb.BoardSignal != "+3V3" || sb.Note == "" {
		t.Errorf("standby wire %+v: want board signal +3V3 and a note", sb)
	}
	fs := Check(s, w)
	if HasErrors(fs) {
		t.Errorf("generated reference wiring has errors: %+v", fs)
	}
	for _, code := range []string{CodeStandbyRail, CodeKeyConflict, CodeNoLPCPD, CodeNoCLKRUN, CodeNeverPins, CodePinoutDiffers} {
		if !hasCode(fs, code) {
			t.Errorf("no %s finding for the reference bench", code)
		}
	}
	f := find(fs, CodeNeverPins)
	if !slices.Equal(f.BoardPins, []int{14, 15, 16, 20}) {
		t.Errorf("never-connect pins = %v, want 14, 15, 16, 20", f.BoardPins)
	}
}

func hasCode(fs []Finding, code string) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Code == code })
}

func find(fs []Finding, code string) Finding {
	for _, f := range fs {
		if f.Code == code {
			return f
		}
	}
	return Finding{}
}

// TestKGPEWiring compares with the published TPM1A to KGPE-D16 table (PCLK 1→1, LAD0 3→11,
// LAD1 5→10, LAD2 7→8, LAD3 9→7, FRAME 11→3, RESET 13→5, V3 18→9, SERIRQ 19→16).
func TestKGPEWiring(t *testing.T) {
	w := Generate(setup(t, openDB(t), "pcengines-tpm1a", "kgpe-d16"))
	want := map[int]int{1: 1, 3: 11, 5: 10, 7: 8, 9: 7, 11: 3, 13: 5, 18: 9, 19: 16}
	for _, wire := range w.Wires {
		if wire.Signal == "GND" {
			continue
		}
		if want[wire.ModulePin] != wire.BoardPin {
			t.Errorf("wire %d→%d (%s), want →%d", wire.ModulePin, wire.BoardPin, wire.Signal, want[wire.ModulePin])
		}
		delete(want, wire.ModulePin)
	}
	if len(want) > 0 {
		t.Errorf("missing wires from module pins %v", want)
	}
}

func TestDirectFit(t *testing.T) {
	db := openDB(t)
	s := setup(t, db, "pcengines-tpm1a", "apu2")
	w := Generate(s)
	for _, wire := range w.Wires {
		if wire.ModulePin != wire.BoardPin {
			t.Errorf("direct fit wire %d→%d", wire.ModulePin, wire.BoardPin)
		}
	}
	if len(w.Wires) != 16 { // 20 pins minus 4 NC
		t.Errorf("%d wires, want 16", len(w.Wires))
	}
	fs := Check(s, w)
	if HasErrors(fs) || !hasCode(fs, CodeDirectFit) || hasCode(fs, CodeFlyingLeads) {
		t.Errorf("findings %+v", fs)
	}
}
