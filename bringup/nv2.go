package bringup

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"tpmbench/tpm"
)

// NVAttr2 is TPMA_NV, the attributes of a TPM 2.0 NV index (TPM 2.0 Part 2, 13.4).
type NVAttr2 uint32

// TPMA_NV bits the reports name.
const (
	NV2PPWrite        NVAttr2 = 1 << 0
	NV2OwnerWrite     NVAttr2 = 1 << 1
	NV2AuthWrite      NVAttr2 = 1 << 2
	NV2PolicyWrite    NVAttr2 = 1 << 3
	NV2PolicyDelete   NVAttr2 = 1 << 10
	NV2WriteLocked    NVAttr2 = 1 << 11
	NV2WriteAll       NVAttr2 = 1 << 12
	NV2WriteDefine    NVAttr2 = 1 << 13
	NV2WriteSTClear   NVAttr2 = 1 << 14
	NV2GlobalLock     NVAttr2 = 1 << 15
	NV2PPRead         NVAttr2 = 1 << 16
	NV2OwnerRead      NVAttr2 = 1 << 17
	NV2AuthRead       NVAttr2 = 1 << 18
	NV2PolicyRead     NVAttr2 = 1 << 19
	NV2NoDA           NVAttr2 = 1 << 25
	NV2Orderly        NVAttr2 = 1 << 26
	NV2ClearSTClear   NVAttr2 = 1 << 27
	NV2ReadLocked     NVAttr2 = 1 << 28
	NV2Written        NVAttr2 = 1 << 29
	NV2PlatformCreate NVAttr2 = 1 << 30
	NV2ReadSTClear    NVAttr2 = 1 << 31
)

var nvAttr2Names = []struct {
	bit  NVAttr2
	name string
}{
	{NV2PPWrite, "PPWRITE"}, {NV2OwnerWrite, "OWNERWRITE"}, {NV2AuthWrite, "AUTHWRITE"}, {NV2PolicyWrite, "POLICYWRITE"},
	{NV2PolicyDelete, "POLICY_DELETE"}, {NV2WriteLocked, "WRITELOCKED"}, {NV2WriteAll, "WRITEALL"},
	{NV2WriteDefine, "WRITEDEFINE"}, {NV2WriteSTClear, "WRITE_STCLEAR"}, {NV2GlobalLock, "GLOBALLOCK"},
	{NV2PPRead, "PPREAD"}, {NV2OwnerRead, "OWNERREAD"}, {NV2AuthRead, "AUTHREAD"}, {NV2PolicyRead, "POLICYREAD"},
	{NV2NoDA, "NO_DA"}, {NV2Orderly, "ORDERLY"}, {NV2ClearSTClear, "CLEAR_STCLEAR"}, {NV2ReadLocked, "READLOCKED"},
	{NV2Written, "WRITTEN"}, {NV2PlatformCreate, "PLATFORMCREATE"}, {NV2ReadSTClear, "READ_STCLEAR"},
}

// String names the set attribute bits as tpm2-tools does, joined with "|"; the index type
// (bits 7:4) appears as "NT=n" when not zero.
func (a NVAttr2) String() string {
	var parts []string
	for _, n := range nvAttr2Names {
		if a&n.bit != 0 {
			parts = append(parts, n.name)
		}
	}
	if nt := uint32(a) >> 4 & 0xF; nt != 0 {
		parts = append(parts, fmt.Sprintf("NT=%d", nt))
	}
	return strings.Join(parts, "|")
}

// NVPublic2 is TPMS_NV_PUBLIC, the public area of a TPM 2.0 NV index.
type NVPublic2 struct {
	Index      uint32  // nvIndex: the NV handle
	NameAlg    tpm.Alg // nameAlg: the hash of the index's name
	Attributes NVAttr2 // attributes: TPMA_NV bits
	AuthPolicy []byte  // authPolicy: the policy digest, empty when none
	DataSize   uint16  // dataSize: the size of the data area in bytes
}

// ParseNVReadPublic2 decodes a TPM2_NV_ReadPublic response: a TPM2B_NV_PUBLIC followed by
// the index's TPM2B_NAME. A failure code is returned as the tpm.RC2 error (errors.As).
// Malformed bytes give an error wrapping tpm.ErrMalformed with the byte offset.
func ParseNVReadPublic2(b []byte) (NVPublic2, error) {
	var p NVPublic2
	rsp, err := tpm.ParseResponse(b)
	if err != nil {
		return p, err
	}
	if err := rsp.Err(); err != nil {
		return p, err
	}
	d := rsp.Params
	at := func(off int, what string) error {
		return fmt.Errorf("bringup: TPM2_NV_ReadPublic response byte %d: %s: %w", tpm.HeaderSize+off, what, tpm.ErrMalformed)
	}
	if len(d) < 2 {
		return p, at(0, "no TPM2B_NV_PUBLIC size")
	}
	size := int(binary.BigEndian.Uint16(d))
	if size < 14 || 2+size > len(d) {
		return p, at(0, fmt.Sprintf("TPM2B_NV_PUBLIC size %d does not fit %d bytes", size, len(d)-2))
	}
	pub := d[2 : 2+size]
	p.Index = binary.BigEndian.Uint32(pub)
	p.NameAlg = tpm.Alg(binary.BigEndian.Uint16(pub[4:]))
	p.Attributes = NVAttr2(binary.BigEndian.Uint32(pub[6:]))
	pol := int(binary.BigEndian.Uint16(pub[10:]))
	if 12+pol+2 != size {
		return p, at(2+10, fmt.Sprintf("authPolicy size %d does not fit the %d-byte public area", pol, size))
	}
	p.AuthPolicy = append([]byte(nil), pub[12:12+pol]...)
	p.DataSize = binary.BigEndian.Uint16(pub[12+pol:])
	rest := d[2+size:]
	if len(rest) < 2 || 2+int(binary.BigEndian.Uint16(rest)) != len(rest) {
		return p, at(2+size, "TPM2B_NAME size does not match the bytes that follow")
	}
	return p, nil
}

// NVIndex2 names a TPM 2.0 NV index a measured launch depends on.
type NVIndex2 struct {
	Index uint32 // the NV handle, e.g. 0x01C10102
	Name  string // short name, e.g. "AUX"
	Role  string // what the index is for, one line
}

// TXTIndices2 are the TPM 2.0 NV indices Intel TXT uses: the SINIT ACM reads the launch
// control policies and keeps its state in the auxiliary index.
var TXTIndices2 = []NVIndex2{
	{0x01C10102, "AUX", "TXT auxiliary index: the ACM's own state"},
	{0x01C10103, "PS", "TXT platform supplier launch control policy"},
	{0x01C10106, "PO", "TXT platform owner launch control policy"},
}

// NVIndexState2 is what ReadNV2 learned about one index.
type NVIndexState2 struct {
	Index       string `json:"index"`                // hex
	Name        string `json:"name"`                 // the index's short name, from NVIndex2
	Role        string `json:"role"`                 // what the index is for, from NVIndex2
	Defined     bool   `json:"defined"`              // the TPM has the index
	Attributes  string `json:"attributes,omitempty"` // the TPMA_NV bits by name, when defined
	WriteLocked bool   `json:"write_locked"`         // TPMA_NV_WRITELOCKED: writes refused now
	WriteDefine bool   `json:"write_define"`         // TPMA_NV_WRITEDEFINE: a write lock, once set, is permanent
	Written     bool   `json:"written"`              // TPMA_NV_WRITTEN: the index has been written since it was defined
	Size        int    `json:"size"`                 // dataSize of the index in bytes
	// Result is the TPM's answer when the index is not defined or could not be read.
	Result string `json:"result,omitempty"`
}

// ReadNV2 reads the public area of each index with TPM2_NV_ReadPublic. An index the
// TPM does not have (TPM_RC_HANDLE) is reported as not defined; other return codes
// are recorded in Result. Only a failed exchange or a malformed answer is an error.
func ReadNV2(ctx context.Context, s Sender, indices []NVIndex2) ([]NVIndexState2, error) {
	out := make([]NVIndexState2, 0, len(indices))
	for _, ix := range indices {
		st := NVIndexState2{Index: fmt.Sprintf("0x%08X", ix.Index), Name: ix.Name, Role: ix.Role}
		b, err := s.SendContext(ctx, tpm.NVReadPublic2(ix.Index))
		if err != nil {
			return out, fmt.Errorf("bringup: TPM2_NV_ReadPublic(%s): %w", st.Index, err)
		}
		pub, err := ParseNVReadPublic2(b)
		var rc tpm.RC2
		switch {
		case errors.As(err, &rc):
			if rc.Base() != tpm.RC2Handle {
				st.Result = rc.String()
			}
		case err != nil:
			return out, fmt.Errorf("bringup: TPM2_NV_ReadPublic(%s): %w", st.Index, err)
		case pub.Index != ix.Index:
			return out, fmt.Errorf("bringup: TPM2_NV_ReadPublic(%s) described index 0x%08X: %w", st.Index, pub.Index, tpm.ErrMalformed)
		default:
			st.Defined = true
			st.Attributes = pub.Attributes.String()
			st.WriteLocked = pub.Attributes&NV2WriteLocked != 0
			st.WriteDefine = pub.Attributes&NV2WriteDefine != 0
			st.Written = pub.Attributes&NV2Written != 0
			st.Size = int(pub.DataSize)
		}
		out = append(out, st)
	}
	return out, nil
}
