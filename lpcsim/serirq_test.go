package lpcsim

import (
	"testing"

	"tpmbench/lpcsim/tisdev"
)

// serirqCycleClocks bounds one SERIRQ cycle: start pulse, recovery, 17
// frames of 3 clocks, stop frame and the gap.
const serirqCycleClocks = 8 + 2 + 3*serFrames + 4

func TestSerIRQ(t *testing.T) {
	const irq = 5
	for _, mode := range []SerIRQMode{SerIRQContinuous, SerIRQQuiet} {
		t.Run(mode.String(), func(t *testing.T) {
			b, err := New(Config{Profile: APU, TPM: tisdev.New(tisdev.SLB9635(), nil), SerIRQ: mode})
			if err != nil {
				t.Fatal(err)
			}
			h := b.Host
			b.Idle(2 * serirqCycleClocks)
			if h.SerIRQCycles() == 0 {
				t.Fatal("the host never ran a SERIRQ cycle after reset")
			}
			if h.IRQAsserted(irq) {
				t.Fatal("IRQ5 asserted before any interrupt was enabled")
			}
			h.Write8(0x000, 0x02) // requestUse: INT_* take writes from the active locality only
			h.Write8(0x00C, irq)
			h.Write32(0x008, tisdev.IntGlobalEnable|tisdev.IntLowLevel|tisdev.IntCommandReady)
			h.Write8(0x018, 0x40) // commandReady: the FIFO goes READY, commandReady becomes pending
			before := h.SerIRQCycles()
			b.Idle(2 * serirqCycleClocks)
			if !h.IRQAsserted(irq) {
				t.Errorf("IRQ5 not asserted after a pending commandReady (%d SERIRQ cycles since)", h.SerIRQCycles()-before)
			}
			for _, other := range []int{1, 4, 6, 15} {
				if h.IRQAsserted(other) {
					t.Errorf("IRQ%d asserted; only IRQ5 should be", other)
				}
			}
			h.Write32(0x010, tisdev.IntCommandReady) // write 1 to clear
			b.Idle(2 * serirqCycleClocks)
			if h.IRQAsserted(irq) {
				t.Error("IRQ5 still asserted after INT_STATUS was cleared")
			}
			if mode == SerIRQQuiet {
				n := h.SerIRQCycles()
				b.Idle(4 * serirqCycleClocks)
				if h.SerIRQCycles() != n {
					t.Errorf("quiet mode ran %d SERIRQ cycles with nothing to report", h.SerIRQCycles()-n)
				}
			}
		})
	}
}
