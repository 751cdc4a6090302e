package bringup

import (
	"context"
	"fmt"

	"tpmbench/tpm"
)

// Sender sends one complete TPM command and returns the complete response. A TPM return
// code is in the response, not an error; an error means the exchange itself failed.
// A probed tis.Conn is a Sender.
type Sender interface {
	// SendContext sends cmd and waits for the response until ctx ends.
	SendContext(ctx context.Context, cmd []byte) ([]byte, error)
}

// State is what the bring-up decisions of a TPM 1.2 depend on: its permanent and its
// volatile (ST_CLEAR) flags.
type State struct {
	Permanent tpm.PermanentFlags `json:"permanent"` // TPM_PERMANENT_FLAGS
	STClear   tpm.STClearFlags   `json:"stclear"`   // TPM_STCLEAR_FLAGS
}

// Enabled reports that the TPM is not disabled (TPM_PERMANENT_FLAGS.disable FALSE).
func (s State) Enabled() bool { return !s.Permanent.Disable }

// Active reports that the TPM is active now: neither the permanent nor the ST_CLEAR
// deactivated flag is set.
func (s State) Active() bool { return !s.Permanent.Deactivated && !s.STClear.Deactivated }

// ReadState reads TPM_PERMANENT_FLAGS and TPM_STCLEAR_FLAGS with TPM_GetCapability, which
// a TPM 1.2 answers even while disabled and deactivated.
func ReadState(ctx context.Context, s Sender) (State, error) {
	var st State
	perm, err := capFlag(ctx, s, tpm.CapFlagPermanent)
	if err != nil {
		return st, err
	}
	if err := st.Permanent.Unmarshal(perm); err != nil {
		return st, fmt.Errorf("bringup: TPM_PERMANENT_FLAGS: %w", err)
	}
	vol, err := capFlag(ctx, s, tpm.CapFlagVolatile)
	if err != nil {
		return st, err
	}
	if err := st.STClear.Unmarshal(vol); err != nil {
		return st, fmt.Errorf("bringup: TPM_STCLEAR_FLAGS: %w", err)
	}
	return st, nil
}

func capFlag(ctx context.Context, s Sender, sub uint32) ([]byte, error) {
	what := fmt.Sprintf("TPM_GetCapability(TPM_CAP_FLAG, %#x)", sub)
	b, err := s.SendContext(ctx, tpm.GetCapFlag(sub))
	if err != nil {
		return nil, fmt.Errorf("bringup: %s: %w", what, err)
	}
	rsp, err := tpm.ParseResponse(b)
	if err != nil {
		return nil, fmt.Errorf("bringup: %s: %w", what, err)
	}
	data, err := tpm.ParseSized(rsp)
	if err != nil {
		return nil, fmt.Errorf("bringup: %s: %w", what, err)
	}
	return data, nil
}
