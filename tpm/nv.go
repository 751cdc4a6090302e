package tpm

import "fmt"

// Well-known TPM 1.2 NV indices.
const (
	NVIndexLock         uint32 = 0xFFFFFFFF // TPM_NV_INDEX_LOCK: defining it sets nvLocked
	NVIndex0            uint32 = 0x00000000 // TPM_NV_INDEX0
	NVIndexDIR          uint32 = 0x10000001 // TPM_NV_INDEX_DIR
	NVIndexEKCert       uint32 = 0x0000F000
	NVIndexTPMCC        uint32 = 0x0000F001
	NVIndexPlatformCert uint32 = 0x0000F002
	NVIndexPlatformCC   uint32 = 0x0000F003
)

// NVPermission is the attributes word of TPM_NV_ATTRIBUTES. The values
// follow the TPM specification (go-tpm's constants differ and are wrong).
type NVPermission uint32

// NV permission bits.
const (
	NVPerReadSTClear  NVPermission = 1 << 31
	NVPerAuthRead     NVPermission = 1 << 18
	NVPerOwnerRead    NVPermission = 1 << 17
	NVPerPPRead       NVPermission = 1 << 16
	NVPerGlobalLock   NVPermission = 1 << 15
	NVPerWriteSTClear NVPermission = 1 << 14
	NVPerWriteDefine  NVPermission = 1 << 13
	NVPerWriteAll     NVPermission = 1 << 12
	NVPerAuthWrite    NVPermission = 1 << 2
	NVPerOwnerWrite   NVPermission = 1 << 1
	NVPerPPWrite      NVPermission = 1 << 0
)

var nvPerNames = []struct {
	bit  NVPermission
	name string
}{
	{NVPerReadSTClear, "READ_STCLEAR"}, {NVPerAuthRead, "AUTHREAD"}, {NVPerOwnerRead, "OWNERREAD"},
	{NVPerPPRead, "PPREAD"}, {NVPerGlobalLock, "GLOBALLOCK"}, {NVPerWriteSTClear, "WRITE_STCLEAR"},
	{NVPerWriteDefine, "WRITEDEFINE"}, {NVPerWriteAll, "WRITEALL"}, {NVPerAuthWrite, "AUTHWRITE"},
	{NVPerOwnerWrite, "OWNERWRITE"}, {NVPerPPWrite, "PPWRITE"},
}

// String returns the permission names as tpm_nvinfo prints them, e.g.
// "WRITEALL|OWNERWRITE"; reserved bits appear as hex; zero gives "".
func (p NVPermission) String() string {
	s, rest := joinBits(uint32(p), len(nvPerNames), func(i int) (uint32, string) {
		return uint32(nvPerNames[i].bit), nvPerNames[i].name
	})
	if rest != 0 {
		s = joinName(s, fmt.Sprintf("0x%08X", rest))
	}
	return s
}

// LocalityAll is the localityAtRelease value meaning every locality.
const LocalityAll uint8 = 0x1F

// PCRInfoShort is TPM_PCR_INFO_SHORT.
type PCRInfoShort struct {
	Select            []byte   // PCR bit map, usually 3 bytes
	LocalityAtRelease uint8    // localities allowed, bit n = locality n; LocalityAll is all
	DigestAtRelease   [20]byte // SHA-1 composite digest the selected PCRs must match
}

func (p PCRInfoShort) marshal(b []byte) []byte {
	b = put16(b, uint16(len(p.Select)))
	b = append(b, p.Select...)
	b = append(b, p.LocalityAtRelease)
	return append(b, p.DigestAtRelease[:]...)
}

func (p *PCRInfoShort) unmarshal(d *decoder, name string) {
	n := d.u16(name + ".sizeOfSelect")
	p.Select = d.bytes(int(n), name+".pcrSelect")
	p.LocalityAtRelease = d.u8(name + ".localityAtRelease")
	copy(p.DigestAtRelease[:], d.bytes(20, name+".digestAtRelease"))
}

// PCRs lists the selected PCR numbers.
func (p PCRInfoShort) PCRs() []int {
	var out []int
	for i, b := range p.Select {
		for bit := range 8 {
			if b&(1<<bit) != 0 {
				out = append(out, i*8+bit)
			}
		}
	}
	return out
}

// NVDataPublic is TPM_NV_DATA_PUBLIC, the public description of an NV area
// (answer to GetCapability(TPM_CAP_NV_INDEX) and first parameter of
// TPM_NV_DefineSpace).
type NVDataPublic struct {
	// Index is the NV index of the area (TPM_NV_DATA_PUBLIC.nvIndex).
	Index uint32
	// PCRInfoRead is the PCR and locality condition for reading (TPM_NV_DATA_PUBLIC.pcrInfoRead).
	PCRInfoRead PCRInfoShort
	// PCRInfoWrite is the PCR and locality condition for writing (TPM_NV_DATA_PUBLIC.pcrInfoWrite).
	PCRInfoWrite PCRInfoShort
	// Permission is the attribute bits of the area (TPM_NV_DATA_PUBLIC.permission, TPM_NV_ATTRIBUTES.attributes).
	Permission NVPermission
	// ReadSTClear is TRUE when reads are locked until the next TPM_Startup(ST_CLEAR) (TPM_NV_DATA_PUBLIC.bReadSTClear).
	ReadSTClear bool
	// WriteSTClear is TRUE when writes are locked until the next TPM_Startup(ST_CLEAR) (TPM_NV_DATA_PUBLIC.bWriteSTClear).
	WriteSTClear bool
	// WriteDefine is TRUE once a size-0 write has locked the area permanently (TPM_NV_DATA_PUBLIC.bWriteDefine).
	WriteDefine bool
	// DataSize is the size of the area in bytes (TPM_NV_DATA_PUBLIC.dataSize).
	DataSize uint32
}

// NewNVDataPublic returns the description tpm-tools builds for an area
// without PCR restrictions: 3-byte empty selections, all localities.
func NewNVDataPublic(index uint32, perm NVPermission, size uint32) NVDataPublic {
	none := PCRInfoShort{Select: []byte{0, 0, 0}, LocalityAtRelease: LocalityAll}
	return NVDataPublic{Index: index, PCRInfoRead: none, PCRInfoWrite: clonePCRInfo(none), Permission: perm, DataSize: size}
}

func clonePCRInfo(p PCRInfoShort) PCRInfoShort {
	p.Select = append([]byte(nil), p.Select...)
	return p
}

// Marshal encodes the structure with tag 0x0018 (71 bytes with 3-byte
// selections).
func (n NVDataPublic) Marshal() []byte {
	b := put16(nil, TagNVDataPublic)
	b = put32(b, n.Index)
	b = n.PCRInfoRead.marshal(b)
	b = n.PCRInfoWrite.marshal(b)
	b = put16(b, TagNVAttributes)
	b = put32(b, uint32(n.Permission))
	b = putBool(b, n.ReadSTClear)
	b = putBool(b, n.WriteSTClear)
	b = putBool(b, n.WriteDefine)
	return put32(b, n.DataSize)
}

// Unmarshal decodes exactly one structure.
func (n *NVDataPublic) Unmarshal(b []byte) error {
	d := newDecoder("TPM_NV_DATA_PUBLIC", b, 0)
	out, err := decodeNVDataPublic(d)
	if err != nil {
		return err
	}
	if err := d.done(); err != nil {
		return err
	}
	*n = out
	return nil
}

func decodeNVDataPublic(d *decoder) (NVDataPublic, error) {
	var n NVDataPublic
	d.expect16(TagNVDataPublic, "tag")
	n.Index = d.u32("nvIndex")
	n.PCRInfoRead.unmarshal(d, "pcrInfoRead")
	n.PCRInfoWrite.unmarshal(d, "pcrInfoWrite")
	d.expect16(TagNVAttributes, "permission.tag")
	n.Permission = NVPermission(d.u32("permission.attributes"))
	n.ReadSTClear = d.bool("bReadSTClear")
	n.WriteSTClear = d.bool("bWriteSTClear")
	n.WriteDefine = d.bool("bWriteDefine")
	n.DataSize = d.u32("dataSize")
	return n, d.err
}

// ParseNVDefineSpaceRequest decodes the parameters of an unauthorised
// TPM_NV_DefineSpace: TPM_NV_DATA_PUBLIC followed by the 20-byte encAuth.
func ParseNVDefineSpaceRequest(params []byte) (NVDataPublic, [20]byte, error) {
	var auth [20]byte
	d := newDecoder("TPM_NV_DefineSpace request", params, HeaderSize)
	pub, err := decodeNVDataPublic(d)
	if err != nil {
		return NVDataPublic{}, auth, err
	}
	copy(auth[:], d.bytes(20, "encAuth"))
	return pub, auth, d.done()
}

// NVList is the answer to GetCapability(TPM_CAP_NV_LIST): the defined NV
// indices.
type NVList []uint32

// Marshal encodes the indices as consecutive UINT32s.
func (l NVList) Marshal() []byte {
	var b []byte
	for _, v := range l {
		b = put32(b, v)
	}
	return b
}

// Unmarshal decodes a list; its length must be a multiple of four.
func (l *NVList) Unmarshal(b []byte) error {
	if len(b)%4 != 0 {
		return fmt.Errorf("tpm: NV index list: %w: %d bytes is not a multiple of 4 (byte offset %d is a partial index)",
			ErrMalformed, len(b), len(b)-len(b)%4)
	}
	out := make(NVList, 0, len(b)/4)
	d := newDecoder("NV index list", b, 0)
	for d.off < len(b) {
		out = append(out, d.u32("index"))
	}
	*l = out
	return d.err
}
