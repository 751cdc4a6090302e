package tis

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestStatusString(t *testing.T) {
	tests := []struct {
		s    Status
		want string
	}{
		{0, "0"},
		{StsValid | StsDataAvail | 10<<8, "stsValid|dataAvail burstCount=10"},
		{StsValid | StsExpect | 1<<26, "stsValid|Expect tpmFamily=1"},
		{StsCommandReady, "commandReady"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("Status(%#x).String() = %q, want %q", uint32(tt.s), got, tt.want)
		}
	}
	if Status(0xFF).sane() {
		t.Error("an all-ones status byte passes the read-zero check")
	}
}

func TestAccess(t *testing.T) {
	tests := []struct {
		a              Access
		valid, granted bool
		str            string
	}{
		{0x81, true, false, "tpmRegValidSts|tpmEstablishment"},
		{0xA1, true, true, "tpmRegValidSts|activeLocality|tpmEstablishment"},
		{0xFF, true, false, "tpmRegValidSts|activeLocality|beenSeized|Seize|pendingRequest|requestUse|tpmEstablishment|bit6"},
		{0x00, false, false, "0"},
	}
	for _, tt := range tests {
		if tt.a.Valid() != tt.valid || tt.a.Granted() != tt.granted || tt.a.String() != tt.str {
			t.Errorf("Access(%#x): Valid %v Granted %v %q, want %v %v %q", uint8(tt.a), tt.a.Valid(), tt.a.Granted(), tt.a.String(), tt.valid, tt.granted, tt.str)
		}
	}
}

func TestRegisterFamily(t *testing.T) {
	tests := []struct {
		name string
		caps IntfCapability
		id   InterfaceID
		want Family
	}{
		{"TIS 1.2 part (SLB9635)", 0x00000097, 0xFFFFFFFF, Family12},
		{"TIS 1.3 TPM 2.0 part reading INTERFACE_ID all ones (SLB9665)", 0x30000697, 0xFFFFFFFF, Family20},
		{"QEMU TPM 1.2 backend", 0x20000697, 0xFFFFFFFF, Family12},
		{"PTP FIFO", 0x30000697, 0x00000000, Family20},
	}
	for _, tt := range tests {
		if got, _ := registerFamily(tt.caps, tt.id); got != tt.want {
			t.Errorf("%s: registerFamily = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTimeoutsFromTPM(t *testing.T) {
	tests := []struct {
		name string
		us   [4]uint32
		want Timeouts
		note bool
	}{
		{"microseconds", [4]uint32{750000, 2000000, 750000, 750000}, DefaultTimeouts12, false},
		{"zeros keep defaults", [4]uint32{0, 0, 0, 0}, DefaultTimeouts12, false},
		{"milliseconds scaled", [4]uint32{750, 2000, 750, 750}, DefaultTimeouts12, true},
		{"mixed", [4]uint32{1000000, 0, 5000, 0}, Timeouts{A: time.Second, B: 2 * time.Second, C: 5 * time.Millisecond, D: 750 * time.Millisecond}, false},
	}
	for _, tt := range tests {
		got, note := timeoutsFromTPM(tt.us, DefaultTimeouts12)
		if got != tt.want || (note != "") != tt.note {
			t.Errorf("%s: got %v note %q, want %v note %v", tt.name, got, note, tt.want, tt.note)
		}
	}
	d, note := durationsFromTPM([3]uint32{2, 20, 60}, DefaultDurations12)
	if d.Short != 2*time.Millisecond || note == "" {
		t.Errorf("Broadcom-style durations in ms: got %v %q", d, note)
	}
}

// TestVendorSpecificLine checks the Infineon SLB9635 version structure from the forum log
// (vendor-specific data present) prints as tpm_version printed it.
func TestVendorSpecificLine(t *testing.T) {
	vv := []byte{0x00, 0x30, 0x01, 0x02, 0x03, 0x11, 0x00, 0x02, 0x02, 'I', 'F', 'X', 0x00, 0x00, 0x05, 0x03, 0x11, 0x00, 0x08, 0x00}
	v, err := versionReport12(vv, []byte{1, 1, 0, 0}, []byte{0x49, 0x46, 0x58, 0x00})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (&Report{Family: "1.2", Version: v}).WriteVersion(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Chip Version:        1.2.3.17\n", "Vendor Specific data: 03110008 00\n", "TPM Version:         01010000\n", "Manufacturer Info:   49465800\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
	if _, err := versionReport12(vv[:10], nil, nil); err == nil {
		t.Error("a truncated TPM_CAP_VERSION_INFO decoded without error")
	}
}

func TestParseHandles(t *testing.T) {
	good := []byte{0, 0, 0, 0, 1, 0, 0, 0, 2, 0x01, 0, 0, 1, 0x01, 0x50, 0, 0}
	h, err := parseHandles(good)
	if err != nil || len(h) != 2 || h[0] != 0x01000001 || h[1] != 0x01500000 {
		t.Fatalf("parseHandles = %#x, %v", h, err)
	}
	for _, bad := range [][]byte{nil, good[:12], append(append([]byte{}, good...), 0), {0, 0, 0, 0, 6, 0, 0, 0, 0}} {
		if _, err := parseHandles(bad); err == nil {
			t.Errorf("parseHandles(% x) accepted malformed data", bad)
		}
	}
}

func FuzzParseHandles(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 1, 0, 0, 0, 1, 0x01, 0, 0, 1})
	f.Add([]byte{0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHandles(b)
		if err == nil && 9+4*len(h) != len(b) {
			t.Errorf("accepted %d bytes for %d handles", len(b), len(h))
		}
	})
}

func FuzzHex32JSON(f *testing.F) {
	for _, s := range []string{`"0x000b15d1"`, `12`, `"0x"`, `"zz"`, `null`, `"0xffffffffff"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var h Hex32
		if err := h.UnmarshalJSON(b); err != nil {
			return
		}
		out, err := h.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Hex32
		if err := back.UnmarshalJSON(out); err != nil || back != h {
			t.Errorf("%s -> %s -> %#x, %v", b, out, uint32(back), err)
		}
	})
}

func FuzzVersionReport12(f *testing.F) {
	f.Add([]byte{0x00, 0x30, 0x01, 0x02, 0x03, 0x11, 0x00, 0x02, 0x02, 'I', 'F', 'X', 0x00, 0x00, 0x05, 0x03, 0x11, 0x00, 0x08, 0x00}, []byte{1, 1, 0, 0}, []byte("IFX\x00"))
	f.Add([]byte{0x00, 0x30, 0x01}, []byte{}, []byte{1})
	f.Fuzz(func(t *testing.T, vv, ver, man []byte) {
		v, _ := versionReport12(vv, ver, man)
		if v == nil {
			t.Fatal("nil report")
		}
		var b bytes.Buffer
		if err := (&Report{Family: "1.2", Version: v}).WriteVersion(&b); err != nil {
			t.Fatal(err)
		}
	})
}
