package devmem

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	"tpmbench/tpm"
)

func TestTXTRegisterAddresses(t *testing.T) {
	if TXTBase+TXTErrorCodeOffset != tpm.TXTErrorCodeAddr {
		t.Errorf("TXTBase+TXTErrorCodeOffset = %#x, want TXT.ERRORCODE at %#x", TXTBase+TXTErrorCodeOffset, tpm.TXTErrorCodeAddr)
	}
	if TXTBase%TXTSize != 0 || TXTSize != 4096 {
		t.Errorf("TXT mapping %#x+%#x is not one aligned 4 KiB page", TXTBase, TXTSize)
	}
}

func TestTXTReads(t *testing.T) {
	mem := make([]byte, TXTSize)
	binary.LittleEndian.PutUint32(mem[0x00:], 0x00000001)
	binary.LittleEndian.PutUint32(mem[0x04:], 0xAAAAAAAA) // high half of TXT.STS: never read
	binary.LittleEndian.PutUint32(mem[0x08:], 0x00000041)
	binary.LittleEndian.PutUint32(mem[0x30:], 0xc0021041)
	binary.LittleEndian.PutUint32(mem[0x34:], 0x55555555)
	txt := TXTFromBytes(mem)
	tests := []struct {
		name string
		read func() (uint32, error)
		want uint32
	}{
		{"ErrorCode", txt.ErrorCode, 0xc0021041},
		{"Status", txt.Status, 0x00000001},
		{"ErrorStatus", txt.ErrorStatus, 0x00000041},
	}
	for _, tt := range tests {
		if got, err := tt.read(); err != nil || got != tt.want {
			t.Errorf("%s = %#x, %v; want %#x", tt.name, got, err, tt.want)
		}
	}
	if err := txt.Close(); err != nil {
		t.Errorf("Close of plain memory: %v", err)
	}
}

func TestTXTRejectsBadMemory(t *testing.T) {
	mem := make([]byte, TXTSize+4)
	tests := []struct {
		name string
		txt  *TXTSpace
		want string
	}{
		{"too short", TXTFromBytes(mem[:0x32]), "outside the 0x32-byte TXT mapping"},
		{"misaligned", TXTFromBytes(mem[1 : TXTSize+1]), "not 4-byte aligned"},
	}
	for _, tt := range tests {
		if _, err := tt.txt.ErrorCode(); err == nil || !strings.Contains(err.Error(), tt.want) ||
			!strings.Contains(err.Error(), "TXT.ERRORCODE") {
			t.Errorf("%s: ErrorCode err = %v, want one naming TXT.ERRORCODE and %q", tt.name, err, tt.want)
		}
	}
}

// TestTXTHasNoWrites: the TXT space must stay read-only in its API, not only in its mapping.
func TestTXTHasNoWrites(t *testing.T) {
	typ := reflect.TypeFor[*TXTSpace]()
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; strings.Contains(strings.ToLower(name), "write") || strings.HasPrefix(name, "Set") {
			t.Errorf("TXTSpace has a method %s", name)
		}
	}
}

func TestCheckTXT(t *testing.T) {
	tests := []struct {
		name    string
		sys     func(t *testing.T) System
		want    error
		mention string
	}{
		{"root, no lockdown", func(t *testing.T) System { return fakeSystem(t, 0, nil, plainIomem, "[none] integrity\n") }, nil, ""},
		{"a TPM driver does not own TXT space", func(t *testing.T) System {
			return fakeSystem(t, 0, []string{"tpm0"}, plainIomem+"fed40000-fed44fff : tpm_tis\n", "")
		}, nil, ""},
		{"not root", func(t *testing.T) System { return fakeSystem(t, 1000, nil, plainIomem, "") }, ErrNotRoot, "sudo"},
		{"lockdown", func(t *testing.T) System {
			return fakeSystem(t, 0, nil, plainIomem, "none [integrity] confidentiality\n")
		}, ErrLockdown, "lockdown=none"},
		{"no /dev/mem", func(t *testing.T) System {
			return withoutDevMem(t, fakeSystem(t, 0, nil, plainIomem, ""))
		}, ErrNoDevMem, "container"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.sys(t).CheckTXT()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckTXT = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("CheckTXT = %v, want %v mentioning %q", err, tt.want, tt.mention)
			}
			if txt, err := OpenTXT(tt.sys(t)); !errors.Is(err, tt.want) || txt != nil {
				t.Errorf("OpenTXT = %v, %v; want %v before any mapping", txt, err, tt.want)
			}
		})
	}
}
