package tpm12

import (
	"testing"

	"tpmbench/tpm"
)

// BenchmarkGetCapability measures one TPM_GetCapability round trip through
// the model, the FIFO-heavy workload of the simulator benchmark.
func BenchmarkGetCapability(b *testing.B) {
	e := New(Started())
	cmd := tpm.GetCapProperty(tpm.PropTISTimeout)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Execute(0, cmd); err != nil {
			b.Fatal(err)
		}
	}
}
