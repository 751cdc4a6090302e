package devmem

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMapTXTFromFile maps a sparse file standing in for /dev/mem: the page comes from offset
// 0xFED30000 and reads see the file's bytes.
func TestMapTXTFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mem")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var v [4]byte
	binary.LittleEndian.PutUint32(v[:], 0xc0021041)
	if _, err := f.WriteAt(v[:], TXTBase+TXTErrorCodeOffset); err != nil {
		t.Skipf("cannot write a sparse file at %#x here: %v", TXTBase, err)
	}
	if err := f.Truncate(TXTBase + TXTSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	txt, err := mapTXT(path)
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
	if _, err := mapTXT(filepath.Join(t.TempDir(), "absent")); err == nil || !strings.Contains(err.Error(), "/dev/mem") {
		t.Errorf("mapTXT of a missing file = %v, want an error that names /dev/mem", err)
	}
}
