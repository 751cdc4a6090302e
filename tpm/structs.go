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
	// Major and Minor are the specification version (1.2 in
	// TPM_CAP_VERSION_INFO; TPM_CAP_VERSION reports 1.1); RevMajor and
	// RevMinor are the vendor's firmware revision (TPM_VERSION.major, minor,
	// revMajor, revMinor).
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
	// Version is the chip version, e.g. 1.2.3.17 (TPM_CAP_VERSION_INFO.version).
	Version Version
	// SpecLevel is the level of the specification, e.g. 2 (TPM_CAP_VERSION_INFO.specLevel).
	SpecLevel uint16
	// ErrataRev is the errata revision of the specification (TPM_CAP_VERSION_INFO.errataRev).
	ErrataRev uint8
	// VendorID is the TCG vendor ID in ASCII, e.g. "IFX\x00" (TPM_CAP_VERSION_INFO.tpmVendorID).
	VendorID [4]byte
	// VendorSpecific is the vendor's data; its length is sent as vendorSpecificSize
	// (TPM_CAP_VERSION_INFO.vendorSpecific).
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
	// Name is the flag's specification name, e.g. "nvLocked".
	Name string
	// Value is the flag's state.
	Value bool
}

// PermanentFlags is TPM_PERMANENT_FLAGS (tag 0x001F, 20 BOOLs), the answer to
// GetCapability(TPM_CAP_FLAG, TPM_CAP_FLAG_PERMANENT).
type PermanentFlags struct {
	// Disable is TRUE while the TPM is disabled (disable).
	Disable bool
	// Ownership is TRUE while TPM_TakeOwnership may install an owner (ownership).
	Ownership bool
	// Deactivated is the permanent deactivated state, copied to TPM_STCLEAR_FLAGS at startup (deactivated).
	Deactivated bool
	// ReadPubek is TRUE while TPM_ReadPubek may read the PUBEK without owner authorization (readPubek).
	ReadPubek bool
	// DisableOwnerClear is TRUE when TPM_OwnerClear is disabled (disableOwnerClear).
	DisableOwnerClear bool
	// AllowMaintenance is TRUE while the owner may create a maintenance archive (allowMaintenance).
	AllowMaintenance bool
	// PhysicalPresenceLifetimeLock is TRUE once the two physical-presence enables are fixed for life (physicalPresenceLifetimeLock).
	PhysicalPresenceLifetimeLock bool
	// PhysicalPresenceHWEnable is TRUE when the hardware physical-presence signal is enabled (physicalPresenceHWEnable).
	PhysicalPresenceHWEnable bool
	// PhysicalPresenceCMDEnable is TRUE when TSC_PhysicalPresence may assert physical presence (physicalPresenceCMDEnable).
	PhysicalPresenceCMDEnable bool
	// CEKPUsed is TRUE when the endorsement key was made by TPM_CreateEndorsementKeyPair (CEKPUsed).
	CEKPUsed bool
	// TPMPost is TRUE when TPM_ContinueSelfTest after startup runs the full self-test (TPMpost).
	TPMPost bool
	// TPMPostLock is TRUE when TPMpost is locked against change; deprecated in TPM 1.2 (TPMpostLock).
	TPMPostLock bool
	// FIPS is TRUE when the TPM operates in FIPS mode (FIPS).
	FIPS bool
	// Operator is TRUE when an operator authorization value is set (operator).
	Operator bool
	// EnableRevokeEK is TRUE when TPM_RevokeTrust is enabled (enableRevokeEK).
	EnableRevokeEK bool
	// NVLocked is TRUE once NV authorization checks are enforced, set by defining TPM_NV_INDEX_LOCK (nvLocked).
	NVLocked bool
	// ReadSRKPub is TRUE when TPM_GetPubKey returns the SRK public key (readSRKPub).
	ReadSRKPub bool
	// TPMEstablished is TRUE once TPM_HASH_START has run; TSC_ResetEstablishmentBit clears it (tpmEstablished).
	TPMEstablished bool
	// MaintenanceDone is TRUE once a maintenance archive exists for the current SRK (maintenanceDone).
	MaintenanceDone bool
	// DisableFullDALogicInfo is TRUE when GetCapability returns TPM_DA_INFO_LIMITED, not TPM_DA_INFO (disableFullDALogicInfo).
	DisableFullDALogicInfo bool
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
	// Deactivated is TRUE while the TPM is deactivated until the next startup (deactivated).
	Deactivated bool
	// DisableForceClear is TRUE when TPM_ForceClear is disabled until the next startup (disableForceClear).
	DisableForceClear bool
	// PhysicalPresence is TRUE while physical presence is asserted by TSC_PhysicalPresence (physicalPresence).
	PhysicalPresence bool
	// PhysicalPresenceLock is TRUE when physicalPresence may not change until the next startup (physicalPresenceLock).
	PhysicalPresenceLock bool
	// GlobalLock is TRUE after a write to NV index 0, locking GLOBALLOCK areas until the next startup (bGlobalLock).
	GlobalLock bool
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
	// A, B, C and D are TIS TIMEOUT_A..TIMEOUT_D in microseconds, in wire order.
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
	// Short, Medium and Long are the command duration classes in microseconds, in wire order.
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
