package lpcsim

import (
	"fmt"
	"strings"
)

// Profile describes how a board family's host bridge behaves on LPC: which
// cycles it emits for the TPM window and when it gives up on a cycle.
type Profile struct {
	Name string // "apu", "alix"
	Doc  string // what the profile models, and on what evidence
	// Hypothesis is set when the profile models an unconfirmed explanation
	// rather than documented chipset behaviour; tools must say so.
	Hypothesis bool
	// TPMCycles: the bridge forwards 0xFED40000-0xFED44FFF as TPM locality
	// cycles (START 0101). When false it forwards the window as plain LPC
	// memory cycles (START 0000), which a TPM ignores.
	TPMCycles bool
	// NoSyncLimit is the number of consecutive clocks without a valid SYNC
	// after which the host aborts (3 per the LPC spec as SMSC quotes it, 4
	// on Intel ICH parts).
	NoSyncLimit int
	// WaitLimit bounds the wait SYNCs (short or long) the host accepts in
	// one cycle before it aborts. Real bridges keep waiting on long waits;
	// the simulator needs a bound so that no fault hangs the host.
	WaitLimit int
	// StartClocks is how many clocks LFRAME# stays low at START (1 or more;
	// the peripheral uses the last START nibble).
	StartClocks int
	// IdleClocks are the clocks between two cycles (LFRAME# high, LAD released).
	IdleClocks int
	// ResetClocks is how long LRESET# is held at power-on and on Reset.
	ResetClocks int
}

// The host-bridge profiles.
var (
	// APU is the AMD FCH of the PC Engines apu1/apu2 family. coreboot's
	// bootblock enables FCH decoding of "TPM cycles defined in TPM 1.2 spec",
	// so the window is forwarded as START 0101 cycles; the reference bring-up
	// on an apu1d worked. The FCH's abort timing is not documented in the
	// sources at hand: the ICH figure (4 clocks) is used.
	APU = Profile{
		Name:        "apu",
		Doc:         "AMD FCH (apu1/apu2): forwards 0xFED4xxxx as TPM locality cycles (START 0101); aborts after 4 clocks without SYNC (ICH figure, FCH value not documented)",
		TPMCycles:   true,
		NoSyncLimit: 4,
		WaitLimit:   4096,
		StartClocks: 1,
		IdleClocks:  1,
		ResetClocks: 64,
	}
	// ALIX is the AMD Geode CS5536 of the PC Engines alix boards, modelled on
	// a HYPOTHESIS: that it never emits TPM cycles for 0xFED4xxxx and
	// forwards the window as ordinary LPC memory cycles, which a TPM must
	// ignore. The reference write-up's ALIX bring-up failed for reasons
	// nobody established; this is one candidate explanation, not a fact.
	ALIX = Profile{
		Name:        "alix",
		Doc:         "AMD Geode CS5536 (alix) — HYPOTHESIS, not confirmed: never emits TPM cycles (START 0101) for 0xFED4xxxx; the window goes out as plain LPC memory cycles that a TPM ignores, so every TPM register reads 0xFF",
		Hypothesis:  true,
		TPMCycles:   false,
		NoSyncLimit: 4,
		WaitLimit:   4096,
		StartClocks: 1,
		IdleClocks:  1,
		ResetClocks: 64,
	}
)

// Profiles returns the built-in host-bridge profiles.
func Profiles() []Profile { return []Profile{APU, ALIX} }

// LookupProfile returns the built-in profile with the given name.
func LookupProfile(name string) (Profile, error) {
	for _, p := range Profiles() {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("lpcsim: unknown host profile %q (want apu or alix)", name)
}

// Check reports a profile whose bounds would let a cycle run unbounded or
// make no sense.
func (p Profile) Check() error {
	switch {
	case p.NoSyncLimit < 1 || p.NoSyncLimit > 64:
		return fmt.Errorf("lpcsim: profile %q: NoSyncLimit %d outside 1..64", p.Name, p.NoSyncLimit)
	case p.WaitLimit < 0 || p.WaitLimit > 1<<20:
		return fmt.Errorf("lpcsim: profile %q: WaitLimit %d outside 0..%d", p.Name, p.WaitLimit, 1<<20)
	case p.StartClocks < 1 || p.StartClocks > 8:
		return fmt.Errorf("lpcsim: profile %q: StartClocks %d outside 1..8", p.Name, p.StartClocks)
	case p.IdleClocks < 0 || p.IdleClocks > 64:
		return fmt.Errorf("lpcsim: profile %q: IdleClocks %d outside 0..64", p.Name, p.IdleClocks)
	case p.ResetClocks < 1 || p.ResetClocks > 1<<22:
		return fmt.Errorf("lpcsim: profile %q: ResetClocks %d outside 1..%d", p.Name, p.ResetClocks, 1<<22)
	}
	return nil
}
