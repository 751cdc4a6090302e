package tisdev

import (
	"encoding/binary"
	"testing"
)

// cannedEngine is the engine fixture behind the FIFO in these tests: it
// answers every command with the same well-formed response (or error) and
// remembers what it was sent.
type cannedEngine struct {
	rsp      []byte
	err      error
	panicMsg string
	calls    int
	resets   int
	locality int
	cmd      []byte
}

func (e *cannedEngine) Execute(locality int, cmd []byte) ([]byte, error) {
	if e.panicMsg != "" {
		panic(e.panicMsg)
	}
	e.calls++
	e.locality = locality
	e.cmd = append(e.cmd[:0], cmd...)
	return e.rsp, e.err
}

func (e *cannedEngine) Reset() error {
	e.resets++
	return nil
}

// getCapTimeouts is TPM_GetCapability(TPM_CAP_PROPERTY, TPM_CAP_PROP_TIS_TIMEOUT),
// the first command Linux sends to a TPM 1.2.
var getCapTimeouts = []byte{
	0x00, 0xC1, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x65,
	0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x01, 0x15,
}

// timeoutsRsp is a successful answer to getCapTimeouts: four UINT32 timeouts
// in microseconds (750 ms, 2 s, 750 ms, 750 ms).
var timeoutsRsp = []byte{
	0x00, 0xC4, 0x00, 0x00, 0x00, 0x1E, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x10,
	0x00, 0x0B, 0x71, 0xB0, 0x00, 0x1E, 0x84, 0x80, 0x00, 0x0B, 0x71, 0xB0, 0x00, 0x0B, 0x71, 0xB0,
}

func newTestDevice(p Personality) (*Device, *cannedEngine) {
	e := &cannedEngine{rsp: timeoutsRsp}
	return New(p, e), e
}

func reg(l int, off uint16) uint16 { return uint16(l)<<12 | off }

// read32 reads a 32-bit register as the host bridge does: four byte cycles,
// ascending.
func read32(d *Device, addr uint16) uint32 {
	var b [4]byte
	for i := range b {
		b[i] = d.Read(addr + uint16(i))
	}
	return binary.LittleEndian.Uint32(b[:])
}

func write32(d *Device, addr uint16, v uint32) {
	for i := range 4 {
		d.Write(addr+uint16(i), uint8(v>>(8*i)))
	}
}

func access(d *Device, l int) uint8 { return d.Read(reg(l, RegAccess)) }

func sts(d *Device, l int) uint8 { return d.Read(reg(l, RegSts)) }

func burst(d *Device, l int) int {
	return int(d.Read(reg(l, RegSts+1))) | int(d.Read(reg(l, RegSts+2)))<<8
}

func wantAccess(t *testing.T, d *Device, l int, want uint8) {
	t.Helper()
	if got := access(d, l); got != want {
		t.Fatalf("ACCESS_%d = %#02x, want %#02x", l, got, want)
	}
}

func wantSts(t *testing.T, d *Device, l int, want uint8) {
	t.Helper()
	if got := sts(d, l); got != want {
		t.Fatalf("STS_%d = %#02x, want %#02x (state %v)", l, got, want, d.State())
	}
}

// request makes locality l active and checks that it is.
func request(t *testing.T, d *Device, l int) {
	t.Helper()
	d.Write(reg(l, RegAccess), AccessRequestUse)
	if a := access(d, l); a&(AccessActiveLocality|AccessValid|AccessRequestUse) != AccessActiveLocality|AccessValid {
		t.Fatalf("locality %d not granted: ACCESS = %#02x", l, a)
	}
}

// sendCommand moves cmd into the FIFO of locality l byte by byte, checking
// Expect and stsValid after each byte, and writes tpmGo.
func sendCommand(t *testing.T, d *Device, l int, cmd []byte) {
	t.Helper()
	d.Write(reg(l, RegSts), StsCommandReady)
	wantSts(t, d, l, StsCommandReady)
	for i, b := range cmd {
		d.Write(reg(l, RegDataFIFO), b)
		want := uint8(StsValid | StsExpect)
		if i == len(cmd)-1 {
			want = StsValid
		}
		if got := sts(d, l) &^ StsSelfTestDone; got != want {
			t.Fatalf("after command byte %d of %d: STS = %#02x, want %#02x", i+1, len(cmd), got, want)
		}
	}
	d.Write(reg(l, RegSts), StsGo)
}

// readResponse polls STS until dataAvail (at most polls reads), then reads
// the response byte by byte within burstCount.
func readResponse(t *testing.T, d *Device, l, polls int) []byte {
	t.Helper()
	for i := 0; sts(d, l)&(StsValid|StsDataAvail) != StsValid|StsDataAvail; i++ {
		if i == polls {
			t.Fatalf("no dataAvail after %d STS polls (state %v)", polls, d.State())
		}
	}
	var rsp []byte
	for sts(d, l)&StsDataAvail != 0 {
		n := burst(d, l)
		if n == 0 {
			t.Fatalf("dataAvail with burstCount 0 after %d bytes", len(rsp))
		}
		for range n {
			rsp = append(rsp, d.Read(reg(l, RegDataFIFO)))
		}
	}
	return rsp
}
