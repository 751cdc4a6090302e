package decode

import (
	"slices"
	"strings"
	"testing"
)

// dmaByte is one byte of a DMA transfer on the wire: its value, the wait
// SYNCs before its final SYNC, and that final SYNC.
type dmaByte struct {
	v     byte
	waits int
	sync  uint8
}

// dmaHeader appends START, CYCTYPE+DIR, CHANNEL (with TC in bit 3) and SIZE.
func (w wave) dmaHeader(write bool, ch uint8, tc bool, size uint8) wave {
	ct := uint8(0x8)
	if write {
		ct = 0xA
	}
	if tc {
		ch |= 8
	}
	return w.frame(0x0).nib(ct, ch, size)
}

// dmaRead appends a DMA read (host memory to the peripheral): per byte the
// host's data, TAR, the peripheral's SYNC with waits, TAR.
func (w wave) dmaRead(ch uint8, tc bool, size uint8, bytes ...dmaByte) wave {
	w = w.dmaHeader(false, ch, tc, size)
	for _, b := range bytes {
		w = w.nib(dataNibs(b.v)...).nib(0xF, 0xF).nib(waits(b.waits, 0x6)...).nib(b.sync, 0xF, 0xF)
	}
	return w
}

// dmaWrite appends a DMA write (peripheral to host memory): TAR, then per
// byte the peripheral's SYNC with waits and its data, then TAR.
func (w wave) dmaWrite(ch uint8, tc bool, size uint8, bytes ...dmaByte) wave {
	w = w.dmaHeader(true, ch, tc, size).nib(0xF, 0xF)
	for _, b := range bytes {
		w = w.nib(waits(b.waits, 0x5)...).nib(b.sync).nib(dataNibs(b.v)...)
	}
	return w.nib(0xF, 0xF)
}

// TestDMA decodes hand-built DMA cycles of every size and direction, with
// a SYNC per byte (ready more, ready, waits, error), terminal count, and
// cycles around them that must stay in step.
func TestDMA(t *testing.T) {
	type want struct {
		kind    Kind
		ch      uint8
		tc      bool
		size    int
		data    []byte
		syncs   []byte
		waits   int
		status  Status
		devs    []DeviationKind
		clocks  int
		nextTPM bool // a TPM read of ACCESS (0x81) follows and must decode
	}
	tests := []struct {
		name string
		w    wave
		want want
	}{
		{"read 1 byte ch 2", wave{}.dmaRead(2, false, 0, dmaByte{0x5A, 0, 0x0}),
			want{kind: DMARead, ch: 2, size: 1, data: []byte{0x5A}, syncs: []byte{0}, clocks: 4 + 2 + 2 + 1 + 2}},
		{"read 4 bytes ch 1 tc, waits on byte 2", wave{}.dmaRead(1, true, 3, dmaByte{0x11, 0, 0x9}, dmaByte{0x22, 3, 0x9}, dmaByte{0x33, 0, 0x9}, dmaByte{0x44, 0, 0x0}),
			want{kind: DMARead, ch: 1, tc: true, size: 4, data: []byte{0x11, 0x22, 0x33, 0x44}, syncs: []byte{9, 9, 9, 0}, waits: 3,
				clocks: 4 + 4*(2+2+1+2) + 3}},
		{"write 2 bytes ch 3", wave{}.dmaWrite(3, false, 1, dmaByte{0x12, 0, 0x9}, dmaByte{0x34, 0, 0x0}),
			want{kind: DMAWrite, ch: 3, size: 2, data: []byte{0x12, 0x34}, syncs: []byte{9, 0}, clocks: 4 + 2 + 2*(1+2) + 2}},
		{"write 4 bytes ch 7 tc, long waits", wave{}.dmaWrite(7, true, 3, dmaByte{0xDE, 10, 0x9}, dmaByte{0xAD, 0, 0x9}, dmaByte{0xBE, 2, 0x9}, dmaByte{0xEF, 0, 0x0}),
			want{kind: DMAWrite, ch: 7, tc: true, size: 4, data: []byte{0xDE, 0xAD, 0xBE, 0xEF}, syncs: []byte{9, 9, 9, 0}, waits: 12,
				clocks: 4 + 2 + 4*(1+2) + 12 + 2}},
		{"write with an error SYNC on byte 2", wave{}.dmaWrite(0, false, 1, dmaByte{0x01, 0, 0x9}, dmaByte{0xFF, 0, 0xA}),
			want{kind: DMAWrite, size: 2, data: []byte{0x01, 0xFF}, syncs: []byte{9, 0xA}, clocks: 4 + 2 + 2*(1+2) + 2}},
		{"read then a TPM cycle", wave{}.dmaRead(5, false, 1, dmaByte{0xA5, 1, 0x9}, dmaByte{0x5A, 0, 0x0}).tpmRead(0, 0, 0x81),
			want{kind: DMARead, ch: 5, size: 2, data: []byte{0xA5, 0x5A}, syncs: []byte{9, 0}, waits: 1, clocks: 4 + 2*(2+2+1+2) + 1, nextTPM: true}},
		{"write then a TPM cycle", wave{}.dmaWrite(6, true, 0, dmaByte{0x77, 0, 0x0}).tpmRead(0, 0, 0x81),
			want{kind: DMAWrite, ch: 6, tc: true, size: 1, data: []byte{0x77}, syncs: []byte{0}, clocks: 4 + 2 + 3 + 2, nextTPM: true}},
		{"reserved size 10", wave{}.dmaRead(1, false, 2, dmaByte{0x42, 0, 0x0}),
			want{kind: DMARead, ch: 1, size: 1, data: []byte{0x42}, syncs: []byte{0}, devs: []DeviationKind{ReservedSize}, clocks: 4 + 7}},
		{"host stops a 4-byte read after byte 2", wave{}.dmaRead(1, false, 3, dmaByte{0x11, 0, 0x9}, dmaByte{0x22, 0, 0x0}).tpmRead(0, 0, 0x81),
			want{kind: DMARead, ch: 1, size: 4, data: []byte{0x11, 0x22}, syncs: []byte{9, 0}, status: Interrupted, clocks: 4 + 2*7, nextTPM: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cycles, _, err := decodeBytes(t, "dma.vcd", tt.w.idle(2).vcd(vcdOptions{}), nil)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, c := range cycles {
				s = append(s, c.String())
			}
			wantN := 1
			if tt.want.nextTPM {
				wantN = 2
			}
			if len(cycles) != wantN {
				t.Fatalf("%d cycles, want %d:\n%s", len(cycles), wantN, strings.Join(s, "\n"))
			}
			c, w := cycles[0], tt.want
			var devs []DeviationKind
			for _, d := range c.Deviations {
				devs = append(devs, d.Kind)
			}
			if c.Kind != w.kind || c.Channel != w.ch || c.TC != w.tc || c.Size != w.size || !slices.Equal(c.Data, w.data) ||
				!slices.Equal(c.Syncs, w.syncs) || c.Waits != w.waits || c.Status != w.status || !slices.Equal(devs, w.devs) {
				t.Errorf("decoded %s\n%+v\nwant %+v", c, c, w)
			}
			if w.status == Complete && c.Clocks != w.clocks {
				t.Errorf("%d clocks, want %d", c.Clocks, w.clocks)
			}
			if w.nextTPM {
				if n := cycles[1]; n.Kind != TPMRead || n.Addr != 0 || len(n.Data) != 1 || n.Data[0] != 0x81 || n.Status != Complete {
					t.Errorf("the cycle after the DMA decoded as %s", n)
				}
			}
		})
	}
}
