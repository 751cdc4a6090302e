package tisdev

import (
	"errors"
	"testing"
)

// fuzzRegs are the offsets the fuzzer aims at; the low bits of the address
// byte pick one, the rest the byte within it.
var fuzzRegs = []uint16{RegAccess, RegIntEnable, RegIntVector, RegIntStatus, RegIntfCapability,
	RegSts, RegDataFIFO, RegInterfaceID, RegXDataFIFO, RegDIDVID, RegRID, 0x004}

// FuzzDevice runs random sequences of Read, Write and Reset against every
// personality with a random setup, and checks that nothing panics and that
// the device stays consistent: at most one active locality, STS bits that
// must read 0 do, and FIFO state, flags and offsets agree.
func FuzzDevice(f *testing.F) {
	f.Add([]byte{0, 1, 0x00, 0x02, 1, 0x05, 0x40, 1, 0x06, 0x00, 0, 0x05, 0})
	f.Add([]byte{3, 1, 0x00, 0x02, 1, 0x20, 0x08, 1, 0x00, 0x20, 2, 0, 0, 1, 0x30, 0x02})
	f.Add([]byte{5, 1, 0x00, 0x02, 1, 0x05, 0x40,
		1, 0x06, 0x00, 1, 0x06, 0xC1, 1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x0A,
		1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x00, 1, 0x06, 0x99, 1, 0x05, 0x20, 0, 0x06, 0, 0, 0x06, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		setup := data[0]
		names := PersonalityNames()
		p, _ := PersonalityByName(names[int(setup)%len(names)])
		p.Timing.ExecAccesses = int(setup>>2) & 3
		p.Timing.BurstCount = int(setup>>4) & 3 * 8
		p.Timing.StaticBurst = setup&0x40 != 0
		p.Timing.ReadyAccesses = int(setup>>3) & 1 * 2
		p.Faults.HangOnEngineError = setup&0x80 != 0
		p.Faults.SizeDelta = int32(setup&0x0C) - 6
		e := &cannedEngine{rsp: timeoutsRsp}
		switch setup % 5 {
		case 1:
			e.err = errors.New("engine down")
		case 2:
			e.rsp = nil
		case 3:
			e.panicMsg = "engine bug"
		}
		d := New(p, e)
		for ops := data[1:]; len(ops) >= 3; ops = ops[3:] {
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
