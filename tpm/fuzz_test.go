package tpm

import (
	"bytes"
	"testing"
)

func seeds(f *testing.F, msgs ...[]byte) {
	for _, m := range msgs {
		f.Add(m)
	}
}

func FuzzParseResponse(f *testing.F) {
	seeds(f, NewResponse(0, Sized(VersionInfo{VendorID: [4]byte{'I', 'F', 'X'}}.Marshal())),
		NewResponse(RCDisabled), NewResponse2(0, CapabilityData2{Properties: []TaggedProperty{{PTManufacturer, 1}}}.Marshal()),
		[]byte{0, 0xC4, 0, 0, 0, 0x1E, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Marshal(), b) {
			t.Fatalf("round trip differs")
		}
		_ = r.Err()
		_, _ = ParseSized(r)
		_, _ = ParsePCRRead(r)
		_, _ = ParseSized2(r)
		_, _, _ = ParseGetTestResult2(r)
		_, _ = ParseGetCapability2(r)
		var p PCRRead2Result
		_ = p.Unmarshal(r.Params)
	})
}

func FuzzParseCommand(f *testing.F) {
	seeds(f, GetCapNVIndex(1), NVLock(), PCRRead2(NewPCRSelection(AlgSHA1, 0, 7)), GetCapability2(6, 0x100, 127))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err != nil {
			return
		}
		_ = c.String()
		_ = DescribeCommand(b)
		_ = DescribeResponse(b)
		_, _ = ParseGetCapabilityRequest(c.Params)
		_, _, _ = ParseNVDefineSpaceRequest(c.Params)
		_, _ = ParseGetCapabilityRequest2(c.Params)
		_, _ = ParsePCRReadRequest2(c.Params)
		_, _ = ResponseSize(b)
	})
}

// FuzzStructures feeds the same bytes to every structure decoder; whatever
// decodes must encode back to the same bytes.
func FuzzStructures(f *testing.F) {
	seeds(f, VersionInfo{VendorSpecific: []byte{3, 0x13, 0, 0xB, 0}}.Marshal(), PermanentFlags{NVLocked: true}.Marshal(),
		STClearFlags{Deactivated: true}.Marshal(), NewNVDataPublic(0x11000, NVPerPPRead, 8).Marshal(),
		NVList{1, 2}.Marshal(), Timeouts{1, 2, 3, 4}.Marshal(), Durations{1, 2, 3}.Marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		var v VersionInfo
		if v.Unmarshal(b) == nil && !bytes.Equal(v.Marshal(), b) {
			t.Errorf("VersionInfo round trip")
		}
		var p PermanentFlags
		if p.Unmarshal(b) == nil && !bytes.Equal(p.Marshal(), b) {
			t.Errorf("PermanentFlags round trip")
		}
		var s STClearFlags
		if s.Unmarshal(b) == nil && !bytes.Equal(s.Marshal(), b) {
			t.Errorf("STClearFlags round trip")
		}
		var n NVDataPublic
		if n.Unmarshal(b) == nil && !bytes.Equal(n.Marshal(), b) {
			t.Errorf("NVDataPublic round trip")
		}
		var l NVList
		if l.Unmarshal(b) == nil && !bytes.Equal(l.Marshal(), b) {
			t.Errorf("NVList round trip")
		}
		var to Timeouts
		if to.Unmarshal(b) == nil && !bytes.Equal(to.Marshal(), b) {
			t.Errorf("Timeouts round trip")
		}
		var du Durations
		if du.Unmarshal(b) == nil && !bytes.Equal(du.Marshal(), b) {
			t.Errorf("Durations round trip")
		}
		var ver Version
		_ = ver.Unmarshal(b)
		_, _ = ParseUint32(b)
		_, _ = ParseBool(b)
		var c CapabilityData2
		if c.Unmarshal(b) == nil && !bytes.Equal(c.Marshal(), normMore(b)) {
			t.Errorf("CapabilityData2 round trip")
		}
	})
}

// normMore maps a non-zero moreData byte to 1, as Marshal writes it.
func normMore(b []byte) []byte {
	out := append([]byte(nil), b...)
	if len(out) > 0 && out[0] != 0 {
		out[0] = 1
	}
	return out
}
