package decode

import (
	"strings"
	"testing"
)

// TestCycleKinds decodes synthetic waveforms of every cycle kind and bus
// event, including the cases the real captures do not have.
func TestCycleKinds(t *testing.T) {
	tests := []struct {
		name string
		w    wave
		want string
	}{
		{"tpm read long waits", wave{}.tpmRead(0x0024, 20, 0xC4),
			"tpm-read   addr=0x0024 loc=0 DATA_FIFO data=C4 waits=20"},
		{"tpm write locality 3", wave{}.tpmWrite(0x3018, 0, 0x40),
			"tpm-write  addr=0x3018 loc=3 STS data=40"},
		{"tpm read STS byte 1", wave{}.tpmRead(0x0019, 0, 0x0A),
			"tpm-read   addr=0x0019 loc=0 STS+1 data=0A"},
		{"io read", wave{}.read(0x0, 0x0, 0x80, 4, 0, 0x12),
			"io-read    addr=0x0080 data=12"},
		{"mem write", wave{}.write(0x0, 0x6, 0xFED40000, 8, 1, 0x02),
			"mem-write  addr=0xFED40000 data=02 waits=1"},
		{"fw read 1 byte", wave{}.frame(0xD).nib(0x3).nib(addrNibs(0xFFBC000, 7)...).nib(0x0, 0xF, 0xF, 0x0).nib(dataNibs(0xBF)...).nib(0xF, 0xF),
			"fw-read    idsel=3 addr=0xFFBC000 msize=1 data=BF"},
		{"fw write 16 bytes", wave{}.frame(0xE).nib(0x0).nib(addrNibs(0x100, 7)...).nib(0x4).nib(dataNibs(make([]byte, 16)...)...).nib(0xF, 0xF, 0x0, 0xF, 0xF),
			"fw-write   idsel=0 addr=0x0000100 msize=16 data=00000000000000000000000000000000"},
		{"dma write 2 bytes", wave{}.frame(0x0).nib(0xA, 0x3, 0x1, 0xF, 0xF, 0x9).nib(dataNibs(0x12)...).nib(0x0).nib(dataNibs(0x34)...).nib(0xF, 0xF),
			"dma-write  ch=3 size=2 syncs=9,0 data=1234"},
		{"dma read 1 byte", wave{}.frame(0x0).nib(0x8, 0x1, 0x0).nib(dataNibs(0x56)...).nib(0xF, 0xF, 0x0, 0xF, 0xF),
			"dma-read   ch=1 size=1 data=56"},
		{"bus master", wave{}.frame(0x2).nib(0x0, 0x1, 0x2).idle(2),
			"bus-master start=0010 [UNPARSED]"},
		{"sync error on read", wave{}.frame(0x5).nib(0x0).nib(addrNibs(0x24, 4)...).nib(0xF, 0xF, 0x6, 0xA).nib(dataNibs(0xFF)...).nib(0xF, 0xF),
			"tpm-read   addr=0x0024 loc=0 DATA_FIFO data=FF waits=1 SYNC-ERROR"},
		{"no sync then abort", wave{}.frame(0x5).nib(0x0).nib(addrNibs(0xF00, 4)...).nib(0xF, 0xF, 0xF, 0xF, 0xF).frame(0xF, 0xF, 0xF, 0xF).idle(1),
			"tpm-read   addr=0x0F00 loc=0 DID_VID no-sync=3 [ABORTED in sync]\nabort      lframe#-low=4 clocks"},
		{"short abort", wave{}.frame(0xF, 0xF).idle(1),
			"abort      lframe#-low=2 clocks !short-abort"},
		{"LFRAME# restart mid address", wave{}.frame(0x0).nib(0x0, 0x0, 0x3).tpmRead(0x0000, 0, 0x81),
			"io-read    addr=0x0003 [INTERRUPTED in addr]\ntpm-read   addr=0x0000 loc=0 ACCESS data=81"},
		{"START changes while LFRAME# low", wave{}.frame(0x0, 0x5).nib(0x0).nib(addrNibs(0, 4)...).nib(0xF, 0xF, 0x0, 0x1, 0x8, 0xF, 0xF),
			"tpm-read   addr=0x0000 loc=0 ACCESS data=81"},
		{"reset mid cycle", wave{}.frame(0x5).nib(0x0, 0x0).reset(5).idle(1).tpmRead(0, 0, 0xA1),
			"tpm-read   addr=0x0000 loc=0 ACCESS [RESET in addr]\nreset      lreset#-low=5 clocks\ntpm-read   addr=0x0000 loc=0 ACCESS data=A1"},
		{"tar not 1111", wave{}.frame(0x0).nib(0x2).nib(addrNibs(0x2E, 4)...).nib(dataNibs(0x55)...).nib(0x7, 0xF, 0x0, 0xF, 0xF),
			"io-write   addr=0x002E data=55 !tar-not-1111(tar 0111)"},
		{"bad sync value", wave{}.tpmRead(0, 0, 0).frame(0x5).nib(0x0).nib(addrNibs(0, 4)...).nib(0xF, 0xF, 0x3, 0x0).nib(dataNibs(0x81)...).nib(0xF, 0xF),
			"tpm-read   addr=0x0000 loc=0 ACCESS data=00\ntpm-read   addr=0x0000 loc=0 ACCESS data=81 no-sync=1 !bad-sync(sync 0011)"},
		{"reserved start", wave{}.frame(0x7).nib(0x1, 0x2).idle(1),
			"reserved   start=0111 [UNPARSED] !reserved-start(start 0111)"},
		{"reserved cycle type", wave{}.frame(0x0).nib(0xC, 0x1).idle(1),
			"reserved   start=0000 [UNPARSED] !reserved-cyctype(cyctype 1100)"},
		{"truncated", wave{}.frame(0x5).nib(0x0, 0x0, 0x0),
			"tpm-read   addr=0x0000 loc=0 ACCESS [TRUNCATED in addr]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, _, err := decodeBytes(t, "w.sr", tt.w.idle(1).sr(t, srOptions{}), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "truncated" {
				cs, _, err = decodeBytes(t, "w.sr", tt.w.sr(t, srOptions{}), nil)
				if err != nil {
					t.Fatal(err)
				}
			}
			got := strings.TrimSpace(cycleLines(cs))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestCycleTiming checks positions and clock counts: a zero-wait TPM cycle is
// 13 clocks.
func TestCycleTiming(t *testing.T) {
	w := wave{}.idle(2).tpmRead(0, 0, 0x81).tpmWrite(0, 0, 0x02)
	cs, _, err := decodeBytes(t, "w.sr", w.sr(t, srOptions{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("%d cycles, want 2", len(cs))
	}
	for _, c := range cs {
		if c.Clocks != 13 {
			t.Errorf("%s: %d clocks, want 13", c, c.Clocks)
		}
	}
	// Clock k of the wave rises at sample 4k+3 (see wave.samples).
	if cs[0].Tick != 4*2+3 || cs[1].Tick != 4*15+3 || cs[0].EndTick != 4*14+3 {
		t.Errorf("ticks %d..%d and %d, want 11..59 and 63", cs[0].Tick, cs[0].EndTick, cs[1].Tick)
	}
}
