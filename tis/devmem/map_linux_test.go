package devmem

import (
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
)

// sparseDevMem makes the fake system's /dev/mem a sparse file long enough to hold the TIS
// window and the TXT page at their physical addresses, and writes v at address addr.
func sparseDevMem(t *testing.T, s System, addr int64, v uint32) {
	t.Helper()
	f, err := os.OpenFile(s.DevMem, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if _, err := f.WriteAt(b[:], addr); err != nil {
		t.Skipf("cannot write a sparse file at %#x here: %v", addr, err)
	}
	if err := f.Truncate(Base + Size); err != nil {
		t.Fatal(err)
	}
}

// TestOpenMapsTheSystemsDevMem maps the TIS window from the file the System names: reads see
// the file's bytes at 0xFED40000 and writes reach it.
func TestOpenMapsTheSystemsDevMem(t *testing.T) {
	s := fakeSystem(t, 0, nil, plainIomem, "")
	sparseDevMem(t, s, Base+0xF00, 0x000B15D1)
	w, err := Open(s, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := w.Read32(0xF00); err != nil || got != 0x000B15D1 {
		t.Errorf("Read32(DID_VID) = %#x, %v; want 0xb15d1 from the file", got, err)
	}
	if err := w.Write8(0x0000, 0x02); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	f, err := os.Open(s.DevMem)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, Base); err != nil {
		t.Fatal(err)
	}
	if b[0] != 0x02 {
		t.Errorf("byte at %#x = %#x after Write8(0, 2), want 2: the write did not reach the mapping", Base, b[0])
	}
}

// TestOpenTXTMapsTheSystemsDevMem maps the TXT page read-only from the file the System names.
func TestOpenTXTMapsTheSystemsDevMem(t *testing.T) {
	s := fakeSystem(t, 0, nil, plainIomem, "")
	sparseDevMem(t, s, TXTBase+TXTErrorCodeOffset, 0xc0021041)
	txt, err := OpenTXT(s)
	if err != nil {
		t.Fatal(err)
	}
	defer txt.Close()
	if got, err := txt.ErrorCode(); err != nil || got != 0xc0021041 {
		t.Errorf("ErrorCode = %#x, %v; want 0xc0021041", got, err)
	}
	if got, err := txt.Status(); err != nil || got != 0 {
		t.Errorf("Status = %#x, %v; want 0 (a hole in the file)", got, err)
	}
	if err := txt.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestMapMissingDevMem: the device vanishing between the check and the open (or a System whose
// check was skipped) still gives the missing-/dev/mem explanation, for both mappings.
func TestMapMissingDevMem(t *testing.T) {
	s := withoutDevMem(t, fakeSystem(t, 0, nil, plainIomem, ""))
	for _, what := range []string{"the TIS window", "the TXT page"} {
		_, _, err := s.mapPhys(TXTBase, TXTSize, what == "the TIS window", what)
		if !errors.Is(err, ErrNoDevMem) || !strings.Contains(err.Error(), s.DevMem) || strings.Contains(err.Error(), "iomem=relaxed") {
			t.Errorf("%s: mapPhys without /dev/mem = %v; want ErrNoDevMem naming %s and no iomem=relaxed hint", what, err, s.DevMem)
		}
	}
}
