package tis

import (
	"fmt"
	"io"
	"strings"

	"tpmbench/tpm"
)

// WriteVersion prints the version information the way tpm-tools' tpm_version does, field for
// field (TPM 1.2). The vendor ID is printed as its four raw bytes, NULs included, as tpm_version
// does. For a TPM 2.0 it prints the equivalent fixed properties.
func (r *Report) WriteVersion(w io.Writer) error {
	v := r.Version
	if v == nil {
		return fmt.Errorf("tis: no version information: the probe did not get that far")
	}
	if r.Family == Family20.String() {
		fmt.Fprintf(w, "  TPM 2.0 Version Info:\n")
		fmt.Fprintf(w, "  Firmware Version:    %s\n", v.ChipVersion)
		fmt.Fprintf(w, "  Spec Level:          %d\n", v.SpecLevel)
		fmt.Fprintf(w, "  Spec Revision:       %d.%02d\n", v.ErrataRevision/100, v.ErrataRevision%100)
		fmt.Fprintf(w, "  TPM Vendor ID:       %s\n", v.TPMVendorID)
		fmt.Fprintf(w, "  Vendor String:       %s\n", v.VendorString)
		fmt.Fprintf(w, "  TPM Version:         %s\n", v.TPMVersion)
		fmt.Fprintf(w, "  Manufacturer Info:   %08x\n", uint32(v.Manufacturer))
		return nil
	}
	if v.hasVersionInfo {
		fmt.Fprintf(w, "  TPM 1.2 Version Info:\n")
		fmt.Fprintf(w, "  Chip Version:        %s\n", v.ChipVersion)
		fmt.Fprintf(w, "  Spec Level:          %d\n", v.SpecLevel)
		fmt.Fprintf(w, "  Errata Revision:     %d\n", v.ErrataRevision)
		fmt.Fprintf(w, "  TPM Vendor ID:       %s\n", v.rawVendorID[:])
		if len(v.vendorSpecific) > 0 {
			fmt.Fprintf(w, "  Vendor Specific data: %s\n", groupHex(v.vendorSpecific))
		}
	}
	fmt.Fprintf(w, "  TPM Version:         %s\n", v.TPMVersion)
	fmt.Fprintf(w, "  Manufacturer Info:   %08x\n", uint32(v.Manufacturer))
	return nil
}

// groupHex prints bytes as lower-case hex in groups of four bytes: "0313000b 00".
func groupHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

// WriteNVInfo prints every NV area the way tpm_nvinfo does (one block per index, each followed
// by an empty line; nothing when no index is defined). With indicesOnly it prints what
// "tpm_nvinfo -n" prints.
func (r *Report) WriteNVInfo(w io.Writer, indicesOnly bool) error {
	if r.NVIndices == nil {
		return fmt.Errorf("tis: no NV index list: the probe did not get that far, or the TPM refused it")
	}
	if indicesOnly {
		fmt.Fprintln(w, "The following NVRAM areas have been defined:")
		for _, n := range r.NVIndices {
			fmt.Fprintf(w, "0x%08x (%d)\n", uint32(n.Index), uint32(n.Index))
		}
		return nil
	}
	for _, n := range r.NVIndices {
		if n.text != "" {
			fmt.Fprint(w, n.text)
		} else {
			fmt.Fprintf(w, "NVRAM index   : 0x%08x (%d)\n(the TPM did not describe this index)\n\n", uint32(n.Index), uint32(n.Index))
		}
	}
	return nil
}

// formatNVInfo renders one TPM_NV_DATA_PUBLIC as a tpm_nvinfo block.
func formatNVInfo(pub tpm.NVDataPublic) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "NVRAM index   : 0x%08x (%d)\n", pub.Index, pub.Index)
	writePCRInfo(&sb, "PCR read  selection:", pub.PCRInfoRead)
	writePCRInfo(&sb, "PCR write selection:", pub.PCRInfoWrite)
	fmt.Fprintf(&sb, "Permissions   : 0x%08x (%s)\n", uint32(pub.Permission), pub.Permission)
	fmt.Fprintf(&sb, "bReadSTClear  : %s\n", upperBool(pub.ReadSTClear))
	fmt.Fprintf(&sb, "bWriteSTClear : %s\n", upperBool(pub.WriteSTClear))
	fmt.Fprintf(&sb, "bWriteDefine  : %s\n", upperBool(pub.WriteDefine))
	fmt.Fprintf(&sb, "Size          : %d (0x%x)\n\n", pub.DataSize, pub.DataSize)
	return sb.String()
}

func writePCRInfo(sb *strings.Builder, title string, p tpm.PCRInfoShort) {
	fmt.Fprintln(sb, title)
	pcrs := p.PCRs()
	if len(pcrs) > 0 {
		s := make([]string, len(pcrs))
		for i, n := range pcrs {
			s[i] = fmt.Sprint(n)
		}
		fmt.Fprintf(sb, " PCRs\t : %s\n", strings.Join(s, ", ")) // tpm_nvinfo prints a tab here
	}
	if p.LocalityAtRelease == tpm.LocalityAll {
		fmt.Fprintln(sb, " Localities   : ALL")
	} else {
		fmt.Fprintf(sb, " Localities   : 0x%01x\n", p.LocalityAtRelease)
	}
	if len(pcrs) > 0 {
		fmt.Fprintf(sb, " Hash\t : %x\n", p.DigestAtRelease)
	}
}

func upperBool(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// WriteFlags prints the permanent and volatile flags, one per line, and the summary the
// bring-up cares about (enabled, active, owned, nvLocked).
func (r *Report) WriteFlags(w io.Writer) error {
	if r.PermanentFlags == nil && r.VolatileFlags == nil {
		return fmt.Errorf("tis: no flags: the probe did not get that far, or the TPM refused them")
	}
	perm, vol := "TPM_PERMANENT_FLAGS", "TPM_STCLEAR_FLAGS"
	if r.Family == Family20.String() {
		perm, vol = "TPM_PT_PERMANENT", "TPM_PT_STARTUP_CLEAR"
	}
	writeFlagList(w, perm, r.PermanentFlags)
	writeFlagList(w, vol, r.VolatileFlags)
	fmt.Fprintf(w, "enabled: %s  active: %s  owned: %s  nvLocked: %s\n",
		yesNo(r.Enabled), yesNo(r.Active), yesNo(r.Owned), yesNo(r.NVLocked))
	return nil
}

func writeFlagList(w io.Writer, title string, fs []FlagReport) {
	if fs == nil {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, f := range fs {
		fmt.Fprintf(w, "  %-30s %s\n", f.Name, upperBool(f.Value))
	}
}
