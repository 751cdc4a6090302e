package tpm

import (
	"errors"
	"strings"
	"testing"
)

func TestTXTErrorCodeFields(t *testing.T) {
	type fields struct {
		valid, external          bool
		reserved, minor          uint32
		swSource                 bool
		major, class, module     uint32
		moduleName, sourcePrefix string
	}
	tests := []struct {
		name string
		v    TXTErrorCode
		want fields
	}{
		// The reference write-up's Ivy Bridge SINIT error.
		{"ivb sinit nv unlocked", 0xc0021041, fields{true, true, 0, 0x2, false, 0x4, 0x4, 0x1, "SINIT", "an authenticated code module (SINIT)"}},
		{"nothing recorded", 0, fields{false, false, 0, 0, false, 0, 0, 0, "BIOS ACM", "none"}},
		{"processor error 7", 0x80000007, fields{true, false, 0, 0, false, 0, 0, 0x7, "reserved (0x7)", "the processor"}},
		{"every bit", 0xFFFFFFFF, fields{true, true, 0x1F, 0x1FF, true, 0x1F, 0x3F, 0xF, "reserved (0xf)", "software other than an ACM"}},
		{"reserved bits only", 0x3E000000, fields{false, false, 0x1F, 0, false, 0, 0, 0, "BIOS ACM", "none"}},
		{"bios acm class 0x3f", 0xC00003F0, fields{true, true, 0, 0, false, 0, 0x3F, 0, "BIOS ACM", "an authenticated code module (BIOS ACM)"}},
		{"sw source", 0xC0008000, fields{true, true, 0, 0, true, 0, 0, 0, "BIOS ACM", "software other than an ACM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fields{tt.v.Valid(), tt.v.External(), tt.v.Reserved(), tt.v.Minor(), tt.v.SoftwareSource(),
				tt.v.Major(), tt.v.Class(), tt.v.ModuleType(), tt.v.ModuleName(), ""}
			if !strings.HasPrefix(tt.v.Source(), tt.want.sourcePrefix) {
				t.Errorf("Source() = %q, want prefix %q", tt.v.Source(), tt.want.sourcePrefix)
			}
			got.sourcePrefix = tt.want.sourcePrefix
			if got != tt.want {
				t.Errorf("fields of %s = %+v, want %+v", tt.v, got, tt.want)
			}
		})
	}
}

func TestTXTErrorCodeFieldsRebuildValue(t *testing.T) {
	// The fields must cover all 32 bits exactly once.
	for _, v := range []TXTErrorCode{0, 0xc0021041, 0xFFFFFFFF, 0x12345678, 0xA5A5A5A5, 0x5A5A5A5A} {
		b := func(x bool) uint32 {
			if x {
				return 1
			}
			return 0
		}
		got := b(v.Valid())<<31 | b(v.External())<<30 | v.Reserved()<<25 | v.Minor()<<16 |
			b(v.SoftwareSource())<<15 | v.Major()<<10 | v.Class()<<4 | v.ModuleType()
		if TXTErrorCode(got) != v {
			t.Errorf("fields of %s rebuild %#x", v, got)
		}
		if v.External() && v.ProcessorCode() != uint32(v)&0x3FFFFFFF {
			t.Errorf("ProcessorCode of %s = %#x", v, v.ProcessorCode())
		}
	}
}

func TestTXTErrorCodeMeaning(t *testing.T) {
	tests := []struct {
		v       TXTErrorCode
		known   bool
		command string
		minor   string
	}{
		{0xc0021041, true, "tpmbench nv lock --yes", "fatal, TPM specific"},
		{0xc0011041, true, "tpmbench nv lock --yes", ""}, // same class and major, undocumented minor
		{0x40021041, false, "", ""},                      // valid bit clear
		{0x80021041, false, "", ""},                      // processor-induced: no ACM fields
		{0xc002d041, false, "", ""},                      // software source: not an ACM table
		{0xc0021040, false, "", ""},                      // BIOS ACM: another table
		{0xc0021441, false, "", ""},                      // major 0x5
		{0, false, "", ""},
	}
	for _, tt := range tests {
		m, ok := tt.v.Meaning()
		if ok != tt.known {
			t.Errorf("Meaning(%s) known = %v, want %v", tt.v, ok, tt.known)
			continue
		}
		if m.Command != tt.command || m.Minor != tt.minor {
			t.Errorf("Meaning(%s) = command %q minor %q, want %q %q", tt.v, m.Command, m.Minor, tt.command, tt.minor)
		}
		if ok && (m.ACM == "" || m.Class == "" || m.Major == "" || m.Advice == "") {
			t.Errorf("Meaning(%s) has empty fields: %+v", tt.v, m)
		}
	}
}

func TestParseTXTErrorCode(t *testing.T) {
	tests := []struct {
		in      string
		want    TXTErrorCode
		errPart string
	}{
		{"0xc0021041", 0xc0021041, ""},
		{"0XC0021041", 0xc0021041, ""},
		{"c0021041", 0xc0021041, ""},
		{"  0xc0021041\n", 0xc0021041, ""},
		{"0x0", 0, ""},
		{"7", 7, ""},
		{"0x00000000c0021041", 0xc0021041, ""},
		{"ffffffff", 0xFFFFFFFF, ""},
		{"", 0, "no hex digits"},
		{"0x", 0, "no hex digits"},
		{"   ", 0, "no hex digits"},
		{"0xc002104g", 0, `byte 9 ('g')`},
		{" 0xz", 0, `byte 3 ('z')`},
		{"-1", 0, `byte 0 ('-')`},
		{"0x1_0", 0, `byte 3 ('_')`},
		{"0x100000000", 0, "more than 32 bits at byte 10"},
		{"0xc0021041 0x1", 0, `byte 10 (' ')`},
	}
	for _, tt := range tests {
		got, err := ParseTXTErrorCode(tt.in)
		if tt.errPart == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseTXTErrorCode(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseTXTErrorCode(%q) = %s, want an error with %q", tt.in, got, tt.errPart)
			continue
		}
		if !errors.Is(err, ErrTXTValue) || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("ParseTXTErrorCode(%q) error %q: want ErrTXTValue and %q", tt.in, err, tt.errPart)
		}
	}
}

func TestTXTErrorCodeString(t *testing.T) {
	for v, want := range map[TXTErrorCode]string{0xc0021041: "0xc0021041", 7: "0x00000007", 0: "0x00000000"} {
		if got := v.String(); got != want {
			t.Errorf("String(%#x) = %q, want %q", uint32(v), got, want)
		}
	}
}

func FuzzParseTXTErrorCode(f *testing.F) {
	for _, s := range []string{"0xc0021041", "C0021041", "", "0x", "0x100000000", " 0xffffffff ", "0xc002104g", "\x00", "0x0x1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTXTErrorCode(s)
		if err != nil {
			if !errors.Is(err, ErrTXTValue) {
				t.Fatalf("error %v does not wrap ErrTXTValue", err)
			}
			return
		}
		// A value that parses prints back to one that parses to the same value.
		again, err := ParseTXTErrorCode(v.String())
		if err != nil || again != v {
			t.Fatalf("%q → %s → %s, %v", s, v, again, err)
		}
		v.Meaning()
		_ = v.Source()
	})
}
