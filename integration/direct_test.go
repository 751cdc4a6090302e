package integration

import (
	"encoding/binary"
	"fmt"
	"testing"
)

// TPM 1.2 and 2.0 commands the tests send to swtpm directly, byte for byte from the research
// notes (swtpm §5.2 and §6): the answers are what the probe through QEMU's TIS must report.
var (
	tpm12GetVersionVal     = []byte{0x00, 0xC1, 0, 0, 0, 0x12, 0, 0, 0, 0x65, 0, 0, 0, 0x1A, 0, 0, 0, 0}
	tpm12GetPermanentFlags = []byte{0x00, 0xC1, 0, 0, 0, 0x16, 0, 0, 0, 0x65, 0, 0, 0, 0x04, 0, 0, 0, 0x04, 0, 0, 0x01, 0x08}
	tpm12GetVolatileFlags  = []byte{0x00, 0xC1, 0, 0, 0, 0x16, 0, 0, 0, 0x65, 0, 0, 0, 0x04, 0, 0, 0, 0x04, 0, 0, 0x01, 0x09}
	tpm12GetManufacturer   = []byte{0x00, 0xC1, 0, 0, 0, 0x16, 0, 0, 0, 0x65, 0, 0, 0, 0x05, 0, 0, 0, 0x04, 0, 0, 0x01, 0x03}
	tpm12PCRRead0          = []byte{0x00, 0xC1, 0, 0, 0, 0x0E, 0, 0, 0, 0x15, 0, 0, 0, 0}
	tpm2StartupClear       = []byte{0x80, 0x01, 0, 0, 0, 0x0C, 0, 0, 0x01, 0x44, 0, 0}
	// TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES, TPM_PT_FIXED 0x100, 0x30)
	tpm2GetFixedProperties = []byte{0x80, 0x01, 0, 0, 0, 0x16, 0, 0, 0x01, 0x7A, 0, 0, 0, 0x06, 0, 0, 0x01, 0, 0, 0, 0, 0x30}
)

// tpm12Disabled is TPM_DISABLED, what PCRRead answers in the factory state.
const tpm12Disabled = 7

// direct12 is what a TPM 1.2 state answers over swtpm's data socket after TPM_Init and
// TPM_Startup(ST_CLEAR).
type direct12 struct {
	chipVersion    string // TPM_CAP_VERSION_INFO.version as a.b.c.d
	specLevel      int
	errataRev      int
	vendorID       string // four bytes, NULs removed
	manufacturer   uint32
	permanentFlags []bool // TPM_PERMANENT_FLAGS in order
	volatileFlags  []bool // TPM_STCLEAR_FLAGS in order
	pcr0RC         uint32 // TPM_PCRRead(0) return code
}

// askTPM12 starts swtpm on a copy of state and reads it directly.
func askTPM12(t *testing.T, state string) direct12 {
	t.Helper()
	c := directConn(t, state, false)
	call := func(what string, cmd []byte) []byte {
		rc, rsp, err := c.transmit(cmd)
		if err != nil || rc != 0 {
			t.Fatalf("swtpm directly: %s: rc %#x, %v", what, rc, err)
		}
		return rsp
	}
	call("TPM_Startup(ST_CLEAR)", tpm12StartupClear)
	var d direct12
	v := capData(t, "VERSION_VAL", call("GetCapability(VERSION_VAL)", tpm12GetVersionVal), 15)
	// tag(2) version(4) specLevel(2) errataRev(1) tpmVendorID(4) vendorSpecificSize(2)
	d.chipVersion = fmt.Sprintf("%d.%d.%d.%d", v[2], v[3], v[4], v[5])
	d.specLevel = int(binary.BigEndian.Uint16(v[6:8]))
	d.errataRev = int(v[8])
	d.vendorID = trimNUL(string(v[9:13]))
	d.manufacturer = binary.BigEndian.Uint32(capData(t, "MANUFACTURER", call("GetCapability(MANUFACTURER)", tpm12GetManufacturer), 4))
	d.permanentFlags = bools(capData(t, "FLAG_PERMANENT", call("GetCapability(FLAG_PERMANENT)", tpm12GetPermanentFlags), 2)[2:])
	d.volatileFlags = bools(capData(t, "FLAG_VOLATILE", call("GetCapability(FLAG_VOLATILE)", tpm12GetVolatileFlags), 2)[2:])
	rc, _, err := c.transmit(tpm12PCRRead0)
	if err != nil {
		t.Fatalf("swtpm directly: TPM_PCRRead(0): %v", err)
	}
	d.pcr0RC = rc
	return d
}

// askTPM20Properties starts swtpm --tpm2 on a copy of state and returns the fixed properties
// (TPM_PT 0x100 onwards) in the TPM's order.
func askTPM20Properties(t *testing.T, state string) [][2]uint32 {
	t.Helper()
	c := directConn(t, state, true)
	if rc, _, err := c.transmit(tpm2StartupClear); err != nil || rc != 0 {
		t.Fatalf("swtpm directly: TPM2_Startup(SU_CLEAR): rc %#x, %v", rc, err)
	}
	rc, rsp, err := c.transmit(tpm2GetFixedProperties)
	if err != nil || rc != 0 {
		t.Fatalf("swtpm directly: TPM2_GetCapability(TPM_PROPERTIES, 0x100): rc %#x, %v", rc, err)
	}
	// moreData(1) capability(4) count(4) then (property, value) pairs
	if len(rsp) < 19 {
		t.Fatalf("swtpm directly: TPM2_GetCapability response too short: % x", rsp)
	}
	n := int(binary.BigEndian.Uint32(rsp[15:19]))
	if len(rsp) != 19+8*n {
		t.Fatalf("swtpm directly: TPM2_GetCapability: %d properties in %d bytes: % x", n, len(rsp), rsp)
	}
	props := make([][2]uint32, n)
	for i := range props {
		b := rsp[19+8*i:]
		props[i] = [2]uint32{binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])}
	}
	return props
}

// directConn starts swtpm with a data socket on a copy of state, sends CMD_INIT and connects.
func directConn(t *testing.T, state string, tpm2 bool) *tpmConn {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, state, dir)
	p := startSwtpm(t, swtpmConfig{state: dir, tpm2: tpm2, data: "unix"})
	if rc, err := p.control(ctrlInit, []byte{0, 0, 0, 0}); err != nil || rc != 0 {
		t.Fatalf("swtpm directly: CMD_INIT: result %#x, %v", rc, err)
	}
	c, err := p.dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// capData returns the TPM 1.2 GetCapability response's data (after the uint32 size), at least min
// bytes.
func capData(t *testing.T, what string, rsp []byte, min int) []byte {
	t.Helper()
	if len(rsp) < 14 {
		t.Fatalf("GetCapability(%s): response too short: % x", what, rsp)
	}
	n := int(binary.BigEndian.Uint32(rsp[10:14]))
	if n < min || len(rsp) != 14+n {
		t.Fatalf("GetCapability(%s): %d data bytes in a %d-byte response, want at least %d: % x", what, n, len(rsp), min, rsp)
	}
	return rsp[14:]
}

func bools(b []byte) []bool {
	out := make([]bool, len(b))
	for i, v := range b {
		out[i] = v != 0
	}
	return out
}

func trimNUL(s string) string {
	for len(s) > 0 && (s[len(s)-1] == 0 || s[len(s)-1] == ' ') {
		s = s[:len(s)-1]
	}
	return s
}
