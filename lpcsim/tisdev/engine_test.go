package tisdev

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/engine/tpm20"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// probeStep is one command of a bring-up sequence and what must come back:
// the whole response, or only its size and return code when the content is
// the engine's own.
type probeStep struct {
	name, cmd, rsp string
	size           int
	rc             uint32
	selfTestDone   bool
}

// TestEngineProbe runs the bring-up sequences Linux uses through the FIFO
// against the built-in engines in their factory state, with commands that
// take a few STS polls and a small burstCount. TPM 1.2: GetCapability
// before Startup fails with TPM_INVALID_POSTINIT, Startup succeeds once,
// PCRRead answers TPM_DISABLED. TPM 2.0: SelfTest before Startup answers
// TPM_RC_INITIALIZE, then Startup and SelfTest succeed and selfTestDone
// appears. After LRESET# the first command fails again as before Startup.
func TestEngineProbe(t *testing.T) {
	const (
		getCapTimeout = "00C1 00000016 00000065 00000005 00000004 00000115"
		startup12     = "00C1 0000000C 00000099 0001"
		postInit12    = "00C4 0000000A 00000026"
		selfTest20    = "8001 0000000B 00000143 01"
		init20        = "8001 0000000A 00000100"
		ok20          = "8001 0000000A 00000000"
	)
	tests := []struct {
		name   string
		p      Personality
		engine Engine
		steps  []probeStep
	}{
		{"tpm12 on slb9635", SLB9635(), tpm12.New(), []probeStep{
			{name: "GetCapability(TIS_TIMEOUT) before Startup", cmd: getCapTimeout, rsp: postInit12},
			{name: "Startup(ST_CLEAR)", cmd: startup12, rsp: "00C4 0000000A 00000000"},
			{name: "GetCapability(TIS_TIMEOUT)", cmd: getCapTimeout, size: 30},
			{name: "ContinueSelfTest", cmd: "00C1 0000000A 00000053", rsp: "00C4 0000000A 00000000"},
			{name: "PCRRead(0)", cmd: "00C1 0000000E 00000015 00000000", rsp: "00C4 0000000A 00000007"},
			{name: "second Startup", cmd: startup12, rsp: postInit12},
		}},
		{"tpm20 on slb9665", SLB9665(), tpm20.New(), []probeStep{
			{name: "SelfTest before Startup", cmd: selfTest20, rsp: init20},
			{name: "Startup(SU_CLEAR)", cmd: "8001 0000000C 00000144 0000", rsp: ok20},
			{name: "SelfTest", cmd: selfTest20, rsp: ok20, selfTestDone: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Timing.ExecAccesses = 3
			p.Timing.BurstCount = 8
			d := New(p, tt.engine)
			for _, s := range tt.steps {
				rsp := transact(t, d, unhex(t, s.cmd))
				if s.rsp != "" {
					if want := unhex(t, s.rsp); !bytes.Equal(rsp, want) {
						t.Fatalf("%s: response % x, want % x", s.name, rsp, want)
					}
				} else if len(rsp) != s.size || be32(rsp[2:]) != uint32(s.size) || be32(rsp[6:]) != s.rc {
					t.Fatalf("%s: response % x, want %d bytes with return code %#x", s.name, rsp, s.size, s.rc)
				}
				request(t, d, 0)
				if got := sts(d, 0)&StsSelfTestDone != 0; got != s.selfTestDone {
					t.Errorf("%s: selfTestDone = %v, want %v", s.name, got, s.selfTestDone)
				}
				d.Write(reg(0, RegAccess), AccessActiveLocality)
			}
			d.Reset()
			first := tt.steps[0]
			if rsp, want := transact(t, d, unhex(t, first.cmd)), unhex(t, first.rsp); !bytes.Equal(rsp, want) {
				t.Fatalf("%s after LRESET#: response % x, want % x", first.name, rsp, want)
			}
		})
	}
}

// transact sends one command at locality 0 the way a polling driver does and
// returns the response, releasing the buffer and the locality afterwards.
func transact(t *testing.T, d *Device, cmd []byte) []byte {
	t.Helper()
	request(t, d, 0)
	sendCommand(t, d, 0, cmd)
	rsp := readResponse(t, d, 0, d.Personality().Timing.ExecAccesses)
	d.Write(reg(0, RegSts), StsCommandReady)
	d.Write(reg(0, RegAccess), AccessActiveLocality)
	if err := d.Err(); err != nil {
		t.Fatalf("command % x: %v", cmd, err)
	}
	return rsp
}

// BenchmarkRoundTripTPM12 is BenchmarkRoundTrip with the built-in TPM 1.2
// engine answering GetCapability(TIS_TIMEOUT) after Startup.
func BenchmarkRoundTripTPM12(b *testing.B) {
	p := SLB9635()
	p.Timing.BurstCount = 16
	p.Timing.ExecAccesses = 20
	d := New(p, tpm12.New())
	startup := []byte{0x00, 0xC1, 0, 0, 0, 0x0C, 0, 0, 0, 0x99, 0, 1}
	roundTrip(d, startup, 10)
	accesses := 0
	for b.Loop() {
		accesses += roundTrip(d, getCapTimeouts, len(timeoutsRsp))
	}
	if d.Err() != nil {
		b.Fatal(d.Err())
	}
	b.ReportMetric(float64(accesses)/b.Elapsed().Seconds(), "accesses/s")
}
