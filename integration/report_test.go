package integration

import (
	"encoding/json"
	"strconv"
	"testing"
)

// report is the part of `tpmbench probe --json` the tests read (the field names are the
// command's stable JSON names).
type report struct {
	Answered bool   `json:"answered"`
	Complete bool   `json:"complete"`
	DIDVID   string `json:"did_vid"`
	Family   string `json:"family"`
	Startup  *struct {
		Issued         bool   `json:"issued"`
		Result         string `json:"result"`
		AlreadyStarted bool   `json:"already_started"`
		Started        bool   `json:"started"`
	} `json:"startup"`
	SelfTest string `json:"self_test"`
	PCR0     string `json:"pcr0"`
	Enabled  *bool  `json:"enabled"`
	Active   *bool  `json:"active"`
	Owned    *bool  `json:"owned"`
	NVLocked *bool  `json:"nv_locked"`
	Version  *struct {
		ChipVersion    string `json:"chip_version"`
		SpecLevel      int    `json:"spec_level"`
		ErrataRevision int    `json:"errata_revision"`
		TPMVendorID    string `json:"tpm_vendor_id"`
		TPMVersion     string `json:"tpm_version"`
		Manufacturer   string `json:"manufacturer"`
	} `json:"version"`
	PermanentFlags []flag     `json:"permanent_flags"`
	VolatileFlags  []flag     `json:"volatile_flags"`
	Properties     []property `json:"fixed_properties"`
	Log            []string   `json:"log"`
}

type flag struct {
	Name  string `json:"name"`
	Value bool   `json:"value"`
}

type property struct {
	Name string `json:"name"`
	Raw  string `json:"raw"`
}

// parseReport decodes a probe's JSON output, failing the test on anything else.
func parseReport(t *testing.T, r stepResult) report {
	t.Helper()
	var rep report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("probe output is not the JSON report: %v\n%v", err, r)
	}
	return rep
}

// hex32 reads a report's "0x..." value, failing the test when it is not one.
func hex32(t *testing.T, what, s string) uint32 {
	t.Helper()
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		t.Fatalf("report field %s = %q: not a hex number: %v", what, s, err)
	}
	return uint32(v)
}

func boolp(p *bool) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatBool(*p)
}
