package tpm

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// hx decodes hex with spaces, for vectors copied from traces.
func hx(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// Request vectors from real tools (swtpm logs of tpm-tools, swtpm_bios, Linux).
func TestBuildersMatchRealRequests(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"Startup(ST_CLEAR)", Startup(STClear), "00 C1 00 00 00 0C 00 00 00 99 00 01"},
		{"GetCap VERSION_VAL", GetCapVersionVal(), "00 C1 00 00 00 12 00 00 00 65 00 00 00 1A 00 00 00 00"},
		{"GetCap VERSION", GetCapVersion(), "00 C1 00 00 00 12 00 00 00 65 00 00 00 06 00 00 00 00"},
		{"GetCap TIS_TIMEOUT", GetCapProperty(PropTISTimeout), "00 C1 00 00 00 16 00 00 00 65 00 00 00 05 00 00 00 04 00 00 01 15"},
		{"GetCap DURATION", GetCapProperty(PropDuration), "00 C1 00 00 00 16 00 00 00 65 00 00 00 05 00 00 00 04 00 00 01 20"},
		{"GetCap MANUFACTURER", GetCapProperty(PropManufacturer), "00 C1 00 00 00 16 00 00 00 65 00 00 00 05 00 00 00 04 00 00 01 03"},
		{"GetCap OWNER", GetCapProperty(PropOwner), "00 C1 00 00 00 16 00 00 00 65 00 00 00 05 00 00 00 04 00 00 01 11"},
		{"GetCap FLAG permanent", GetCapFlag(CapFlagPermanent), "00 C1 00 00 00 16 00 00 00 65 00 00 00 04 00 00 00 04 00 00 01 08"},
		{"GetCap FLAG volatile", GetCapFlag(CapFlagVolatile), "00 C1 00 00 00 16 00 00 00 65 00 00 00 04 00 00 00 04 00 00 01 09"},
		{"GetCap NV_LIST", GetCapNVList(), "00 C1 00 00 00 12 00 00 00 65 00 00 00 0D 00 00 00 00"},
		{"GetCap NV_INDEX", GetCapNVIndex(0x11000), "00 C1 00 00 00 16 00 00 00 65 00 00 00 11 00 00 00 04 00 01 10 00"},
		{"ContinueSelfTest", ContinueSelfTest(), "00 C1 00 00 00 0A 00 00 00 53"},
		{"SelfTestFull", SelfTestFull(), "00 C1 00 00 00 0A 00 00 00 50"},
		{"GetTestResult", GetTestResult(), "00 C1 00 00 00 0A 00 00 00 54"},
		{"PCRRead(0)", PCRRead(0), "00 C1 00 00 00 0E 00 00 00 15 00 00 00 00"},
		{"PCRRead(17)", PCRRead(17), "00 C1 00 00 00 0E 00 00 00 15 00 00 00 11"},
		{"GetRandom(8)", GetRandom(8), "00 C1 00 00 00 0E 00 00 00 46 00 00 00 08"},
		{"PP CMD_ENABLE", TSCPhysicalPresence(PPCMDEnable), "00 C1 00 00 00 0C 40 00 00 0A 00 20"},
		{"PP PRESENT", TSCPhysicalPresence(PPPresent), "00 C1 00 00 00 0C 40 00 00 0A 00 08"},
		{"PP NOTPRESENT|LOCK", TSCPhysicalPresence(PPNotPresent | PPLock), "00 C1 00 00 00 0C 40 00 00 0A 00 14"},
		{"PhysicalEnable", PhysicalEnable(), "00 C1 00 00 00 0A 00 00 00 6F"},
		{"PhysicalDisable", PhysicalDisable(), "00 C1 00 00 00 0A 00 00 00 70"},
		{"SetDeactivated(false)", PhysicalSetDeactivated(false), "00 C1 00 00 00 0B 00 00 00 72 00"},
		{"SetDeactivated(true)", PhysicalSetDeactivated(true), "00 C1 00 00 00 0B 00 00 00 72 01"},
		{"NV_DefineSpace 0x11000 PPREAD|PPWRITE 8", NVDefineSpace(NewNVDataPublic(0x11000, NVPerPPRead|NVPerPPWrite, 8)),
			"00 C1 00 00 00 65 00 00 00 CC 00 18 00 01 10 00 00 03 00 00 00 1F" + strings.Repeat("00", 20) +
				"00 03 00 00 00 1F" + strings.Repeat("00", 20) + "00 17 00 01 00 01 00 00 00 00 00 00 08" + strings.Repeat("00", 20)},
		{"NV_ReadValue", NVReadValue(0x11000, 0, 8), "00 C1 00 00 00 16 00 00 00 CF 00 01 10 00 00 00 00 00 00 00 00 08"},
		{"NV_WriteValue", NVWriteValue(0x11000, 0, []byte{0xCA, 0xFE}), "00 C1 00 00 00 18 00 00 00 CD 00 01 10 00 00 00 00 00 00 00 00 02 CA FE"},
		{"Extend", Extend(0, [20]byte{0xAA, 19: 0xBB}), "00 C1 00 00 00 22 00 00 00 14 00 00 00 00 AA" + strings.Repeat("00", 18) + "BB"},
		{"TPM2_Startup", Startup2(SUClear), "80 01 00 00 00 0C 00 00 01 44 00 00"},
		{"TPM2_NV_ReadPublic", NVReadPublic2(0x01500000), "80 01 00 00 00 0E 00 00 01 69 01 50 00 00"},
		{"TPM2_SelfTest(YES)", SelfTest2(true), "80 01 00 00 00 0B 00 00 01 43 01"},
		{"TPM2_GetTestResult", GetTestResult2(), "80 01 00 00 00 0A 00 00 01 7C"},
		{"TPM2_GetCapability", GetCapability2(Cap2TPMProperties, uint32(PTManufacturer), 8), "80 01 00 00 00 16 00 00 01 7A 00 00 00 06 00 00 01 05 00 00 00 08"},
		{"TPM2_GetRandom", GetRandom2(8), "80 01 00 00 00 0C 00 00 01 7B 00 08"},
		{"TPM2_PCR_Read", PCRRead2(NewPCRSelection(AlgSHA256, 0)), "80 01 00 00 00 14 00 00 01 7E 00 00 00 01 00 0B 03 01 00 00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if want := hx(t, tt.want); !bytes.Equal(tt.got, want) {
				t.Errorf("got  % X\nwant % X", tt.got, want)
			}
		})
	}
}

func TestNVLockRequest(t *testing.T) {
	c, err := ParseCommand(NVLock())
	if err != nil {
		t.Fatal(err)
	}
	if c.Ordinal() != OrdNVDefineSpace || c.Tag != TagRquCommand {
		t.Fatalf("NVLock is %v tag %v", c.Ordinal(), c.Tag)
	}
	pub, _, err := ParseNVDefineSpaceRequest(c.Params)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Index != NVIndexLock || pub.DataSize != 0 || pub.Permission != 0 {
		t.Errorf("NVLock defines %+v", pub)
	}
}

func TestParseResponseSizeLies(t *testing.T) {
	tests := []struct {
		name, in, wantSub string
	}{
		{"short", "00 C4 00 00 00", "5 bytes"},
		{"size says more", "00 C4 00 00 00 1E 00 00 00 00", "byte offset 2 says 30 bytes, message has 10"},
		{"size says less", "00 C4 00 00 00 0A 00 00 00 00 00", "byte offset 2 says 10 bytes, message has 11"},
		{"request tag", "00 C1 00 00 00 0A 00 00 00 00", "byte offset 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseResponse(hx(t, tt.in))
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.wantSub) {
				t.Errorf("err = %v, want ErrMalformed mentioning %q", err, tt.wantSub)
			}
		})
	}
}

func TestResponseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
		name string
	}{
		{"00 C4 00 00 00 0A 00 00 00 26", RCInvalidPostinit, "TPM_INVALID_POSTINIT"},
		{"00 C4 00 00 00 0A 00 00 00 07", RCDisabled, "TPM_DISABLED"},
		{"00 C4 00 00 00 0A 00 00 00 06", RCDeactivated, "TPM_DEACTIVATED"},
		{"00 C4 00 00 00 0A 00 00 00 2D", RCBadPresence, "TPM_BAD_PRESENCE"},
		{"80 01 00 00 00 0A 00 00 01 00", RC2Initialize, "TPM_RC_INITIALIZE"},
		{"80 01 00 00 00 0A 00 00 01 01", RC2Failure, "TPM_RC_FAILURE"},
		{"80 01 00 00 00 0A 00 00 01 C4", RC2Value, "TPM_RC_VALUE, parameter 1"},
		{"80 01 00 00 00 0A 00 00 01 8B", RC2Handle, "TPM_RC_HANDLE, handle 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResponse(hx(t, tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got := r.Err()
			if !errors.Is(got, tt.want) {
				t.Errorf("Err() = %v, not errors.Is %v", got, tt.want)
			}
			if !strings.Contains(got.Error(), tt.name) {
				t.Errorf("Error() = %q, want it to contain %q", got.Error(), tt.name)
			}
		})
	}
	if errors.Is(RC(7), RCDeactivated) || errors.Is(RC2(0x1C4), RC2Hash) {
		t.Error("errors.Is matches a different code")
	}
	if r, _ := ParseResponse(hx(t, "00 C4 00 00 00 0A 00 00 00 00")); r.Err() != nil {
		t.Errorf("success gave %v", r.Err())
	}
}

func TestRCNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{RCInvalidPostinit.String(), "TPM_INVALID_POSTINIT (0x26)"},
		{RCBadOrdinal.Name(), "TPM_BAD_ORDINAL"},
		{RC(0x4FF).Name(), "TPM_RESULT 0x4FF"},
		{RC2Initialize.String(), "TPM_RC_INITIALIZE (0x100)"},
		{RC2(0x9A2).String(), "TPM_RC_BAD_AUTH, session 1 (0x9A2)"},
		{OrdTSCPhysicalPresence.String(), "TSC_PhysicalPresence"},
		{Ordinal(0x1234).String(), "TPM_ORD 0x1234"},
		{CCGetCapability.String(), "TPM2_GetCapability"},
		{PTFirmwareVersion1.String(), "TPM2_PT_FIRMWARE_VERSION_1"},
		{(PPNotPresent | PPLock).String(), "NOTPRESENT|LOCK"},
		{CapVersionVal.String(), "TPM_CAP_VERSION_VAL"},
		{PropTISTimeout.String(), "TPM_CAP_PROP_TIS_TIMEOUT"},
		{TagRspCommand.String(), "TPM_TAG_RSP_COMMAND"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if !RCDoingSelfTest.NonFatal() || RCDisabled.NonFatal() {
		t.Error("NonFatal wrong")
	}
}

func TestNVPermissionNames(t *testing.T) {
	// Spellings as tpm_nvinfo prints them in real outputs.
	tests := []struct {
		p    NVPermission
		want string
	}{
		{0x00001002, "WRITEALL|OWNERWRITE"},
		{0x00020002, "OWNERREAD|OWNERWRITE"},
		{0x00010001, "PPREAD|PPWRITE"},
		{0x00002000, "WRITEDEFINE"},
		{0, ""},
		{0x00000100, "0x00000100"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%08X: got %q, want %q", uint32(tt.p), got, tt.want)
		}
	}
}

func TestVersionInfo(t *testing.T) {
	tests := []struct {
		name, wire, chip, vendor string
		spec                     uint16
		errata                   uint8
		vs                       string
	}{
		// swtpm (libtpms) answer, from the reference trace.
		{"swtpm", "00 30 01 02 12 9E 00 02 03 49 42 4D 00 00 00", "1.2.18.158", "IBM", 2, 3, ""},
		// Infineon SLB9635 as printed by tpm_version on a real board.
		{"SLB9635", "00 30 01 02 03 11 00 02 02 49 46 58 00 00 05 03 11 00 08 00", "1.2.3.17", "IFX", 2, 2, "0311000800"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v VersionInfo
			if err := v.Unmarshal(hx(t, tt.wire)); err != nil {
				t.Fatal(err)
			}
			if v.Version.String() != tt.chip || v.Vendor() != tt.vendor || v.SpecLevel != tt.spec ||
				v.ErrataRev != tt.errata || hex.EncodeToString(v.VendorSpecific) != tt.vs {
				t.Errorf("decoded %+v", v)
			}
			if got := v.Marshal(); !bytes.Equal(got, hx(t, tt.wire)) {
				t.Errorf("Marshal = % X", got)
			}
		})
	}
	var v VersionInfo
	// Little-endian tag, as go-tpm would write it: must be refused.
	if err := v.Unmarshal(hx(t, "30 00 01 02 12 9E 00 02 03 49 42 4D 00 00 00")); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "byte offset 0") {
		t.Errorf("little-endian tag: %v", err)
	}
	if err := v.Unmarshal(hx(t, "00 30 01 02 12 9E 00 02 03 49 42 4D 00 00 05 01")); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "byte offset 15") {
		t.Errorf("short vendorSpecific: %v", err)
	}
}

func TestFlags(t *testing.T) {
	// Factory state (disabled, deactivated) from the swtpm reference session.
	permWire := hx(t, "00 1F 01 01 01 01 00 01 00 00 00 00 00 00 00 00 01 00 00 00 00 00")
	var p PermanentFlags
	if err := p.Unmarshal(permWire); err != nil {
		t.Fatal(err)
	}
	if !p.Disable || !p.Ownership || !p.Deactivated || !p.ReadPubek || !p.AllowMaintenance || !p.EnableRevokeEK ||
		p.NVLocked || p.PhysicalPresenceCMDEnable {
		t.Errorf("decoded %+v", p)
	}
	if !bytes.Equal(p.Marshal(), permWire) {
		t.Errorf("Marshal = % X", p.Marshal())
	}
	if fl := p.Flags(); len(fl) != 20 || fl[15].Name != "nvLocked" || fl[0] != (Flag{"disable", true}) {
		t.Errorf("Flags() = %v", fl)
	}
	volWire := hx(t, "00 20 01 00 01 00 00")
	var s STClearFlags
	if err := s.Unmarshal(volWire); err != nil {
		t.Fatal(err)
	}
	if !s.Deactivated || !s.PhysicalPresence || s.PhysicalPresenceLock || !bytes.Equal(s.Marshal(), volWire) {
		t.Errorf("decoded %+v", s)
	}
	for _, bad := range []string{"00 1F 01", "00 20 01 00 01 00 00 00", "00 20 02 00 00 00 00", "00 1F" + strings.Repeat(" 00", 20)} {
		if err := s.Unmarshal(hx(t, bad)); err == nil {
			t.Errorf("STClearFlags accepted % X", bad)
		}
	}
}

func TestNVDataPublicFromSwtpm(t *testing.T) {
	// GetCapability(NV_INDEX, 0x11000) answer from the swtpm session.
	wire := hx(t, "00 18 00 01 10 00 00 03 00 00 00 1F"+strings.Repeat("00", 20)+
		"00 03 00 00 00 1F"+strings.Repeat("00", 20)+"00 17 00 01 00 01 00 00 00 00 00 00 08")
	var n NVDataPublic
	if err := n.Unmarshal(wire); err != nil {
		t.Fatal(err)
	}
	if n.Index != 0x11000 || n.Permission.String() != "PPREAD|PPWRITE" || n.DataSize != 8 ||
		n.PCRInfoRead.LocalityAtRelease != LocalityAll || len(n.PCRInfoRead.PCRs()) != 0 || len(wire) != 71 {
		t.Errorf("decoded %+v", n)
	}
	if !bytes.Equal(n.Marshal(), wire) {
		t.Errorf("Marshal differs")
	}
	if err := n.Unmarshal(wire[:70]); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "dataSize at byte offset 67") {
		t.Errorf("truncated: %v", err)
	}
}

func TestNVListAndSized(t *testing.T) {
	r, err := ParseResponse(hx(t, "00 C4 00 00 00 12 00 00 00 00 00 00 00 04 00 01 10 00"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := ParseSized(r)
	if err != nil {
		t.Fatal(err)
	}
	var l NVList
	if err := l.Unmarshal(data); err != nil || len(l) != 1 || l[0] != 0x11000 {
		t.Fatalf("NVList %v, %v", l, err)
	}
	if err := l.Unmarshal([]byte{1, 2, 3}); !errors.Is(err, ErrMalformed) {
		t.Errorf("partial list: %v", err)
	}
	// respSize lies.
	r.Params = hx(t, "00 00 00 08 00 01 10 00")
	if _, err := ParseSized(r); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "byte offset 10") {
		t.Errorf("lying respSize: %v", err)
	}
	r.Code = uint32(RCDisabled)
	if _, err := ParseSized(r); !errors.Is(err, RCDisabled) {
		t.Errorf("error response: %v", err)
	}
}

func TestTimeoutsDurations(t *testing.T) {
	tests := []struct {
		rsp  string
		want any
	}{
		{"00 C4 00 00 00 1E 00 00 00 00 00 00 00 10 00 0B 71 B0 00 02 BF 20 00 0B 71 B0 00 0B 71 B0", Timeouts{750000, 180000, 750000, 750000}},
		{"00 C4 00 00 00 1A 00 00 00 00 00 00 00 0C 00 00 75 30 00 0F 42 40 00 3D 09 00", Durations{30000, 1000000, 4000000}},
	}
	for _, tt := range tests {
		r, err := ParseResponse(hx(t, tt.rsp))
		if err != nil {
			t.Fatal(err)
		}
		data, err := ParseSized(r)
		if err != nil {
			t.Fatal(err)
		}
		switch want := tt.want.(type) {
		case Timeouts:
			var got Timeouts
			if err := got.Unmarshal(data); err != nil || got != want || !bytes.Equal(got.Marshal(), data) {
				t.Errorf("Timeouts %+v, %v", got, err)
			}
		case Durations:
			var got Durations
			if err := got.Unmarshal(data); err != nil || got != want || !bytes.Equal(got.Marshal(), data) {
				t.Errorf("Durations %+v, %v", got, err)
			}
		}
	}
}

func TestTPM2Responses(t *testing.T) {
	// TPM2_GetCapability(TPM_PROPERTIES, 0x105, 8) answer of swtpm.
	rsp := hx(t, "80 01 00 00 00 53 00 00 00 00 01 00 00 00 06 00 00 00 08"+
		"00 00 01 05 49 42 4D 00 00 00 01 06 53 57 20 20 00 00 01 07 20 54 50 4D 00 00 01 08 00 00 00 00"+
		"00 00 01 09 00 00 00 00 00 00 01 0A 00 00 00 01 00 00 01 0B 20 19 10 23 00 00 01 0C 00 16 36 36")
	r, err := ParseResponse(rsp)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseGetCapability2(r)
	if err != nil {
		t.Fatal(err)
	}
	man, _ := c.Get(PTManufacturer)
	v1, _ := c.Get(PTVendorString1)
	v2, _ := c.Get(PTVendorString2)
	if !c.MoreData || len(c.Properties) != 8 || PropertyText(man) != "IBM" || PropertyText(v1) != "SW" || PropertyText(v2) != " TPM" {
		t.Errorf("decoded %+v", c)
	}
	if ManufacturerName(man) != "IBM" || ManufacturerName(PropertyValue("IFX")) != "Infineon" || PropertyValue("IFX") != 0x49465800 {
		t.Error("manufacturer names wrong")
	}
	if !bytes.Equal(NewResponse2(0, c.Marshal()), rsp) {
		t.Error("CapabilityData2 round trip differs")
	}
	// PCR_Read(sha256, 0) answer.
	pcr := hx(t, "80 01 00 00 00 3E 00 00 00 00 00 00 00 14 00 00 00 01 00 0B 03 01 00 00 00 00 00 01 00 20"+strings.Repeat("00", 32))
	r, err = ParseResponse(pcr)
	if err != nil {
		t.Fatal(err)
	}
	var p PCRRead2Result
	if err := p.Unmarshal(r.Params); err != nil {
		t.Fatal(err)
	}
	if p.UpdateCounter != 0x14 || len(p.Digests) != 1 || len(p.Digests[0]) != 32 || p.Selections[0].Hash != AlgSHA256 ||
		len(p.Selections[0].PCRs()) != 1 || !bytes.Equal(NewResponse2(0, p.Marshal()), pcr) {
		t.Errorf("PCR_Read decoded %+v", p)
	}
	tr, err := ParseResponse(hx(t, "80 01 00 00 00 10 00 00 00 00 00 00 00 00 00 00"))
	if err != nil {
		t.Fatal(err)
	}
	if data, rc, err := ParseGetTestResult2(tr); err != nil || len(data) != 0 || rc != 0 {
		t.Errorf("GetTestResult: %v %v %v", data, rc, err)
	}
	rnd, _ := ParseResponse(hx(t, "80 01 00 00 00 14 00 00 00 00 00 08 01 02 03 04 05 06 07 08"))
	if b, err := ParseSized2(rnd); err != nil || len(b) != 8 || b[7] != 8 {
		t.Errorf("GetRandom: % X %v", b, err)
	}
}

func TestLookupDevice(t *testing.T) {
	tests := []struct {
		didvid uint32
		want   string
	}{
		{0x000B15D1, "Infineon SLB9635 TT 1.2 (DID_VID 0x000B15D1)"},
		{0x00011014, "IBM (QEMU/swtpm) QEMU/swtpm TIS (DID_VID 0x00011014)"},
		{0x001A15D1, "Infineon SLB9660 TT 1.2 / SLB9665 TT 2.0 (DID_VID 0x001A15D1)"},
		{0x123415D1, "Infineon device 0x1234 (DID_VID 0x123415D1)"},
		{0xFFFFFFFF, "unknown vendor 0xFFFF device 0xFFFF (DID_VID 0xFFFFFFFF)"},
	}
	for _, tt := range tests {
		if got := LookupDevice(tt.didvid).String(); got != tt.want {
			t.Errorf("%08X: got %q, want %q", tt.didvid, got, tt.want)
		}
	}
	if d := LookupDevice(0x000B15D1); d.VendorShort != "IFX" || d.DeviceID != 0x000B {
		t.Errorf("%+v", d)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{DescribeCommand(GetCapProperty(PropManufacturer)), "TPM_GetCapability(TPM_CAP_PROPERTY, TPM_CAP_PROP_MANUFACTURER)"},
		{DescribeCommand(GetCapFlag(CapFlagPermanent)), "TPM_GetCapability(TPM_CAP_FLAG, PERMANENT)"},
		{DescribeCommand(GetCapVersionVal()), "TPM_GetCapability(TPM_CAP_VERSION_VAL)"},
		{DescribeCommand(GetCapNVIndex(0x11000)), "TPM_GetCapability(TPM_CAP_NV_INDEX, 0x11000)"},
		{DescribeCommand(Startup(STClear)), "TPM_Startup(ST_CLEAR)"},
		{DescribeCommand(TSCPhysicalPresence(PPNotPresent | PPLock)), "TSC_PhysicalPresence(NOTPRESENT|LOCK)"},
		{DescribeCommand(PhysicalSetDeactivated(false)), "TPM_PhysicalSetDeactivated(false)"},
		{DescribeCommand(PCRRead(17)), "TPM_PCRRead(0x11)"},
		{DescribeCommand(NVLock()), "TPM_NV_DefineSpace(0xFFFFFFFF, 0 bytes, no permissions)"},
		{DescribeCommand(GetCapability2(Cap2TPMProperties, 0x105, 8)), "TPM2_GetCapability(TPM_PROPERTIES, 0x105, 8)"},
		{DescribeCommand(PCRRead2(NewPCRSelection(AlgSHA256, 0, 7))), "TPM2_PCR_Read(sha256:[0 7])"},
		{DescribeCommand(Startup2(SUClear)), "TPM2_Startup(SU_CLEAR)"},
		{DescribeCommand([]byte{0, 0xC1, 0}), "malformed command (00 C1 00)"},
		{DescribeResponse(NewResponse(RCDisabled)), "TPM_DISABLED (0x7)"},
		{DescribeResponse(NewResponse2(RC2Initialize)), "TPM_RC_INITIALIZE (0x100)"},
		{DescribeResponse([]byte{0, 0xC4, 0, 0, 0, 0x20, 0, 0, 0, 0}), "malformed response (00 C4 00 00 00 20 00 00 00 00)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestSmallParsers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		size int
		err  bool
	}{
		{"header", "00 C4 00 00 00 1E", 30, false},
		{"short", "00 C4 00 00", 0, true},
		{"below header size", "00 C4 00 00 00 09", 0, true},
		{"above buffer", "00 C4 00 00 10 01", 0, true},
	}
	for _, tt := range tests {
		n, err := ResponseSize(hx(t, tt.in))
		if n != tt.size || (err != nil) != tt.err || (err != nil && !errors.Is(err, ErrMalformed)) {
			t.Errorf("%s: ResponseSize = %d, %v", tt.name, n, err)
		}
	}
	for _, tt := range []struct {
		in   string
		want bool
		err  bool
	}{{"00", false, false}, {"01", true, false}, {"02", false, true}, {"", false, true}, {"01 00", false, true}} {
		v, err := ParseBool(hx(t, tt.in))
		if v != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseBool(%s) = %v, %v", tt.in, v, err)
		}
	}
	if v, err := ParseUint32(hx(t, "00 00 00 18")); v != 24 || err != nil {
		t.Errorf("ParseUint32 = %v, %v", v, err)
	}
	c, err := ParseCommand(GetCapNVIndex(7))
	if err != nil || !bytes.Equal(c.Marshal(), GetCapNVIndex(7)) || c.String() != "TPM_GetCapability" {
		t.Errorf("command round trip: %+v %v", c, err)
	}
	if !OrdStartup.Known() || Ordinal(0xFFFF).Known() || !CCPCRRead.Known() || CommandCode(0x1).Known() {
		t.Error("Known wrong")
	}
	if AlgSHA384.DigestSize() != 48 || Alg(0x99).DigestSize() != 0 || Alg(0x99).String() != "alg 0x0099" {
		t.Error("Alg wrong")
	}
	var s STClearFlags
	if fl := (STClearFlags{GlobalLock: true}).Flags(); len(fl) != 5 || fl[4] != (Flag{"bGlobalLock", true}) {
		t.Errorf("STClearFlags.Flags = %v (%v)", fl, s)
	}
}
