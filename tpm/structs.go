package tpm

import (
	"fmt"
	"strings"
)

// Structure tags (TPM_STRUCTURE_TAG) of the structures in this package.
const (
	TagPermanentFlags uint16 = 0x001F
	TagSTClearFlags   uint16 = 0x0020
	TagCapVersionInfo uint16 = 0x0030
	TagNVAttributes   uint16 = 0x0017
	TagNVDataPublic   uint16 = 0x0018
)

// Version is TPM_VERSION: major.minor.revMajor.revMinor.
type Version struct {
	Major, Minor, RevMajor, RevMinor uint8
}

// String formats the version as tpm_version prints the chip version:
// "1.2.3.19".
func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d.%d", v.Major, v.Minor, v.RevMajor, v.RevMinor)
}

// Marshal encodes the four version bytes (the TPM_CAP_VERSION answer).
func (v Version) Marshal() []byte { return []byte{v.Major, v.Minor, v.RevMajor, v.RevMinor} }

// Unmarshal decodes exactly four version bytes.
func (v *Version) Unmarshal(b []byte) error {
	d := newDecoder("TPM_VERSION", b, 0)
	v.Major, v.Minor, v.RevMajor, v.RevMinor = d.u8("major"), d.u8("minor"), d.u8("revMajor"), d.u8("revMinor")
	return d.done()
}

// VersionInfo is TPM_CAP_VERSION_INFO, the answer to
// GetCapability(TPM_CAP_VERSION_VAL). All its integers are big-endian.
type VersionInfo struct {
	Version        Version
	SpecLevel      uint16
	ErrataRev      uint8
	VendorID       [4]byte
	VendorSpecific []byte
}

// Marshal encodes the structure with tag 0x0030.
func (v VersionInfo) Marshal() []byte {
	b := put16(nil, TagCapVersionInfo)
	b = append(b, v.Version.Marshal()...)
	b = put16(b, v.SpecLevel)
	b = append(b, v.ErrataRev)
	b = append(b, v.VendorID[:]...)
	b = put16(b, uint16(len(v.VendorSpecific)))
	return append(b, v.VendorSpecific...)
}

// Unmarshal decodes the structure; the tag must be 0x0030 and
// vendorSpecificSize must match the bytes that follow.
func (v *VersionInfo) Unmarshal(b []byte) error {
	d := newDecoder("TPM_CAP_VERSION_INFO", b, 0)
	d.expect16(TagCapVersionInfo, "tag")
	var out VersionInfo
	out.Version = Version{d.u8("major"), d.u8("minor"), d.u8("revMajor"), d.u8("revMinor")}
	out.SpecLevel = d.u16("specLevel")
	out.ErrataRev = d.u8("errataRev")
	copy(out.VendorID[:], d.bytes(4, "tpmVendorID"))
	n := d.u16("vendorSpecificSize")
	out.VendorSpecific = d.bytes(int(n), "vendorSpecific")
	if err := d.done(); err != nil {
		return err
	}
	*v = out
	return nil
}

// Vendor returns the vendor ID as text without trailing NULs or spaces,
// e.g. "IFX".
func (v VersionInfo) Vendor() string { return vendorText(v.VendorID) }

func vendorText(id [4]byte) string {
	return strings.TrimRight(string(id[:]), "\x00 ")
}

// flagTable maps a BOOL flag structure to names and field pointers.
type flagField struct {
	name string
	ptr  *bool
}

// Flag is one named BOOL of a flag structure, for reports.
type Flag struct {
	Name  string
	Value bool
}

// PermanentFlags is TPM_PERMANENT_FLAGS (tag 0x001F, 20 BOOLs), the answer to
// GetCapability(TPM_CAP_FLAG, TPM_CAP_FLAG_PERMANENT).
type PermanentFlags struct {
	Disable                      bool
	Ownership                    bool
	Deactivated                  bool
	ReadPubek                    bool
	DisableOwnerClear            bool
	AllowMaintenance             bool
	PhysicalPresenceLifetimeLock bool
	PhysicalPresenceHWEnable     bool
	PhysicalPresenceCMDEnable    bool
	CEKPUsed                     bool
	TPMPost                      bool
	TPMPostLock                  bool
	FIPS                         bool
	Operator                     bool
	EnableRevokeEK               bool
	NVLocked                     bool
	ReadSRKPub                   bool
	TPMEstablished               bool
	MaintenanceDone              bool
	DisableFullDALogicInfo       bool
}

func (f *PermanentFlags) fields() []flagField {
	return []flagField{
		{"disable", &f.Disable}, {"ownership", &f.Ownership}, {"deactivated", &f.Deactivated},
		{"readPubek", &f.ReadPubek}, {"disableOwnerClear", &f.DisableOwnerClear},
		{"allowMaintenance", &f.AllowMaintenance},
		{"physicalPresenceLifetimeLock", &f.PhysicalPresenceLifetimeLock},
		{"physicalPresenceHWEnable", &f.PhysicalPresenceHWEnable},
		{"physicalPresenceCMDEnable", &f.PhysicalPresenceCMDEnable}, {"CEKPUsed", &f.CEKPUsed},
		{"TPMpost", &f.TPMPost}, {"TPMpostLock", &f.TPMPostLock}, {"FIPS", &f.FIPS},
		{"operator", &f.Operator}, {"enableRevokeEK", &f.EnableRevokeEK}, {"nvLocked", &f.NVLocked},
		{"readSRKPub", &f.ReadSRKPub}, {"tpmEstablished", &f.TPMEstablished},
		{"maintenanceDone", &f.MaintenanceDone}, {"disableFullDALogicInfo", &f.DisableFullDALogicInfo},
	}
}

// Marshal encodes tag and the 20 BOOLs in specification order.
func (f PermanentFlags) Marshal() []byte { return marshalFlags(TagPermanentFlags, f.fields()) }

// Unmarshal decodes the structure; the tag must be 0x001F.
func (f *PermanentFlags) Unmarshal(b []byte) error {
	var out PermanentFlags
	if err := unmarshalFlags("TPM_PERMANENT_FLAGS", TagPermanentFlags, b, out.fields()); err != nil {
		return err
	}
	*f = out
	return nil
}

// Flags lists the flags with their specification names, in wire order.
func (f PermanentFlags) Flags() []Flag { return listFlags(f.fields()) }

// STClearFlags is TPM_STCLEAR_FLAGS (tag 0x0020, 5 BOOLs), the answer to
// GetCapability(TPM_CAP_FLAG, TPM_CAP_FLAG_VOLATILE).
type STClearFlags struct {
	Deactivated          bool
	DisableForceClear    bool
	PhysicalPresence     bool
	PhysicalPresenceLock bool
	GlobalLock           bool
}

func (f *STClearFlags) fields() []flagField {
	return []flagField{
		{"deactivated", &f.Deactivated}, {"disableForceClear", &f.DisableForceClear},
		{"physicalPresence", &f.PhysicalPresence}, {"physicalPresenceLock", &f.PhysicalPresenceLock},
		{"bGlobalLock", &f.GlobalLock},
	}
}

// Marshal encodes tag and the 5 BOOLs.
func (f STClearFlags) Marshal() []byte { return marshalFlags(TagSTClearFlags, f.fields()) }

// Unmarshal decodes the structure; the tag must be 0x0020.
func (f *STClearFlags) Unmarshal(b []byte) error {
	var out STClearFlags
	if err := unmarshalFlags("TPM_STCLEAR_FLAGS", TagSTClearFlags, b, out.fields()); err != nil {
		return err
	}
	*f = out
	return nil
}

// Flags lists the flags with their specification names, in wire order.
func (f STClearFlags) Flags() []Flag { return listFlags(f.fields()) }

func marshalFlags(tag uint16, fs []flagField) []byte {
	b := put16(nil, tag)
	for _, f := range fs {
		b = putBool(b, *f.ptr)
	}
	return b
}

func unmarshalFlags(what string, tag uint16, b []byte, fs []flagField) error {
	d := newDecoder(what, b, 0)
	d.expect16(tag, "tag")
	for _, f := range fs {
		at := d.off
		v := d.u8(f.name)
		if d.err == nil && v > 1 {
			return fmt.Errorf("tpm: %s: %w: %s at byte offset %d is 0x%02X, want 0 or 1", what, ErrMalformed, f.name, at, v)
		}
		*f.ptr = v == 1
	}
	return d.done()
}

func listFlags(fs []flagField) []Flag {
	out := make([]Flag, len(fs))
	for i, f := range fs {
		out[i] = Flag{Name: f.name, Value: *f.ptr}
	}
	return out
}

// Timeouts is the answer to GetCapability(TPM_CAP_PROPERTY,
// TPM_CAP_PROP_TIS_TIMEOUT): the TIS timeouts A..D in microseconds.
type Timeouts struct {
	A, B, C, D uint32
}

// Marshal encodes the four UINT32 values.
func (t Timeouts) Marshal() []byte { return put32(put32(put32(put32(nil, t.A), t.B), t.C), t.D) }

// Unmarshal decodes exactly 16 bytes.
func (t *Timeouts) Unmarshal(b []byte) error {
	d := newDecoder("TIS_TIMEOUT", b, 0)
	out := Timeouts{d.u32("timeout A"), d.u32("timeout B"), d.u32("timeout C"), d.u32("timeout D")}
	if err := d.done(); err != nil {
		return err
	}
	*t = out
	return nil
}

// Durations is the answer to GetCapability(TPM_CAP_PROPERTY,
// TPM_CAP_PROP_DURATION): the short, medium and long command durations in
// microseconds.
type Durations struct {
	Short, Medium, Long uint32
}

// Marshal encodes the three UINT32 values.
func (t Durations) Marshal() []byte { return put32(put32(put32(nil, t.Short), t.Medium), t.Long) }

// Unmarshal decodes exactly 12 bytes.
func (t *Durations) Unmarshal(b []byte) error {
	d := newDecoder("DURATION", b, 0)
	out := Durations{d.u32("short"), d.u32("medium"), d.u32("long")}
	if err := d.done(); err != nil {
		return err
	}
	*t = out
	return nil
}
