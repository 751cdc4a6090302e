package tisdev

import (
	"bytes"
	"errors"
	"testing"
)

// TestTransmit moves a command and its response through the FIFO byte by
// byte and checks STS and burstCount at every step (QEMU qtest
// check_transmit).
func TestTransmit(t *testing.T) {
	for _, p := range []Personality{SLB9635(), SLB9665(), QEMU(Family12)} {
		t.Run(p.Name, func(t *testing.T) {
			d, e := newTestDevice(p)
			request(t, d, 0)
			wantSts(t, d, 0, 0)
			if n := burst(d, 0); n < 128 {
				t.Errorf("burstCount in IDLE = %d, want >= 128", n)
			}
			d.Write(reg(0, RegSts), StsCommandReady)
			wantSts(t, d, 0, StsCommandReady)
			if n := burst(d, 0); n != BufferSize {
				t.Errorf("burstCount in READY = %d, want %d", n, BufferSize)
			}
			for i, b := range getCapTimeouts {
				d.Write(reg(0, RegDataFIFO), b)
				if n := burst(d, 0); n != BufferSize-i-1 {
					t.Fatalf("burstCount after %d bytes = %d, want %d", i+1, n, BufferSize-i-1)
				}
			}
			wantSts(t, d, 0, StsValid)
			if e.calls != 0 {
				t.Fatal("engine ran before tpmGo")
			}
			d.Write(reg(0, RegSts), StsGo)
			if e.calls != 1 || !bytes.Equal(e.cmd, getCapTimeouts) || e.locality != 0 {
				t.Fatalf("engine got %d calls, last % x at locality %d; want one call with % x at 0",
					e.calls, e.cmd, e.locality, getCapTimeouts)
			}
			wantSts(t, d, 0, StsValid|StsDataAvail)
			for i := range timeoutsRsp {
				if n := burst(d, 0); n != len(timeoutsRsp)-i {
					t.Fatalf("burstCount before response byte %d = %d, want %d", i, n, len(timeoutsRsp)-i)
				}
				if got := d.Read(reg(0, RegDataFIFO)); got != timeoutsRsp[i] {
					t.Fatalf("response byte %d = %#02x, want %#02x", i, got, timeoutsRsp[i])
				}
				want := uint8(StsValid | StsDataAvail)
				if i == len(timeoutsRsp)-1 {
					want = StsValid
				}
				wantSts(t, d, 0, want)
			}
			if got := d.Read(reg(0, RegDataFIFO)); got != 0xFF {
				t.Errorf("FIFO read after the response = %#02x, want 0xff", got)
			}
			d.Write(reg(0, RegSts), StsCommandReady)
			wantSts(t, d, 0, StsCommandReady)
			d.Write(reg(0, RegAccess), AccessActiveLocality)
			wantAccess(t, d, 0, idle)
		})
	}
}

// TestTransmitLocality checks that a command sent at locality 2 reaches the
// engine with locality 2.
func TestTransmitLocality(t *testing.T) {
	d, e := newTestDevice(SLB9635())
	request(t, d, 2)
	sendCommand(t, d, 2, getCapTimeouts)
	if got := readResponse(t, d, 2, 0); !bytes.Equal(got, timeoutsRsp) {
		t.Fatalf("response % x, want % x", got, timeoutsRsp)
	}
	if e.locality != 2 {
		t.Errorf("engine saw locality %d, want 2", e.locality)
	}
}

// TestExecAccesses checks that a command takes exactly ExecAccesses
// accesses: until then STS reads stsValid without dataAvail.
func TestExecAccesses(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100} {
		p := SLB9635()
		p.Timing.ExecAccesses = n
		d, _ := newTestDevice(p)
		request(t, d, 0)
		sendCommand(t, d, 0, getCapTimeouts)
		for i := range n {
			if got := sts(d, 0); got != StsValid {
				t.Fatalf("ExecAccesses %d: STS poll %d = %#02x, want %#02x (executing)", n, i+1, got, StsValid)
			}
		}
		if got := sts(d, 0); got != StsValid|StsDataAvail {
			t.Fatalf("ExecAccesses %d: STS poll %d = %#02x, want %#02x", n, n+1, got, StsValid|StsDataAvail)
		}
	}
}

// TestReadyAccesses checks that commandReady takes exactly ReadyAccesses
// accesses, during which the FIFO drops command bytes.
func TestReadyAccesses(t *testing.T) {
	for _, n := range []int{1, 5} {
		p := SLB9635()
		p.Timing.ReadyAccesses = n
		d, _ := newTestDevice(p)
		request(t, d, 0)
		d.Write(reg(0, RegSts), StsCommandReady)
		for i := range n {
			if got := sts(d, 0); got != 0 {
				t.Fatalf("ReadyAccesses %d: STS poll %d = %#02x, want 0 (not ready yet)", n, i+1, got)
			}
		}
		wantSts(t, d, 0, StsCommandReady)
		sendCommand(t, d, 0, getCapTimeouts) // commandReady again in READY: at once
		if got := readResponse(t, d, 0, 0); !bytes.Equal(got, timeoutsRsp) {
			t.Fatalf("ReadyAccesses %d: response % x, want % x", n, got, timeoutsRsp)
		}
	}
}

// TestFIFOWriteStates checks where command bytes are dropped and that tpmGo
// is ignored while Expect = 1.
func TestFIFOWriteStates(t *testing.T) {
	d, e := newTestDevice(SLB9635())
	request(t, d, 0)
	d.Write(reg(0, RegDataFIFO), 0x00) // IDLE: dropped
	wantSts(t, d, 0, 0)
	if d.State() != StateIdle {
		t.Fatalf("state %v after a FIFO write in IDLE, want IDLE", d.State())
	}
	d.Write(reg(0, RegSts), StsCommandReady)
	for _, b := range getCapTimeouts[:len(getCapTimeouts)-1] {
		d.Write(reg(0, RegDataFIFO), b)
	}
	d.Write(reg(0, RegSts), StsGo) // Expect = 1: ignored
	if e.calls != 0 || d.State() != StateReception {
		t.Fatalf("tpmGo with Expect=1: %d engine calls, state %v; want 0, RECEPTION", e.calls, d.State())
	}
	d.Write(reg(0, RegDataFIFO), getCapTimeouts[len(getCapTimeouts)-1])
	d.Write(reg(0, RegDataFIFO), 0xAA) // past paramSize: dropped
	d.Write(reg(0, RegSts), StsGo)
	if !bytes.Equal(e.cmd, getCapTimeouts) {
		t.Fatalf("engine got % x, want % x", e.cmd, getCapTimeouts)
	}
	d.Write(reg(0, RegDataFIFO), 0xAA) // COMPLETION: dropped
	if got := readResponse(t, d, 0, 0); !bytes.Equal(got, timeoutsRsp) {
		t.Fatalf("response % x, want % x", got, timeoutsRsp)
	}
}

// TestFIFOAliases checks that 0x24-0x27 all reach the FIFO, and that the
// XDATA_FIFO (0x80-0xBF) exists on TIS 1.3 parts only.
func TestFIFOAliases(t *testing.T) {
	tests := []struct {
		p     Personality
		addrs []uint16
		xfifo bool
	}{
		{SLB9635(), []uint16{0x24, 0x25, 0x26, 0x27}, false},
		{SLB9665(), []uint16{0x24, 0x27, 0x80, 0xBF}, true},
	}
	for _, tt := range tests {
		t.Run(tt.p.Name, func(t *testing.T) {
			d, e := newTestDevice(tt.p)
			request(t, d, 0)
			d.Write(reg(0, RegSts), StsCommandReady)
			for i, b := range getCapTimeouts {
				d.Write(reg(0, tt.addrs[i%len(tt.addrs)]), b)
			}
			d.Write(reg(0, RegSts), StsGo)
			if !bytes.Equal(e.cmd, getCapTimeouts) {
				t.Fatalf("engine got % x, want % x", e.cmd, getCapTimeouts)
			}
			for i, want := range timeoutsRsp {
				if got := d.Read(reg(0, tt.addrs[i%len(tt.addrs)])); got != want {
					t.Fatalf("response byte %d via %#x = %#02x, want %#02x", i, tt.addrs[i%len(tt.addrs)], got, want)
				}
			}
			d.Write(reg(0, RegSts), StsCommandReady)
			d.Write(reg(0, RegXDataFIFO), 0x00)
			if got := d.State() == StateReception; got != tt.xfifo {
				t.Errorf("write to 0x80 started a command: %v, want %v", got, tt.xfifo)
			}
		})
	}
}

// TestResponseRetry checks that responseRetry rewinds the response.
func TestResponseRetry(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	request(t, d, 0)
	sendCommand(t, d, 0, getCapTimeouts)
	for range 12 {
		d.Read(reg(0, RegDataFIFO))
	}
	d.Write(reg(0, RegSts), StsResponseRetry)
	if got := readResponse(t, d, 0, 0); !bytes.Equal(got, timeoutsRsp) {
		t.Fatalf("response after retry % x, want % x", got, timeoutsRsp)
	}
	d.Write(reg(0, RegSts), StsResponseRetry)
	if got := readResponse(t, d, 0, 0); !bytes.Equal(got, timeoutsRsp) {
		t.Fatalf("second retry after the whole response: % x, want % x", got, timeoutsRsp)
	}
}

// TestCommandReadyAborts checks that commandReady aborts a command being
// received or executed and releases a response, returning to READY with an
// empty buffer.
func TestCommandReadyAborts(t *testing.T) {
	tests := []struct {
		name  string
		setup func(d *Device)
	}{
		{"reception", func(d *Device) {
			d.Write(reg(0, RegSts), StsCommandReady)
			for _, b := range getCapTimeouts[:8] {
				d.Write(reg(0, RegDataFIFO), b)
			}
		}},
		{"execution", func(d *Device) {
			d.Write(reg(0, RegSts), StsCommandReady)
			for _, b := range getCapTimeouts {
				d.Write(reg(0, RegDataFIFO), b)
			}
			d.Write(reg(0, RegSts), StsGo)
		}},
		{"completion", func(d *Device) {
			d.Write(reg(0, RegSts), StsCommandReady)
			for _, b := range getCapTimeouts {
				d.Write(reg(0, RegDataFIFO), b)
			}
			d.Write(reg(0, RegSts), StsGo)
			d.Read(reg(0, RegDataFIFO))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := SLB9635()
			p.Timing.ExecAccesses = 1000
			d, _ := newTestDevice(p)
			request(t, d, 0)
			tt.setup(d)
			d.Write(reg(0, RegSts), StsCommandReady)
			if d.State() != StateReady {
				t.Fatalf("state %v after commandReady, want READY", d.State())
			}
			wantSts(t, d, 0, StsCommandReady)
			if n := burst(d, 0); n != BufferSize {
				t.Errorf("burstCount %d after abort, want %d (empty buffer)", n, BufferSize)
			}
			if got := d.Read(reg(0, RegDataFIFO)); got != 0xFF {
				t.Errorf("FIFO read after abort = %#02x, want 0xff", got)
			}
			// The FIFO takes a new command afterwards.
			for _, b := range getCapTimeouts {
				d.Write(reg(0, RegDataFIFO), b)
			}
			wantSts(t, d, 0, StsValid)
		})
	}
}

// TestFIFOReadOutsideCompletion checks that FIFO reads in every state but
// COMPLETION return 0xFF and do not disturb the state.
func TestFIFOReadOutsideCompletion(t *testing.T) {
	p := SLB9635()
	p.Timing.ExecAccesses = 50
	d, _ := newTestDevice(p)
	request(t, d, 0)
	check := func(want State) {
		t.Helper()
		if got := d.Read(reg(0, RegDataFIFO)); got != 0xFF || d.State() != want {
			t.Fatalf("FIFO read in %v = %#02x, state after %v; want 0xff, %v", want, got, d.State(), want)
		}
	}
	check(StateIdle)
	d.Write(reg(0, RegSts), StsCommandReady)
	check(StateReady)
	d.Write(reg(0, RegDataFIFO), getCapTimeouts[0])
	check(StateReception)
	for _, b := range getCapTimeouts[1:] {
		d.Write(reg(0, RegDataFIFO), b)
	}
	d.Write(reg(0, RegSts), StsGo)
	check(StateExecution)
}

// TestBufferOverflow checks that a command whose paramSize exceeds the
// buffer stops Expect once the buffer is full.
func TestBufferOverflow(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	request(t, d, 0)
	d.Write(reg(0, RegSts), StsCommandReady)
	hdr := []byte{0x00, 0xC1, 0x00, 0x01, 0x00, 0x00} // paramSize 65536
	for i := range BufferSize {
		var b byte
		if i < len(hdr) {
			b = hdr[i]
		}
		d.Write(reg(0, RegDataFIFO), b)
	}
	wantSts(t, d, 0, StsValid|StsExpect)
	if n := burst(d, 0); n != 0 {
		t.Errorf("burstCount with a full buffer = %d, want 0", n)
	}
	d.Write(reg(0, RegDataFIFO), 0)
	wantSts(t, d, 0, StsValid)
}

// TestBurstCount checks the burstCount models: dynamic, capped, static, and
// the stuck-at-0 fault.
func TestBurstCount(t *testing.T) {
	tests := []struct {
		name             string
		cap              int
		static, zero     bool
		ready, lastBytes int // burstCount in READY, and with 5 response bytes left
		capStatic        bool
	}{
		{"dynamic", 0, false, false, BufferSize, 5, false},
		{"capped", 16, false, false, 16, 5, false},
		{"static", 16, true, false, 16, 16, true},
		{"stuck at 0", 16, false, true, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := SLB9635()
			p.Timing.BurstCount = tt.cap
			p.Timing.StaticBurst = tt.static
			p.Faults.BurstZero = tt.zero
			d, _ := newTestDevice(p)
			if got := read32(d, RegIntfCapability)&CapBurstCountStatic != 0; got != tt.capStatic {
				t.Errorf("INTF_CAPABILITY.BurstCountStatic = %v, want %v", got, tt.capStatic)
			}
			request(t, d, 0)
			d.Write(reg(0, RegSts), StsCommandReady)
			if n := burst(d, 0); n != tt.ready {
				t.Errorf("burstCount in READY = %d, want %d", n, tt.ready)
			}
			for _, b := range getCapTimeouts {
				d.Write(reg(0, RegDataFIFO), b)
			}
			d.Write(reg(0, RegSts), StsGo)
			for range len(timeoutsRsp) - 5 {
				d.Read(reg(0, RegDataFIFO))
			}
			if n := burst(d, 0); n != tt.lastBytes {
				t.Errorf("burstCount with 5 bytes left = %d, want %d", n, tt.lastBytes)
			}
		})
	}
}

// TestSts32 reads STS as one 32-bit register (four byte cycles) the way
// drivers compute burstCount from it.
func TestSts32(t *testing.T) {
	d, _ := newTestDevice(SLB9665())
	request(t, d, 0)
	sendCommand(t, d, 0, getCapTimeouts)
	want := uint32(StsValid|StsDataAvail) | uint32(len(timeoutsRsp))<<8 | Sts3Family20<<24
	if got := read32(d, reg(0, RegSts)); got != want {
		t.Errorf("STS = %#08x, want %#08x", got, want)
	}
	if got := read32(d, reg(0, RegSts)) & 0x23; got != 0 {
		t.Errorf("STS bits 0x23 (read as zero) = %#x", got)
	}
}

// TestEngineFailure checks that a failing engine leaves the device in a
// clean state: a TPM failure response of the right family, or a hang that
// commandReady ends, and Err naming what failed.
func TestEngineFailure(t *testing.T) {
	rsp12 := []byte{0x00, 0xC4, 0, 0, 0, 10, 0, 0, 0, 0x09}
	rsp20 := []byte{0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01}
	tests := []struct {
		name   string
		p      Personality
		engine *cannedEngine
		nilEng bool
		hang   bool
		want   []byte
	}{
		{"error 1.2", SLB9635(), &cannedEngine{err: errors.New("socket closed")}, false, false, rsp12},
		{"error 2.0", SLB9665(), &cannedEngine{err: errors.New("socket closed")}, false, false, rsp20},
		{"empty response", SLB9635(), &cannedEngine{}, false, false, rsp12},
		{"oversized response", SLB9635(), &cannedEngine{rsp: make([]byte, BufferSize+1)}, false, false, rsp12},
		{"panic", SLB9635(), &cannedEngine{panicMsg: "boom"}, false, false, rsp12},
		{"no engine", SLB9635(), nil, true, false, rsp12},
		{"hang", SLB9635(), &cannedEngine{err: errors.New("socket closed")}, false, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.Faults.HangOnEngineError = tt.hang
			var d *Device
			if tt.nilEng {
				d = New(tt.p, nil)
			} else {
				d = New(tt.p, tt.engine)
			}
			request(t, d, 0)
			sendCommand(t, d, 0, getCapTimeouts)
			if err := d.Err(); !errors.Is(err, ErrEngine) {
				t.Fatalf("Err() = %v, want an ErrEngine", err)
			}
			if tt.hang {
				for range 1000 {
					sts(d, 0)
				}
				if d.State() != StateExecution {
					t.Fatalf("hung device in %v, want EXECUTION", d.State())
				}
				d.Write(reg(0, RegSts), StsCommandReady)
				wantSts(t, d, 0, StsCommandReady)
				return
			}
			if got := readResponse(t, d, 0, 0); !bytes.Equal(got, tt.want) {
				t.Fatalf("response % x, want % x", got, tt.want)
			}
		})
	}
}

// TestSizeDelta checks the lying-size fault: the paramSize field changes,
// the delivered length does not.
func TestSizeDelta(t *testing.T) {
	for _, delta := range []int32{-4, 8} {
		p := SLB9635()
		p.Faults.SizeDelta = delta
		d, _ := newTestDevice(p)
		request(t, d, 0)
		sendCommand(t, d, 0, getCapTimeouts)
		got := readResponse(t, d, 0, 0)
		if len(got) != len(timeoutsRsp) {
			t.Fatalf("delta %d: delivered %d bytes, want %d", delta, len(got), len(timeoutsRsp))
		}
		if size := int32(be32(got[2:6])); size != int32(len(timeoutsRsp))+delta {
			t.Errorf("delta %d: paramSize field %d, want %d", delta, size, int32(len(timeoutsRsp))+delta)
		}
	}
}

// TestNoStsValid checks the fault where stsValid never reads 1.
func TestNoStsValid(t *testing.T) {
	p := SLB9635()
	p.Faults.NoStsValid = true
	d, _ := newTestDevice(p)
	request(t, d, 0)
	d.Write(reg(0, RegSts), StsCommandReady)
	for _, b := range getCapTimeouts {
		d.Write(reg(0, RegDataFIFO), b)
	}
	wantSts(t, d, 0, 0)
	d.Write(reg(0, RegSts), StsGo)
	wantSts(t, d, 0, StsDataAvail)
}

// TestLocalityChangeDropsCommand checks that a seize in the middle of a
// command leaves the FIFO idle for the new locality.
func TestLocalityChangeDropsCommand(t *testing.T) {
	d, _ := newTestDevice(SLB9635())
	request(t, d, 0)
	sendCommand(t, d, 0, getCapTimeouts)
	d.Write(reg(3, RegAccess), AccessSeize)
	wantAccess(t, d, 0, idle|AccessBeenSeized)
	wantSts(t, d, 3, 0)
	if got := d.Read(reg(3, RegDataFIFO)); got != 0xFF {
		t.Errorf("FIFO read by the seizing locality = %#02x, want 0xff", got)
	}
}
