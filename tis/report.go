package tis

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Hex32 is a register value that JSON shows as a hex string, such as "0x000b15d1".
type Hex32 uint32

// MarshalJSON writes the value as a quoted hex string.
func (h Hex32) MarshalJSON() ([]byte, error) { return json.Marshal(fmt.Sprintf("%#08x", uint32(h))) }

// UnmarshalJSON reads a quoted hex string (or a plain number).
func (h *Hex32) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n uint32
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("tis: Hex32: %s is neither a hex string nor a number", b)
		}
		*h = Hex32(n)
		return nil
	}
	var v uint32
	if _, err := fmt.Sscanf(s, "0x%x", &v); err != nil {
		return fmt.Errorf("tis: Hex32: %q is not 0x-prefixed hex: %w", s, err)
	}
	*h = Hex32(v)
	return nil
}

// Report is what a probe learned. Its JSON field names are stable and the same for TPM 1.2 and
// TPM 2.0; what does not apply to the family found is null. Pointers are nil when the probe did
// not get that far.
type Report struct {
	Answered bool `json:"answered"` // something that looks like a TPM answered in the window
	Complete bool `json:"complete"` // every probe step ran (the TPM's state is in the report)

	Locality       int    `json:"locality"`        // the TIS locality probed (0-3)
	DIDVID         *Hex32 `json:"did_vid"`         // TPM_DID_VID as read, device ID in the high half; nil when not read
	VendorID       *Hex32 `json:"vendor_id"`       // the low half of DID_VID (TCG vendor ID); nil unless a TPM answered
	DeviceID       *Hex32 `json:"device_id"`       // the high half of DID_VID; nil unless a TPM answered
	RevisionID     *int   `json:"revision_id"`     // TPM_RID; nil when not read
	Vendor         string `json:"vendor"`          // e.g. "Infineon"
	Device         string `json:"device"`          // e.g. "SLB9635 TT 1.2"
	Family         string `json:"family"`          // "1.2", "2.0" or "unknown"
	Interface      string `json:"interface"`       // the interface the registers describe, e.g. "TIS 1.3 for TPM 2.0"; "" when not read
	IntfCapability *Hex32 `json:"intf_capability"` // TPM_INTF_CAPABILITY as read; nil when not read
	InterfaceID    *Hex32 `json:"interface_id"`    // TPM_INTERFACE_ID as read (all ones on TIS 1.2/1.3 parts); nil when not read

	Timeouts        *TimeoutsReport  `json:"timeouts"`          // the TIS timeouts in use
	Durations       *DurationsReport `json:"durations"`         // the command durations in use
	Startup         *StartupReport   `json:"startup"`           // what was done about TPM_Startup
	SelfTest        string           `json:"self_test"`         // "" (not run), "passed" or the return code
	PCR0            string           `json:"pcr0"`              // result of PCRRead(0): "readable" or the return code
	Enabled         *bool            `json:"enabled"`           // not disabled
	Active          *bool            `json:"active"`            // not deactivated
	TempDeactivated *bool            `json:"temp_deactivated"`  // TPM_STCLEAR_FLAGS.deactivated (1.2)
	Owned           *bool            `json:"owned"`             // an owner is installed
	NVLocked        *bool            `json:"nv_locked"`         // TPM_PERMANENT_FLAGS.nvLocked (1.2)
	Version         *VersionReport   `json:"version"`           // what tpm_version prints
	PermanentFlags  []FlagReport     `json:"permanent_flags"`   // 1.2 TPM_PERMANENT_FLAGS, 2.0 TPM_PT_PERMANENT bits
	VolatileFlags   []FlagReport     `json:"volatile_flags"`    // 1.2 TPM_STCLEAR_FLAGS, 2.0 TPM_PT_STARTUP_CLEAR bits
	NVIndices       []NVIndexReport  `json:"nv_indices"`        // defined NV areas
	Properties      []PropertyReport `json:"fixed_properties"`  // TPM 2.0 fixed properties
	Errors          []string         `json:"command_errors"`    // TPM return codes that stopped a step
	Log             []string         `json:"log"`               // kernel-style log lines, in order
	Notes           []string         `json:"notes"`             // facts worth knowing that are not failures
	Diagnosis       *Diagnosis       `json:"diagnosis"`         // why the probe failed, when it did
	Commands        int              `json:"commands_executed"` // TPM commands sent through the FIFO
}

// TimeoutsReport gives the TIS timeouts in microseconds and where they came from.
type TimeoutsReport struct {
	AUs    int64  `json:"a_us"`   // TIMEOUT_A: ACCESS valid, locality grant
	BUs    int64  `json:"b_us"`   // TIMEOUT_B: commandReady
	CUs    int64  `json:"c_us"`   // TIMEOUT_C: stsValid, dataAvail
	DUs    int64  `json:"d_us"`   // TIMEOUT_D: burstCount
	Source string `json:"source"` // "tpm" or "default"
}

// DurationsReport gives the command durations in microseconds and where they came from.
type DurationsReport struct {
	ShortUs  int64  `json:"short_us"`  // short-duration commands
	MediumUs int64  `json:"medium_us"` // medium-duration commands
	LongUs   int64  `json:"long_us"`   // long-duration commands (key generation, self-test)
	Source   string `json:"source"`    // "tpm" or "default"
}

// StartupReport says what the probe did about TPM_Startup.
type StartupReport struct {
	Policy         string `json:"policy"`          // auto, always or never
	Command        string `json:"command"`         // TPM_Startup(ST_CLEAR) or TPM2_Startup(SU_CLEAR)
	Issued         bool   `json:"issued"`          // the probe sent Command
	Result         string `json:"result"`          // return code of the Startup the probe sent
	AlreadyStarted bool   `json:"already_started"` // something else had started the TPM before the probe
	Started        bool   `json:"started"`         // the TPM is started now
	// ProbeCommand is the command that found out whether the TPM is started (policy auto or
	// never: GetCapability(TPM_CAP_PROP_TIS_TIMEOUT) or TPM2_SelfTest); "" with policy always
	// or when the command got no answer.
	ProbeCommand string `json:"probe_command"`
	// ProbeResult is the return code the TPM answered to ProbeCommand.
	ProbeResult string `json:"probe_result"`
	// Unknown: the TPM answered ProbeCommand with an error that says neither "started" nor
	// "not started" (TPM_FAIL, TPM_RC_FAILURE): whether it is started is unknown.
	Unknown bool `json:"unknown"`
}

// VersionReport holds the fields tpm_version prints (TPM 1.2), or the TPM 2.0 equivalents.
type VersionReport struct {
	ChipVersion    string `json:"chip_version"`    // 1.2: TPM_CAP_VERSION_INFO.version; 2.0: firmware version
	SpecLevel      int    `json:"spec_level"`      // 1.2: specLevel; 2.0: TPM_PT_LEVEL
	ErrataRevision int    `json:"errata_revision"` // 1.2: errataRev; 2.0: TPM_PT_REVISION
	TPMVendorID    string `json:"tpm_vendor_id"`   // four characters, trailing NULs removed
	VendorSpecific string `json:"vendor_specific"` // hex
	TPMVersion     string `json:"tpm_version"`     // 1.2: TPM_CAP_VERSION as hex; 2.0: "2.0"
	Manufacturer   Hex32  `json:"manufacturer"`    // TPM_CAP_PROP_MANUFACTURER / TPM_PT_MANUFACTURER
	VendorString   string `json:"vendor_string"`   // 2.0: TPM_PT_VENDOR_STRING_1..4

	rawVendorID    [4]byte // for the tpm_version-exact output (NUL bytes included)
	vendorSpecific []byte
	hasVersionInfo bool
}

// FlagReport is one named flag.
type FlagReport struct {
	Name  string `json:"name"`  // the flag's name in the specification, e.g. "disable"
	Value bool   `json:"value"` // its value
}

// NVIndexReport describes one NV area.
type NVIndexReport struct {
	Index        Hex32  `json:"index"`            // the NV index (TPM 1.2) or handle (TPM 2.0)
	Permissions  Hex32  `json:"permissions"`      // TPM_NV_ATTRIBUTES
	Names        string `json:"permission_names"` // the permission bits by name, as tpm_nvinfo prints them
	Size         int    `json:"size"`             // data size in bytes
	ReadSTClear  bool   `json:"read_stclear"`     // bReadSTClear
	WriteSTClear bool   `json:"write_stclear"`    // bWriteSTClear
	WriteDefine  bool   `json:"write_define"`     // bWriteDefine
	Described    bool   `json:"described"`        // the TPM answered GetCapability(NV_INDEX) for it

	text string // tpm_nvinfo block, for the text output
}

// PropertyReport is one TPM 2.0 fixed property.
type PropertyReport struct {
	Name  string `json:"name"`            // TPM_PT name, e.g. "TPM_PT_MANUFACTURER"
	Raw   Hex32  `json:"raw"`             // the 32-bit value
	Value string `json:"value,omitempty"` // the value as text, for the properties that hold characters
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a person: identity, state, then the diagnosis if any.
func (r *Report) WriteText(w io.Writer) {
	if d := r.Diagnosis; d != nil && d.Symptom == SymptomOptions {
		fmt.Fprintf(w, "not probed (locality %d): nothing was read from the bus\n", r.Locality)
		r.writeTail(w)
		return
	}
	if !r.Answered {
		fmt.Fprintf(w, "no TPM answered at %#x (locality %d): %s\n", Base, r.Locality, r.didVIDText())
		r.writeTail(w)
		return
	}
	p := func(k, format string, a ...any) { fmt.Fprintf(w, "  %-17s %s\n", k+":", fmt.Sprintf(format, a...)) }
	fmt.Fprintf(w, "TPM at %#x, locality %d\n", Base+uint32(r.Locality)<<12, r.Locality)
	p("vendor", "%s%s", orUnknown(r.Vendor), parenthesized(hexField("VID %#04x", r.VendorID)))
	var ids []string
	if s := hexField("DID %#04x", r.DeviceID); s != "" {
		ids = append(ids, s)
	}
	if r.RevisionID != nil {
		ids = append(ids, fmt.Sprintf("RID %#02x", *r.RevisionID))
	}
	p("device", "%s%s", orUnknown(r.Device), parenthesized(strings.Join(ids, ", ")))
	p("family", "TPM %s", r.Family)
	if regs := r.interfaceRegs(); regs != "" {
		p("interface", "%s", strings.TrimSpace(r.Interface+" ("+regs+")"))
	}
	if t := r.Timeouts; t != nil {
		p("timeouts", "A %dus B %dus C %dus D %dus (%s)", t.AUs, t.BUs, t.CUs, t.DUs, t.Source)
	}
	if d := r.Durations; d != nil {
		p("durations", "short %dus medium %dus long %dus (%s)", d.ShortUs, d.MediumUs, d.LongUs, d.Source)
	}
	if s := r.Startup; s != nil {
		p("startup", "%s", s.describe())
	}
	if r.SelfTest != "" {
		p("self-test", "%s", r.SelfTest)
	}
	if r.PCR0 != "" {
		p("PCR 0", "%s", r.PCR0)
	}
	p("enabled", "%s", yesNo(r.Enabled))
	p("active", "%s", yesNo(r.Active))
	p("owned", "%s", yesNo(r.Owned))
	p("NV locked", "%s", yesNo(r.NVLocked))
	if v := r.Version; v != nil && v.ChipVersion != "" {
		p("chip version", "%s", v.ChipVersion)
		p("TPM vendor ID", "%s", v.TPMVendorID)
	}
	if r.NVIndices != nil {
		var idx []string
		for _, n := range r.NVIndices {
			idx = append(idx, fmt.Sprintf("%#08x", uint32(n.Index)))
		}
		p("NV indices", "%d%s", len(idx), prefixed(": ", strings.Join(idx, " ")))
	}
	for _, e := range r.Errors {
		p("command error", "%s", e)
	}
	r.writeTail(w)
}

// interfaceRegs lists the interface registers that were read, or "" when none was.
func (r *Report) interfaceRegs() string {
	var regs []string
	if r.IntfCapability != nil {
		regs = append(regs, fmt.Sprintf("INTF_CAPABILITY %#08x", uint32(*r.IntfCapability)))
	}
	if r.InterfaceID != nil {
		regs = append(regs, fmt.Sprintf("INTERFACE_ID %#08x", uint32(*r.InterfaceID)))
	}
	return strings.Join(regs, ", ")
}

// didVIDText is DID_VID as read, or says that it was not.
func (r *Report) didVIDText() string {
	if r.DIDVID == nil {
		return "DID_VID not read"
	}
	return fmt.Sprintf("DID_VID = %#08x", uint32(*r.DIDVID))
}

// hexField formats a register value that was read, or gives "" for one that was not.
func hexField(format string, h *Hex32) string {
	if h == nil {
		return ""
	}
	return fmt.Sprintf(format, uint32(*h))
}

func parenthesized(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func (r *Report) writeTail(w io.Writer) {
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if r.Diagnosis != nil {
		r.Diagnosis.WriteText(w)
	}
}

func (s *StartupReport) describe() string {
	switch {
	case s.Issued && s.AlreadyStarted:
		return fmt.Sprintf("already started (Startup answered %s; policy %s)", s.Result, s.Policy)
	case s.Issued:
		return fmt.Sprintf("issued %s: %s (policy %s)", s.Command, s.Result, s.Policy)
	case s.Started:
		return fmt.Sprintf("already started (policy %s)", s.Policy)
	case s.Unknown:
		return fmt.Sprintf("unknown: the TPM answered %s to %s; it may be in failure mode (policy %s)", s.ProbeResult, s.ProbeCommand, s.Policy)
	}
	return fmt.Sprintf("not started (policy %s): the TPM refuses commands until TPM_Startup", s.Policy)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "yes"
	}
	return "no"
}

func boolp(b bool) *bool { return &b }
