package tpm12

import (
	"encoding/json"
	"fmt"
	"os"

	"tpmbench/tpm"
)

// Option changes the starting state of a new Engine.
type Option func(*Engine, *config)

type config struct {
	seed    uint64
	started bool
}

// Enabled starts the TPM enabled and activated (as libtpms creates a fresh
// state), instead of the factory disabled + deactivated.
func Enabled() Option {
	return func(e *Engine, _ *config) { e.perm.Disable, e.perm.Deactivated = false, false }
}

// Owned starts the TPM with an owner installed (implies Enabled).
func Owned() Option {
	return func(e *Engine, c *config) {
		Enabled()(e, c)
		e.owned = true
	}
}

// LifetimeLocked starts the TPM as a TPM-aware BIOS leaves it: the physical
// presence configuration locked for life with command PP enabled
// (LIFETIME_LOCK|CMD_ENABLE), hardware PP disabled.
func LifetimeLocked() Option {
	return func(e *Engine, _ *config) {
		e.perm.PhysicalPresenceLifetimeLock = true
		e.perm.PhysicalPresenceCMDEnable = true
		e.perm.PhysicalPresenceHWEnable = false
	}
}

// NVLocked starts the TPM with TPM_NV_INDEX_LOCK already defined.
func NVLocked() Option {
	return func(e *Engine, _ *config) { e.perm.NVLocked = true }
}

// Started starts the TPM after a TPM_Startup(ST_CLEAR), as when firmware
// has already sent it. A later Reset needs a Startup again.
func Started() Option {
	return func(_ *Engine, c *config) { c.started = true }
}

// WithIdentity replaces the SLB9635 identity.
func WithIdentity(id Identity) Option {
	return func(e *Engine, _ *config) { e.id = id }
}

// WithSeed seeds the random number generator of GetRandom (default 1), so
// that runs are reproducible.
func WithSeed(seed uint64) Option {
	return func(_ *Engine, c *config) { c.seed = seed }
}

// WithState starts from a saved persistent state (see Engine.SaveState).
func WithState(s State) Option {
	return func(e *Engine, _ *config) { e.setState(s) }
}

// maxIdentityBytes bounds the variable-length identity fields of a state
// file, so that every answer fits a TPM buffer.
const maxIdentityBytes = 256

// State is the persistent state of the model: what survives TPM_Init and
// power cycles.
type State struct {
	Permanent tpm.PermanentFlags `json:"permanent"`            // TPM_PERMANENT_FLAGS
	Owned     bool               `json:"owned"`                // an owner is installed
	NVWrites  int                `json:"nvWritesWithoutOwner"` // NV writes counted against the no-owner limit
	NV        []NVState          `json:"nv,omitempty"`         // the defined NV areas
	Identity  Identity           `json:"identity"`             // what the TPM reports about itself
}

// NVState is one defined NV area of a saved state.
type NVState struct {
	Public tpm.NVDataPublic `json:"public"` // TPM_NV_DATA_PUBLIC: index, size, permissions
	Data   []byte           `json:"data"`   // the area's contents
}

// State returns a copy of the persistent state.
func (e *Engine) State() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := State{Permanent: e.perm, Owned: e.owned, NVWrites: e.nvWrites, Identity: e.id}
	for _, a := range e.areas() {
		pub := a.pub
		pub.WriteSTClear, pub.ReadSTClear = false, false
		s.NV = append(s.NV, NVState{Public: pub, Data: append([]byte(nil), a.data...)})
	}
	return s
}

func (e *Engine) setState(s State) {
	e.perm, e.owned, e.nvWrites, e.id = s.Permanent, s.Owned, s.NVWrites, s.Identity
	e.nv = nil
	for _, a := range s.NV {
		e.nv = append(e.nv, &nvArea{pub: a.Public, data: append([]byte(nil), a.Data...)})
	}
}

// SaveState encodes the persistent state as indented JSON.
func (e *Engine) SaveState() ([]byte, error) {
	b, err := json.MarshalIndent(e.State(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("tpm12: encoding state: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseState decodes a state written by SaveState and checks that every NV
// area holds as many bytes as its dataSize says.
func ParseState(b []byte) (State, error) {
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return State{}, fmt.Errorf("tpm12: decoding state: %w", err)
	}
	total := 0
	for i, a := range s.NV {
		if uint32(len(a.Data)) != a.Public.DataSize {
			return State{}, fmt.Errorf("tpm12: decoding state: NV area %d (index 0x%08X) holds %d bytes, dataSize says %d",
				i, a.Public.Index, len(a.Data), a.Public.DataSize)
		}
		total += len(a.Data)
	}
	if total > nvCapacity {
		return State{}, fmt.Errorf("tpm12: decoding state: NV areas hold %d bytes, the model has %d", total, nvCapacity)
	}
	if n := len(s.Identity.VersionInfo.VendorSpecific); n > maxIdentityBytes {
		return State{}, fmt.Errorf("tpm12: decoding state: %d bytes of vendor-specific version data, at most %d", n, maxIdentityBytes)
	}
	if n := len(s.Identity.TestResult); n > maxIdentityBytes {
		return State{}, fmt.Errorf("tpm12: decoding state: %d-byte test result, at most %d", n, maxIdentityBytes)
	}
	return s, nil
}

// SaveFile writes the persistent state to path.
func (e *Engine) SaveFile(path string) error {
	b, err := e.SaveState()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("tpm12: saving state: %w", err)
	}
	return nil
}

// LoadFile reads a state file written by SaveFile.
func LoadFile(path string) (State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return State{}, fmt.Errorf("tpm12: loading state: %w", err)
	}
	s, err := ParseState(b)
	if err != nil {
		return State{}, fmt.Errorf("%w (file %s)", err, path)
	}
	return s, nil
}
