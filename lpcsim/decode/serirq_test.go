package decode

import (
	"fmt"
	"slices"
	"testing"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/tisdev"
)

// serirqCycleClocks bounds one SERIRQ cycle on the simulator: start pulse,
// recovery, 17 frames of 3 clocks, stop frame and a gap.
const serirqCycleClocks = 8 + 2 + 3*17 + 4

// simIRQs is what the simulated host sampled in one SERIRQ cycle: the frames
// (1-based) it saw low.
type simIRQs struct {
	cycle  uint64 // the host's count of SERIRQ cycles once this one ended
	frames []int
}

// hostFrames lists the frames the host saw asserted in its last cycle.
func hostFrames(h *lpcsim.Host) []int {
	var out []int
	for n := range 17 {
		if h.IRQAsserted(n) {
			out = append(out, n+1)
		}
	}
	return out
}

// idleWatching runs the bench n clocks one at a time and records what the
// host sampled in each SERIRQ cycle that ends meanwhile.
func idleWatching(b *lpcsim.Bench, n int, seen *[]simIRQs) {
	for range n {
		before := b.Host.SerIRQCycles()
		b.Idle(1)
		if after := b.Host.SerIRQCycles(); after != before {
			*seen = append(*seen, simIRQs{cycle: after, frames: hostFrames(b.Host)})
		}
	}
}

// TestSerIRQRoundTrip runs the simulator with SERIRQ in both modes and a TPM
// interrupt (IRQ5, then IRQ11) raised and cleared through INT_ENABLE and
// INT_STATUS, and checks that the decode gives back every SERIRQ cycle the
// host ran, with exactly the frames the host sampled low and the stop
// frame's mode.
func TestSerIRQRoundTrip(t *testing.T) {
	for _, mode := range []lpcsim.SerIRQMode{lpcsim.SerIRQContinuous, lpcsim.SerIRQQuiet} {
		t.Run(mode.String(), func(t *testing.T) {
			var seen []simIRQs
			// Start the recording between two SERIRQ cycles (continuous mode)
			// or once the line is quiet, so that it holds every cycle the host
			// counts from then on.
			b := newBench(t, mode)
			n := b.Host.SerIRQCycles()
			for i := 0; i < serirqCycleClocks && b.Host.SerIRQCycles() == n; i++ {
				b.Idle(1)
			}
			base := b.Host.SerIRQCycles()
			var total uint64
			vcd := recordVCD(t, b, func(b *lpcsim.Bench) {
				h := b.Host
				idleWatching(b, 3*serirqCycleClocks, &seen)
				for _, irq := range []uint8{5, 11} {
					h.Write8(0x000, 0x02) // requestUse
					h.Write8(0x00C, irq)  // INT_VECTOR
					h.Write32(0x008, tisdev.IntGlobalEnable|tisdev.IntLowLevel|tisdev.IntCommandReady)
					h.Write8(0x018, 0x40) // commandReady: the interrupt becomes pending
					idleWatching(b, 3*serirqCycleClocks, &seen)
					h.Write32(0x010, tisdev.IntCommandReady) // clear it
					idleWatching(b, 3*serirqCycleClocks, &seen)
					h.Write8(0x000, 0x20) // activeLocality: release
				}
				idleWatching(b, 2*serirqCycleClocks, &seen)
				total = h.SerIRQCycles() - base
				b.Idle(2) // the decoder learns a stop frame's width on the clock after it
			})
			src, err := openBytes(vcd, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []*SerIRQCycle
			st, err := Run(src, Handlers{SerIRQ: func(c *SerIRQCycle) error { got = append(got, c); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			var done []*SerIRQCycle
			for _, c := range got {
				if c.Status == Complete {
					done = append(done, c)
				}
			}
			if uint64(len(done)) != total || st.SerIRQ != len(got) {
				t.Fatalf("decoded %d complete SERIRQ cycles (%d in all, stats %d), the host ran %d", len(done), len(got), st.SerIRQ, total)
			}
			asserted := map[int]int{}
			for _, s := range seen {
				c := done[s.cycle-base-1]
				if !slices.Equal(c.Asserted, s.frames) {
					t.Errorf("SERIRQ cycle %d: decoded %v asserted, the host sampled %v", c.Index, c.Asserted, s.frames)
				}
				for _, f := range s.frames {
					asserted[f]++
				}
			}
			if asserted[6] == 0 || asserted[12] == 0 || len(asserted) != 2 {
				t.Errorf("frames asserted over the run %v: want IRQ5 (frame 6) and IRQ11 (frame 12) only", asserted)
			}
			for i, c := range done {
				want := SerIRQContinuous
				starter := StartedHost
				if mode == lpcsim.SerIRQQuiet {
					want, starter = SerIRQQuiet, StartedPeripheral
				}
				if i == 0 {
					starter = StartedUnknown // nothing before it in the capture
				}
				if c.Mode != want || c.StopWidth != map[SerIRQMode]int{SerIRQQuiet: 2, SerIRQContinuous: 3}[want] ||
					c.StartedBy != starter || c.Frames != 17 || c.StartWidth < 4 || c.StartWidth > 8 || c.Misaligned != 0 {
					t.Errorf("SERIRQ cycle %d = %s; want mode %s, started by %s, 17 frames", c.Index, c, want, starter)
				}
			}
			if mode == lpcsim.SerIRQQuiet && len(done) > 12 {
				t.Errorf("quiet mode: %d SERIRQ cycles, want only those that report a change", len(done))
			}
			t.Logf("%d SERIRQ cycles, %d compared with the host's samples; e.g. %s", len(done), len(seen), fmt.Sprint(done[len(done)/2]))
		})
	}
}

// serCycle is a SERIRQ cycle clock by clock ('L' low, 'H' high): a start
// pulse of start clocks, frames IRQ/data frames with the line low on the
// given clocks after the pulse's rising edge, a stop frame of stop clocks
// (none when 0) and two idle clocks.
func serCycle(start int, low []int, frames, stop int) string {
	var b []byte
	for range start {
		b = append(b, 'L')
	}
	for i := range serFirstFrame + 3*frames {
		c := byte('H')
		if slices.Contains(low, i) {
			c = 'L'
		}
		b = append(b, c)
	}
	for range stop {
		b = append(b, 'L')
	}
	if stop > 0 {
		b = append(b, 'H', 'H')
	}
	return string(b)
}

// serWave turns a clock pattern ('L' SERIRQ low, 'R' LRESET# low, else idle) into a waveform.
func serWave(pattern string) wave {
	w := wave{}.idle(2)
	for _, c := range pattern {
		w = append(w, clk{lad: 0xF, serirqLow: c == 'L', resetLow: c == 'R'})
	}
	return w
}

func TestSerIRQFrames(t *testing.T) {
	sample := func(k int) int { return 3*k - 1 } // frame k's sample clock
	tests := []struct {
		name    string
		pattern string
		want    []string
	}{
		{"quiet IRQ1", serCycle(4, []int{sample(2)}, 17, 2),
			[]string{"serirq     quiet      asserted=IRQ1 start=unknown/4 frames=17 stop=2"}},
		{"continuous then peripheral start", serCycle(8, []int{sample(3), sample(17)}, 17, 3) + serCycle(5, nil, 17, 2) + serCycle(4, []int{sample(12)}, 17, 2),
			[]string{"serirq     continuous asserted=SMI#,IOCHCK# start=unknown/8 frames=17 stop=3",
				"serirq     quiet      asserted=none start=host/5 frames=17 stop=2",
				"serirq     quiet      asserted=IRQ11 start=peripheral/4 frames=17 stop=2"}},
		{"21 frames with INTA# and INTD#", serCycle(4, []int{sample(18), sample(21)}, 21, 3),
			[]string{"serirq     continuous asserted=INTA#,INTD# start=unknown/4 frames=21 stop=3"}},
		{"misaligned pulse", serCycle(4, []int{sample(6) + 1}, 17, 3),
			[]string{"serirq     continuous asserted=none start=unknown/4 frames=17 stop=3 !misaligned=1"}},
		{"stop frame of 5 clocks", serCycle(4, nil, 17, 5),
			[]string{"serirq     bad-stop   asserted=none start=unknown/4 frames=17 stop=5"}},
		{"a missed start: the stop frame still sets the mode", "HHHLLLHH" + serCycle(4, nil, 17, 3),
			[]string{"serirq     continuous asserted=none start=host/4 frames=17 stop=3"}},
		{"too short to be a start", "LLLHHHHH", nil},
		{"LRESET# cuts a cycle", serCycle(4, []int{sample(4)}, 10, 0) + "RRRHH" + serCycle(4, nil, 17, 2),
			[]string{"serirq     no-stop    asserted=IRQ3 start=unknown/4 frames=0 stop=0 [RESET]",
				"serirq     quiet      asserted=none start=host/4 frames=17 stop=2"}},
		{"capture ends in the frames", serCycle(4, []int{sample(1)}, 5, 0),
			[]string{"serirq     no-stop    asserted=IRQ0 start=unknown/4 frames=0 stop=0 [TRUNCATED]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := openBytes(serWave(tt.pattern).vcd(vcdOptions{}), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			st, err := Run(src, Handlers{SerIRQ: func(c *SerIRQCycle) error { got = append(got, c.String()); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) || st.SerIRQ != len(tt.want) {
				t.Errorf("got (stats %d)\n%q\nwant\n%q", st.SerIRQ, got, tt.want)
			}
		})
	}
}
