package tisdev

import (
	"errors"
	"testing"
)

// fuzzRegs are the offsets the fuzzer aims at; the low bits of the address
// byte pick one, the rest the byte within it.
var fuzzRegs = []uint16{RegAccess, RegIntEnable, RegIntVector, RegIntStatus, RegIntfCapability,
	RegSts, RegDataFIFO, RegInterfaceID, RegXDataFIFO, RegDIDVID, RegRID, 0x004}

// sizeDeltas are the Faults.SizeDelta values the fuzzer picks from: a
// truthful response size most of the time, lies of a few bytes otherwise.
var sizeDeltas = [16]int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -6, -2, -1, 1, 2, 6}

// fuzzSetup decodes the fuzzer's two setup bytes, each setting from bits of
// its own: personality (bits 0-1), engine behaviour (2-4), ExecAccesses
// (5-6), BurstCount (7-8), StaticBurst (9), ReadyAccesses (10),
// HangOnEngineError (11) and SizeDelta (12-15).
func fuzzSetup(setup uint16) (Personality, *cannedEngine) {
	names := PersonalityNames()
	p, _ := PersonalityByName(names[int(setup&3)%len(names)])
	p.Timing.ExecAccesses = int(setup >> 5 & 3)
	p.Timing.BurstCount = int(setup>>7&3) * 8
	p.Timing.StaticBurst = setup>>9&1 != 0
	p.Timing.ReadyAccesses = int(setup>>10&1) * 2
	p.Faults.HangOnEngineError = setup>>11&1 != 0
	p.Faults.SizeDelta = sizeDeltas[setup>>12]
	e := &cannedEngine{rsp: timeoutsRsp}
	switch setup >> 2 & 7 {
	case 1:
		e.err = errors.New("engine down")
	case 2:
		e.rsp = nil
	case 3:
		e.panicMsg = "engine bug"
	}
	return p, e
}

// FuzzDevice runs random sequences of Read, Write and Reset against every
// personality with a random setup, and checks that nothing panics and that
// the device stays consistent: at most one active locality, STS bits that
// must read 0 do, and FIFO state, flags and offsets agree.
func FuzzDevice(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0x00, 0x02, 1, 0x05, 0x40, 1, 0x06, 0x00, 0, 0x05, 0})
	f.Add([]byte{0x83, 0xE5, 1, 0x00, 0x02, 1, 0x20, 0x08, 1, 0x00, 0x20, 2, 0, 0, 1, 0x30, 0x02})
	f.Add([]byte{0x21, 0x04, 1, 0x00, 0x02, 1, 0x05, 0x40,
		1, 0x06, 0x00, 1, 0x06, 0xC1, 1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x0A,
		1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x99, 1, 0x05, 0x20, 0, 0x06, 0, 0, 0x06, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		d := New(fuzzSetup(uint16(data[0]) | uint16(data[1])<<8))
		for ops := data[2:]; len(ops) >= 3; ops = ops[3:] {
			loc := uint16(ops[1]>>5) % 6
			addr := loc<<12 | fuzzRegs[int(ops[1]&0x1F)%len(fuzzRegs)] + uint16(ops[1]>>4&1)*uint16(ops[2]&3)
			switch ops[0] % 8 {
			case 0, 1, 2:
				d.Read(addr)
			case 7:
				if ops[2] == 0xFF {
					d.Reset()
					break
				}
				fallthrough
			default:
				d.Write(addr, ops[2])
			}
			checkInvariants(t, d)
		}
	})
}

// TestFuzzSetup checks that the fuzzer's setup reaches every combination of
// its settings (no two share bits) and runs with a truthful response size
// in most setups.
func TestFuzzSetup(t *testing.T) {
	type settings struct {
		name                  string
		exec, burst, ready    int
		static, hang          bool
		delta                 int32
		engErr, engNil, panic bool
	}
	seen := map[settings]bool{}
	values := map[string]map[any]bool{}
	note := func(field string, v any) {
		if values[field] == nil {
			values[field] = map[any]bool{}
		}
		values[field][v] = true
	}
	truthful := 0
	for setup := range 1 << 16 {
		p, e := fuzzSetup(uint16(setup))
		s := settings{p.Name, p.Timing.ExecAccesses, p.Timing.BurstCount, p.Timing.ReadyAccesses,
			p.Timing.StaticBurst, p.Faults.HangOnEngineError, p.Faults.SizeDelta,
			e.err != nil, e.rsp == nil, e.panicMsg != ""}
		seen[s] = true
		note("personality", s.name)
		note("exec", s.exec)
		note("burst", s.burst)
		note("ready", s.ready)
		note("static", s.static)
		note("hang", s.hang)
		note("delta", s.delta)
		note("engine", [3]bool{s.engErr, s.engNil, s.panic})
		if s.delta == 0 {
			truthful++
		}
	}
	combos := 1
	for _, v := range values {
		combos *= len(v)
	}
	if len(seen) != combos {
		t.Errorf("setups reach %d combinations of the settings, want all %d (settings share bits)", len(seen), combos)
	}
	if len(values["personality"]) != len(PersonalityNames()) {
		t.Errorf("setups reach %d personalities, want %d", len(values["personality"]), len(PersonalityNames()))
	}
	if len(values["exec"]) < 2 || len(values["ready"]) < 2 || len(values["engine"]) < 4 {
		t.Errorf("settings barely vary: %v", values)
	}
	if truthful <= 1<<15 {
		t.Errorf("SizeDelta is 0 in %d of %d setups, want most", truthful, 1<<16)
	}
}

func checkInvariants(t *testing.T, d *Device) {
	t.Helper()
	active := -1
	for l := range Localities {
		if d.readAccess(l)&AccessActiveLocality != 0 {
			if active != -1 {
				t.Fatalf("localities %d and %d both active", active, l)
			}
			active = l
		}
	}
	if active != d.ActiveLocality() {
		t.Fatalf("ACCESS shows locality %d active, ActiveLocality() = %d", active, d.ActiveLocality())
	}
	if active == -1 && d.State() != StateIdle {
		t.Fatalf("no active locality but FIFO in %v", d.State())
	}
	if d.readying && d.State() != StateIdle {
		t.Fatalf("commandReady pending in %v", d.State())
	}
	s := d.status()
	if s&0x23 != 0 {
		t.Fatalf("STS = %#x has read-as-zero bits 0x23 set", s)
	}
	if s&StsDataAvail != 0 && d.State() != StateCompletion {
		t.Fatalf("dataAvail in %v", d.State())
	}
	if s&StsExpect != 0 && d.State() != StateReception {
		t.Fatalf("Expect in %v", d.State())
	}
	if d.wrOff > BufferSize || d.rspLen > BufferSize || d.rdOff > d.rspLen {
		t.Fatalf("offsets out of range: wrOff %d rdOff %d rspLen %d", d.wrOff, d.rdOff, d.rspLen)
	}
	if b := int(s >> 8 & 0xFFFF); b > BufferSize {
		t.Fatalf("burstCount %d exceeds the buffer", b)
	}
}
