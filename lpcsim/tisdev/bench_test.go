package tisdev

import "testing"

// staticEngine answers every command with the same bytes without
// allocating, so benchmarks measure the device.
type staticEngine []byte

func (e staticEngine) Execute(int, []byte) ([]byte, error) { return e, nil }
func (staticEngine) Reset() error                          { return nil }

// roundTrip drives one command and its response through locality 0 the way
// a polling driver does, byte cycle by byte cycle, and returns the number of
// device accesses it made.
func roundTrip(d *Device, cmd []byte, rspLen int) int {
	n := 0
	rd := func(addr uint16) uint8 { n++; return d.Read(addr) }
	wr := func(addr uint16, v uint8) { n++; d.Write(addr, v) }
	wr(RegAccess, AccessRequestUse)
	for rd(RegAccess)&AccessActiveLocality == 0 {
	}
	wr(RegSts, StsCommandReady)
	for rd(RegSts)&StsCommandReady == 0 {
	}
	for i := 0; i < len(cmd); {
		burst := int(rd(RegSts+1)) | int(rd(RegSts+2))<<8
		for ; burst > 0 && i < len(cmd); burst-- {
			wr(RegDataFIFO, cmd[i])
			i++
		}
	}
	wr(RegSts, StsGo)
	for rd(RegSts)&(StsValid|StsDataAvail) != StsValid|StsDataAvail {
	}
	for got := 0; got < rspLen; {
		burst := int(rd(RegSts+1)) | int(rd(RegSts+2))<<8
		for ; burst > 0 && got < rspLen; burst-- {
			rd(RegDataFIFO)
			got++
		}
	}
	wr(RegSts, StsCommandReady)
	wr(RegAccess, AccessActiveLocality)
	return n
}

// BenchmarkRoundTrip measures a GetCapability-sized command/response round
// trip through the FIFO with a 16-byte burstCount and a command that takes
// 20 STS polls, reporting device accesses per second (one access is one LPC
// TPM cycle).
func BenchmarkRoundTrip(b *testing.B) {
	p := SLB9635()
	p.Timing.BurstCount = 16
	p.Timing.ExecAccesses = 20
	d := New(p, staticEngine(timeoutsRsp))
	b.ReportAllocs()
	accesses := 0
	for b.Loop() {
		accesses += roundTrip(d, getCapTimeouts, len(timeoutsRsp))
	}
	b.ReportMetric(float64(accesses)/b.Elapsed().Seconds(), "accesses/s")
}
