package tpm12

import "tpmbench/tpm"

// Identity is what a TPM 1.2 reports about itself: the vendor-specific
// answers of GetCapability and GetTestResult.
type Identity struct {
	VersionInfo  tpm.VersionInfo // TPM_CAP_VERSION_VAL: version, spec level, errata, vendor
	Manufacturer uint32          // TPM_CAP_PROP_MANUFACTURER
	Timeouts     tpm.Timeouts    // TPM_CAP_PROP_TIS_TIMEOUT: TIMEOUT_A to TIMEOUT_D
	Durations    tpm.Durations   // TPM_CAP_PROP_DURATION: short, medium and long
	TestResult   []byte          // the vendor-specific bytes GetTestResult returns
}

// SLB9635 is the identity of an Infineon SLB9635 TT 1.2 as tpm_version
// printed it on the reference board: spec level 2, errata 2, vendor IFX,
// vendor-specific data 03 13 00 0b 00. The chip version 1.2.3.19 is derived
// from the vendor-specific bytes (Infineon repeats its firmware version
// there); the TIS timeouts are the TIS defaults and the durations the
// SeaBIOS defaults, as no measured values exist.
func SLB9635() Identity {
	return Identity{
		VersionInfo: tpm.VersionInfo{
			Version:        tpm.Version{Major: 1, Minor: 2, RevMajor: 3, RevMinor: 19},
			SpecLevel:      2,
			ErrataRev:      2,
			VendorID:       [4]byte{'I', 'F', 'X', 0},
			VendorSpecific: []byte{0x03, 0x13, 0x00, 0x0B, 0x00},
		},
		Manufacturer: tpm.PropertyValue("IFX"),
		Timeouts:     tpm.Timeouts{A: 750000, B: 2000000, C: 750000, D: 750000},
		Durations:    tpm.Durations{Short: 2000000, Medium: 20000000, Long: 60000000},
		TestResult:   []byte{0x00, 0x00},
	}
}

// Libtpms is the identity libtpms 0.9 (swtpm) reports, so that the model's
// answers can be compared byte for byte with a swtpm process.
func Libtpms() Identity {
	return Identity{
		VersionInfo: tpm.VersionInfo{
			Version:   tpm.Version{Major: 1, Minor: 2, RevMajor: 18, RevMinor: 158},
			SpecLevel: 2,
			ErrataRev: 3,
			VendorID:  [4]byte{'I', 'B', 'M', 0},
		},
		Manufacturer: tpm.PropertyValue("IBM"),
		Timeouts:     tpm.Timeouts{A: 1000000, B: 1000000, C: 1000000, D: 1000000},
		Durations:    tpm.Durations{Short: 50000000, Medium: 100000000, Long: 300000000},
		TestResult:   []byte("Shutdown 00000002\n"),
	}
}
