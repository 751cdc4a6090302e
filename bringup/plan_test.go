package bringup

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"tpmbench/tpm"
)

func names(p Plan) string {
	var n []string
	for _, s := range p.Steps {
		n = append(n, s.Name)
	}
	return strings.Join(n, ",")
}

func TestEnablePlanByState(t *testing.T) {
	factory := State{Permanent: tpm.PermanentFlags{Disable: true, Deactivated: true}, STClear: tpm.STClearFlags{Deactivated: true}}
	with := func(f func(*State)) State { s := factory; f(&s); return s }
	tests := []struct {
		name  string
		s     State
		steps string
		reset bool
		err   error
	}{
		{"factory", factory, "TSC_PhysicalPresence(CMD_ENABLE),TSC_PhysicalPresence(PRESENT),TPM_PhysicalEnable,TPM_PhysicalSetDeactivated(FALSE)", true, nil},
		{"enabled and active", State{}, "", false, nil},
		{"activated, not yet reset", with(func(s *State) { s.Permanent.Disable, s.Permanent.Deactivated = false, false }), "", true, nil},
		{"enabled, deactivated", with(func(s *State) { s.Permanent.Disable = false }),
			"TSC_PhysicalPresence(CMD_ENABLE),TSC_PhysicalPresence(PRESENT),TPM_PhysicalSetDeactivated(FALSE)", true, nil},
		{"disabled, active", State{Permanent: tpm.PermanentFlags{Disable: true}},
			"TSC_PhysicalPresence(CMD_ENABLE),TSC_PhysicalPresence(PRESENT),TPM_PhysicalEnable", false, nil},
		{"cmd presence enabled", with(func(s *State) { s.Permanent.PhysicalPresenceCMDEnable = true }),
			"TSC_PhysicalPresence(PRESENT),TPM_PhysicalEnable,TPM_PhysicalSetDeactivated(FALSE)", true, nil},
		{"lifetime lock with cmd presence", with(func(s *State) {
			s.Permanent.PhysicalPresenceLifetimeLock, s.Permanent.PhysicalPresenceCMDEnable = true, true
		}), "TSC_PhysicalPresence(PRESENT),TPM_PhysicalEnable,TPM_PhysicalSetDeactivated(FALSE)", true, nil},
		{"lifetime lock without cmd presence", with(func(s *State) {
			s.Permanent.PhysicalPresenceLifetimeLock, s.Permanent.PhysicalPresenceHWEnable = true, true
		}), "", false, ErrLifetimeLocked},
		{"presence locked this boot", with(func(s *State) { s.STClear.PhysicalPresenceLock = true }), "", false, ErrPresenceLocked},
		{"lifetime lock on an enabled TPM", State{Permanent: tpm.PermanentFlags{PhysicalPresenceLifetimeLock: true}}, "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := EnablePlan(tt.s)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if names(p) != tt.steps || p.ResetNeeded != tt.reset || p.Irreversible() {
				t.Errorf("plan %q reset %v irreversible %v; want %q reset %v", names(p), p.ResetNeeded, p.Irreversible(), tt.steps, tt.reset)
			}
			// Every step says how to verify it, and its check is false now and true for the goal.
			for _, s := range p.Steps {
				if s.Check == nil || s.Check(tt.s) {
					t.Errorf("%s: check missing or already true", s.Name)
				}
			}
		})
	}
}

func TestNVLockPlanByState(t *testing.T) {
	p := NVLockPlan(State{})
	if names(p) != "TPM_NV_DefineSpace(TPM_NV_INDEX_LOCK 0xFFFFFFFF, size 0)" || !p.Irreversible() {
		t.Errorf("unlocked: %q irreversible %v", names(p), p.Irreversible())
	}
	if p.Steps[0].Check(State{}) || !p.Steps[0].Check(State{Permanent: tpm.PermanentFlags{NVLocked: true}}) {
		t.Error("check does not follow nvLocked")
	}
	if p := NVLockPlan(State{Permanent: tpm.PermanentFlags{NVLocked: true}}); len(p.Steps) != 0 || len(p.Notes) == 0 {
		t.Errorf("locked: %q", names(p))
	}
}

// nvReadPublicResponse encodes a TPM2_NV_ReadPublic answer.
func nvReadPublicResponse(index uint32, attrs NVAttr2, policy []byte, size uint16) []byte {
	pub := binary.BigEndian.AppendUint32(nil, index)
	pub = binary.BigEndian.AppendUint16(pub, uint16(tpm.AlgSHA256))
	pub = binary.BigEndian.AppendUint32(pub, uint32(attrs))
	pub = append(binary.BigEndian.AppendUint16(pub, uint16(len(policy))), policy...)
	pub = binary.BigEndian.AppendUint16(pub, size)
	name := append([]byte{0x00, 0x0B}, make([]byte, 32)...)
	return tpm.NewResponse2(tpm.RC2Success, tpm.Sized2(pub), tpm.Sized2(name))
}

func TestParseNVReadPublic2(t *testing.T) {
	// The PS index as converged-security-suite's txt-prov defines it.
	ps := NV2PolicyWrite | NV2PolicyDelete | NV2AuthRead | NV2NoDA | NV2PlatformCreate | NV2Written | NV2WriteLocked
	good := nvReadPublicResponse(0x01C10103, ps, make([]byte, 32), 70)
	p, err := ParseNVReadPublic2(good)
	if err != nil {
		t.Fatal(err)
	}
	if p.Index != 0x01C10103 || p.NameAlg != tpm.AlgSHA256 || p.Attributes != ps || len(p.AuthPolicy) != 32 || p.DataSize != 70 {
		t.Errorf("%+v", p)
	}
	if got := p.Attributes.String(); got != "POLICYWRITE|POLICY_DELETE|WRITELOCKED|AUTHREAD|NO_DA|WRITTEN|PLATFORMCREATE" {
		t.Errorf("attributes %q", got)
	}
	if got := NVAttr2(0x20).String(); got != "NT=2" {
		t.Errorf("counter type: %q", got)
	}

	bad := []struct {
		name string
		b    []byte
		want string
	}{
		{"handle", tpm.NewResponse2(0x18B), "TPM_RC_HANDLE"},
		{"empty", tpm.NewResponse2(tpm.RC2Success), "byte 10: no TPM2B_NV_PUBLIC size"},
		{"short public", tpm.NewResponse2(tpm.RC2Success, tpm.Sized2(make([]byte, 13))), "size 13"},
		{"no name", tpm.NewResponse2(tpm.RC2Success, good[tpm.HeaderSize:len(good)-34]), "TPM2B_NAME"},
	}
	policyLies := append([]byte(nil), good...)
	policyLies[tpm.HeaderSize+2+10+1] = 40 // authPolicy size 40 in a 32-byte policy
	bad = append(bad, struct {
		name string
		b    []byte
		want string
	}{"policy size lies", policyLies, "byte 22: authPolicy size 40"})
	for _, tt := range bad {
		if _, err := ParseNVReadPublic2(tt.b); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func FuzzParseNVReadPublic2(f *testing.F) {
	f.Add(nvReadPublicResponse(0x01C10103, NV2WriteLocked, make([]byte, 32), 70))
	f.Add(nvReadPublicResponse(0x01C10102, 0, nil, 104))
	f.Add(tpm.NewResponse2(0x18B))
	f.Add([]byte{0x80, 0x01, 0x00, 0x00, 0x00, 0x0C, 0, 0, 0, 0, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseNVReadPublic2(b)
		if err != nil {
			return
		}
		_ = p.Attributes.String()
		if len(p.AuthPolicy) > len(b) {
			t.Fatalf("policy of %d bytes from %d input bytes", len(p.AuthPolicy), len(b))
		}
	})
}
