package tisdev_test

import (
	"fmt"

	"tpmbench/lpcsim/tisdev"
)

// Example reads DID_VID as the host bridge does (four byte cycles,
// ascending) and takes locality 0. ACCESS goes from 0x81 to 0xA1, as on a
// real Infineon part.
func Example() {
	d := tisdev.New(tisdev.SLB9635(), nil)
	var didvid uint32
	for i := range uint16(4) {
		didvid |= uint32(d.Read(tisdev.RegDIDVID+i)) << (8 * i)
	}
	fmt.Printf("DID_VID %#08x RID %#02x\n", didvid, d.Read(tisdev.RegRID))

	fmt.Printf("ACCESS %#02x\n", d.Read(tisdev.RegAccess))
	d.Write(tisdev.RegAccess, tisdev.AccessRequestUse)
	fmt.Printf("ACCESS %#02x after requestUse\n", d.Read(tisdev.RegAccess))
	// Output:
	// DID_VID 0x000b15d1 RID 0x10
	// ACCESS 0x81
	// ACCESS 0xa1 after requestUse
}
