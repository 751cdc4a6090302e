package engine_test

import (
	"testing"

	"tpmbench/lpcsim/engine/swtpm"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/engine/tpm20"
	"tpmbench/lpcsim/tisdev"
	"tpmbench/tpm"
)

// Every engine fits behind the simulated TIS FIFO.
var (
	_ tisdev.Engine = (*tpm12.Engine)(nil)
	_ tisdev.Engine = (*tpm20.Engine)(nil)
	_ tisdev.Engine = (*swtpm.Engine)(nil)
)

// The built-in engines answer a command of the other TPM family with a
// well-formed error in the format a driver's family probe expects.
func TestFamilyProbe(t *testing.T) {
	probe := tpm.GetCapability2(tpm.Cap2TPMProperties, uint32(tpm.PTTotalCommands), 1)
	tests := []struct {
		name   string
		e      tisdev.Engine
		want20 bool
	}{
		{"tpm12", tpm12.New(tpm12.Started()), false},
		{"tpm20", tpm20.New(tpm20.Started()), true},
	}
	for _, tt := range tests {
		rsp, err := tt.e.Execute(0, probe)
		if err != nil {
			t.Fatal(err)
		}
		r, err := tpm.ParseResponse(rsp)
		if err != nil {
			t.Fatal(err)
		}
		if r.Tag.Is20() != tt.want20 {
			t.Errorf("%s answers the TPM 2.0 probe with tag %v", tt.name, r.Tag)
		}
	}
}
