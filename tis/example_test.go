package tis_test

import (
	"context"
	"fmt"
	"os"

	"tpmbench/lpcsim/scenario"
	"tpmbench/tis"
)

// Probe the simulated reference bench (apu1d + Asus module with an SLB9635 in its factory
// state): the lines are the ones Linux printed on the real bench.
func ExampleProbe() {
	s, err := scenario.Load("default")
	if err != nil {
		fmt.Println(err)
		return
	}
	bench, err := scenario.Build(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer bench.Close()
	conn, rep, err := tis.Probe(context.Background(), bench.Host, tis.Options{Log: os.Stdout})
	if err != nil {
		fmt.Println(err, rep.Diagnosis)
		return
	}
	defer conn.Release()
	fmt.Printf("TPM %s by %s, enabled %v, NV locked %v\n", rep.Family, rep.Vendor, *rep.Enabled, *rep.NVLocked)
	// Output:
	// tpm_tis: 1.2 TPM (device-id 0xB, rev-id 16)
	// tpm_tis: Issuing TPM_STARTUP
	// tpm_tis: TPM is disabled/deactivated (0x7)
	// TPM 1.2 by Infineon, enabled false, NV locked false
}
