package tisdev

import (
	"fmt"
	"sort"
	"strings"
)

// Family is the TPM family the device reports in STS bits 27:26 and the
// engine behind it speaks.
type Family uint8

// TPM families.
const (
	Family12 Family = iota // TPM 1.2
	Family20               // TPM 2.0
)

// String returns "1.2" or "2.0".
func (f Family) String() string {
	if f == Family20 {
		return "2.0"
	}
	return "1.2"
}

// Personality is what a simulated TPM part looks like from the bus: its
// identity registers, its timing and the faults it has. The zero Timing and
// Faults give a fast, well-behaved part.
type Personality struct {
	Name           string // short name used by scenarios, e.g. "slb9635"
	Description    string // one line for humans, e.g. "Infineon SLB9635 TT 1.2"
	Family         Family // TPM 1.2 or 2.0 (STS tpmFamily, failure responses)
	DIDVID         uint32 // TPM_DID_VID: DID in bits 31:16, VID in bits 15:0
	RID            uint8  // TPM_RID
	IntfCapability uint32 // TPM_INTF_CAPABILITY (InterfaceVersion in bits 30:28)
	InterfaceID    uint32 // TPM_INTERFACE_ID (0xFFFFFFFF on TIS 1.2 and TIS 1.3 parts)
	IntVector      uint8  // TPM_INT_VECTOR at power-on (SERIRQ frame number)
	FixedVector    bool   // INT_VECTOR is hard-wired: writes are ignored (QEMU)
	Established    bool   // a DRTM has been established: ACCESS.tpmEstablishment reads 0
	Timing         Timing // wait states and delays; the zero value is a fast part
	Faults         Faults // misbehaviours to model; the zero value has none
}

// Timing is how long things take on the modelled part, counted in bus
// accesses (every Read or Write is one TPM cycle) and SYNC wait states.
type Timing struct {
	// Waits is the number of wait-state SYNCs every access needs.
	Waits int
	// FIFOWaits is added to Waits for DATA_FIFO and XDATA_FIFO accesses.
	FIFOWaits int
	// LongWait makes the wait SYNCs long waits (0110) instead of short (0101).
	LongWait bool
	// ExecAccesses is how many accesses after tpmGo still see the command
	// executing (dataAvail = 0); the next one sees the response.
	ExecAccesses int
	// ReadyAccesses is how many accesses after a commandReady write still
	// see commandReady = 0 (the FIFO is being cleared); the next one sees
	// the READY state.
	ReadyAccesses int
	// StartupAccesses is how many accesses after reset (reads and writes
	// of any register, each counting once) see ACCESS.tpmRegValidSts = 0
	// (the TPM is still initialising); access N+1 is the first to read 1.
	StartupAccesses int
	// BurstCount caps STS.burstCount; 0 means no cap (free buffer space or
	// remaining response bytes, as QEMU reports).
	BurstCount int
	// StaticBurst makes burstCount read exactly BurstCount (which must then
	// be above 0) whenever the FIFO can move data, instead of
	// min(BurstCount, what is available); INTF_CAPABILITY.BurstCountStatic
	// then reads 1.
	StaticBurst bool
}

// Faults are deliberate misbehaviours of the part, for fault scenarios and
// driver tests.
type Faults struct {
	NoStsValid        bool  // STS.stsValid never reads 1
	BurstZero         bool  // STS.burstCount always reads 0
	NeverGrant        bool  // no locality is ever granted (requestUse and Seize stay pending)
	NeverValid        bool  // ACCESS.tpmRegValidSts never reads 1
	SizeDelta         int32 // added to the paramSize field of every response (the delivered length is unchanged)
	HangOnEngineError bool  // an engine error leaves the FIFO in EXECUTION for good, instead of answering a TPM failure
}

// capTIS13Low are the INTF_CAPABILITY bits below InterfaceVersion shared by
// the TIS 1.3 personalities: low-level interrupts (mandatory), the four
// interrupt sources, dynamic burstCount, 64-byte transfers. These are QEMU's
// values; the Infineon parts' own bits were not available to us.
const capTIS13Low = 0x10 | intSources | CapTransferSize64

// SLB9635 is the Infineon SLB9635 TT 1.2 of the reference bring-up: TPM 1.2 on
// TIS 1.2, DID_VID 0x000B15D1, RID 0x10. Its INTF_CAPABILITY interrupt
// bits (low level, the four interrupt sources) follow QEMU's; they were not
// read from a part.
func SLB9635() Personality {
	return Personality{
		Name:           "slb9635",
		Description:    "Infineon SLB9635 TT 1.2 (TPM 1.2, TIS 1.2)",
		Family:         Family12,
		DIDVID:         0x000B15D1,
		RID:            0x10,
		IntfCapability: CapInterfaceTIS12 | 0x10 | intSources,
		InterfaceID:    0xFFFFFFFF,
	}
}

// SLB9665 is the Infineon SLB9665 TT 2.0: TPM 2.0 on a TIS 1.3 FIFO,
// DID_VID 0x001A15D1. INTERFACE_ID reads 0xFFFFFFFF, so the family has to be
// read from INTF_CAPABILITY bits 30:28 (3 = TPM 2.0 on TIS 1.3). The RID is
// not known from our sources; 0x10 is a placeholder.
func SLB9665() Personality {
	return Personality{
		Name:           "slb9665",
		Description:    "Infineon SLB9665 TT 2.0 (TPM 2.0, TIS 1.3)",
		Family:         Family20,
		DIDVID:         0x001A15D1,
		RID:            0x10,
		IntfCapability: CapInterfaceTIS13TPM20 | capTIS13Low,
		InterfaceID:    0xFFFFFFFF,
	}
}

// QEMU is QEMU's tpm-tis device in front of a TPM of family f: DID_VID
// 0x00011014, RID 0x01, INTF_CAPABILITY 0x20000697 (TPM 1.2) or 0x30000697
// (TPM 2.0), INTERFACE_ID 0xFFFFFFFF (TPM 1.2) or 0x00002100 (TPM 2.0, PTP
// FIFO with five localities), INT_VECTOR hard-wired.
func QEMU(f Family) Personality {
	p := Personality{
		Name:           "qemu",
		Description:    "QEMU tpm-tis (TPM 1.2, TIS 1.3)",
		Family:         f,
		DIDVID:         0x00011014,
		RID:            0x01,
		IntfCapability: CapInterfaceTIS13 | capTIS13Low,
		InterfaceID:    0xFFFFFFFF,
		FixedVector:    true,
	}
	if f == Family20 {
		p.Name = "qemu-tpm2"
		p.Description = "QEMU tpm-tis (TPM 2.0, PTP FIFO)"
		p.IntfCapability = CapInterfaceTIS13TPM20 | capTIS13Low
		p.InterfaceID = 0x00002100
	}
	return p
}

// personalities lists the built-in parts by name.
var personalities = map[string]func() Personality{
	"slb9635":   SLB9635,
	"slb9665":   SLB9665,
	"qemu":      func() Personality { return QEMU(Family12) },
	"qemu-tpm2": func() Personality { return QEMU(Family20) },
}

// PersonalityNames returns the names of the built-in personalities, sorted.
func PersonalityNames() []string {
	names := make([]string, 0, len(personalities))
	for n := range personalities {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// PersonalityByName returns the built-in personality called name
// (case-insensitive): "slb9635", "slb9665", "qemu" or "qemu-tpm2".
func PersonalityByName(name string) (Personality, error) {
	f, ok := personalities[strings.ToLower(name)]
	if !ok {
		return Personality{}, fmt.Errorf("tisdev: unknown personality %q (known: %s)",
			name, strings.Join(PersonalityNames(), ", "))
	}
	return f(), nil
}
