package tpm20

import "tpmbench/tpm"

// Identity is what differs between TPM 2.0 implementations here: the
// fixed TPM properties (TPM_PT 0x100..0x1FF, ascending) and the allocated
// PCR banks.
type Identity struct {
	Fixed []tpm.TaggedProperty // the fixed properties, ascending by TPM_PT
	Banks []tpm.Alg            // hash algorithms of the allocated PCR banks
}

// libtpmsFixed are the fixed properties of libtpms 0.9 (swtpm 0.7),
// as tpm2_getcap read them.
var libtpmsFixed = []tpm.TaggedProperty{
	{Property: tpm.PTFamilyIndicator, Value: 0x322E3000},
	{Property: tpm.PTLevel, Value: 0},
	{Property: tpm.PTRevision, Value: 0xA4},
	{Property: tpm.PTDayOfYear, Value: 0x4B},
	{Property: tpm.PTYear, Value: 0x7E5},
	{Property: tpm.PTManufacturer, Value: 0x49424D00},
	{Property: tpm.PTVendorString1, Value: 0x53572020},
	{Property: tpm.PTVendorString2, Value: 0x2054504D},
	{Property: tpm.PTVendorString3, Value: 0},
	{Property: tpm.PTVendorString4, Value: 0},
	{Property: tpm.PTVendorTPMType, Value: 1},
	{Property: tpm.PTFirmwareVersion1, Value: 0x20191023},
	{Property: tpm.PTFirmwareVersion2, Value: 0x163636},
	{Property: tpm.PTInputBuffer, Value: 0x400},
	{Property: tpm.PTHRTransientMin, Value: 3},
	{Property: tpm.PTHRPersistentMin, Value: 7},
	{Property: tpm.PTHRLoadedMin, Value: 3},
	{Property: tpm.PTActiveSessionsMax, Value: 0x40},
	{Property: tpm.PTPCRCount, Value: NumPCRs},
	{Property: tpm.PTPCRSelectMin, Value: 3},
	{Property: tpm.PTContextGapMax, Value: 0xFFFF},
	{Property: tpm.PTNVCountersMax, Value: 0},
	{Property: tpm.PTNVIndexMax, Value: 0x800},
	{Property: tpm.PTMemory, Value: 6},
	{Property: tpm.PTClockUpdate, Value: 0x1000},
	{Property: tpm.PTContextHash, Value: 0xD},
	{Property: tpm.PTContextSym, Value: 6},
	{Property: tpm.PTContextSymSize, Value: 0x100},
	{Property: tpm.PTOrderlyCount, Value: 0xFF},
	{Property: tpm.PTMaxCommandSize, Value: 0x1000},
	{Property: tpm.PTMaxResponseSize, Value: 0x1000},
	{Property: tpm.PTMaxDigest, Value: 0x40},
	{Property: tpm.PTMaxObjectContext, Value: 0xA84},
	{Property: tpm.PTMaxSessionContext, Value: 0x194},
	{Property: tpm.PTPSFamilyIndicator, Value: 0x322E3000},
	{Property: tpm.PTPSLevel, Value: 0},
	{Property: tpm.PTPSRevision, Value: 0xA4},
	{Property: tpm.PTPSDayOfYear, Value: 0x4B},
	{Property: tpm.PTPSYear, Value: 0x7E5},
	{Property: tpm.PTSplitMax, Value: 0x80},
	{Property: tpm.PTTotalCommands, Value: 0x6E},
	{Property: tpm.PTLibraryCommands, Value: 0x6E},
	{Property: tpm.PTVendorCommands, Value: 0},
	{Property: tpm.PTNVBufferMax, Value: 0x400},
	{Property: tpm.PTModes, Value: 0},
	{Property: tpm.PTMaxCapBuffer, Value: 0x400},
}

// Libtpms returns the identity of swtpm's TPM 2.0 (manufacturer IBM,
// "SW  TPM", sha1, sha256, sha384 and sha512 banks), for byte-for-byte
// comparisons with a swtpm process.
func Libtpms() Identity {
	return Identity{
		Fixed: append([]tpm.TaggedProperty(nil), libtpmsFixed...),
		Banks: []tpm.Alg{tpm.AlgSHA1, tpm.AlgSHA256, tpm.AlgSHA384, tpm.AlgSHA512},
	}
}

// SLB9665 returns the identity of an Infineon SLB9665 TT 2.0: manufacturer
// IFX, vendor strings "SLB9" "665", firmware version 0x00050000 /
// 0x00044102 (values from a published tpm2_getcap dump of the part). The
// other fixed properties are libtpms's, as no dump of them was available.
func SLB9665() Identity {
	id := Libtpms()
	set := map[tpm.PT]uint32{
		tpm.PTManufacturer:     tpm.PropertyValue("IFX"),
		tpm.PTVendorString1:    tpm.PropertyValue("SLB9"),
		tpm.PTVendorString2:    tpm.PropertyValue("665"),
		tpm.PTVendorString3:    0,
		tpm.PTVendorString4:    0,
		tpm.PTFirmwareVersion1: 0x00050000,
		tpm.PTFirmwareVersion2: 0x00044102,
	}
	for i, p := range id.Fixed {
		if v, ok := set[p.Property]; ok {
			id.Fixed[i].Value = v
		}
	}
	return id
}
