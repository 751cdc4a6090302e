package decode_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"tpmbench/lpcsim/decode"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/scenario"
)

// Decode the simulator's waveform of a 32-bit DID_VID read: four TPM
// cycles, one merged register access.
func ExampleRun() {
	s, err := scenario.Load("default")
	if err != nil {
		fmt.Println(err)
		return
	}
	bench, err := scenario.BuildWith(s, scenario.Options{Engine: tpm12.New()})
	if err != nil {
		fmt.Println(err)
		return
	}
	var vcd bytes.Buffer
	w := bench.AttachVCD(&vcd)
	bench.Host.Read32(0xF00) // TPM_DID_VID_0
	bench.Idle(4)
	w.Close()

	dir, _ := os.MkdirTemp("", "decode-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "didvid.vcd")
	os.WriteFile(path, vcd.Bytes(), 0o644)

	src, err := decode.Open(path, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	m := decode.NewMerger(func(a decode.Access) { fmt.Println(a) })
	st, err := decode.Run(src, decode.Handlers{
		Cycle: func(c *decode.Cycle) error { fmt.Println(c); return nil },
		RegOp: func(o decode.RegOp) error { m.Add(o); return nil },
	})
	m.Flush()
	fmt.Println(st.Cycles, "cycles,", st.RegOps, "register operations,", err)
	// Output:
	// tpm-read   addr=0x0F00 loc=0 DID_VID data=D1
	// tpm-read   addr=0x0F01 loc=0 DID_VID+1 data=15
	// tpm-read   addr=0x0F02 loc=0 DID_VID+2 data=0B
	// tpm-read   addr=0x0F03 loc=0 DID_VID+3 data=00
	// loc0 read  DID_VID          -> 0x000B15D1
	// 4 cycles, 4 register operations, <nil>
}
