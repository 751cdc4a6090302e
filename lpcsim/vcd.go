package lpcsim

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// VCD streams every line of a bench as a Value Change Dump: the lines at
// the board header (scope "board") and at the module pins (scope "module"),
// 1 ns timescale, LCLK with a 30 ns period. Lines change on LCLK's falling
// edge and are stable at its rising edge, where a decoder samples them.
// Memory use does not grow with the trace: values go out as they change.
type VCD struct {
	w      *bufio.Writer
	err    error
	board  uint32
	module uint32
	modClk bool
	last   uint64 // the last timestamp written
	buf    []byte
}

// vcdLines lists the lines dumped per scope, with LCLK first.
var vcdLines = []Signal{LCLK, LFRAME, LAD0, LAD1, LAD2, LAD3, LRESET, SERIRQ, LDRQ, LPCPD, CLKRUN}

// vcdID returns the identifier code of line i of scope s (0 board, 1 module).
func vcdID(scope, i int) byte { return byte('!' + scope*len(vcdLines) + i) }

// AttachVCD starts a waveform of the bench on w from the current clock on;
// the returned VCD must be closed (Close flushes it). Only one VCD can be
// attached at a time; attaching a new one detaches the old.
func (b *Bench) AttachVCD(w io.Writer) *VCD {
	v := &VCD{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 256)}
	v.header(b)
	b.vcd = v
	return v
}

// DetachVCD stops writing the waveform (the VCD still needs Close).
func (b *Bench) DetachVCD() { b.vcd = nil }

func (v *VCD) header(b *Bench) {
	fmt.Fprintf(v.w, "$version tpmbench lpcsim $end\n$comment LPC bus at 33.33 MHz: LAD/LFRAME# change on the falling edge of LCLK $end\n$timescale 1ns $end\n")
	for scope, name := range []string{"board", "module"} {
		fmt.Fprintf(v.w, "$scope module %s $end\n", name)
		prefix := ""
		if scope == 1 {
			prefix = "mod_" // names stay unique for tools that flatten scopes (sigrok)
		}
		for i, s := range vcdLines {
			fmt.Fprintf(v.w, "$var wire 1 %c %s%s $end\n", vcdID(scope, i), prefix, s)
		}
		fmt.Fprintf(v.w, "$upscope $end\n")
	}
	v.last = b.clock * ClockPeriodNS
	fmt.Fprintf(v.w, "$enddefinitions $end\n#%d\n$dumpvars\n", v.last)
	v.board, v.module = b.board, b.module
	for scope, val := range []uint32{b.board, b.module} {
		for i, s := range vcdLines {
			bit := byte('0' + val>>s&1)
			if s == LCLK {
				bit = '1'
			}
			fmt.Fprintf(v.w, "%c%c\n", bit, vcdID(scope, i))
		}
	}
	fmt.Fprintf(v.w, "$end\n")
	v.modClk = true
}

// clock writes one LCLK period: the falling edge with the new line values
// and the rising edge. edge tells whether the module's LCLK pin toggles.
func (v *VCD) clock(k uint64, board, module uint32, edge bool) {
	if v.err != nil {
		return
	}
	fall := (k - 1) * ClockPeriodNS
	b := v.buf[:0]
	if fall != v.last { // the first clock falls at the $dumpvars time
		b = append(b, '#')
		b = strconv.AppendUint(b, fall, 10)
		b = append(b, '\n')
	}
	b = append(b, '0', vcdID(0, 0), '\n')
	b = v.changes(b, 0, v.board, board)
	modClk := module&bitClock != 0
	if edge {
		modClk = false
	}
	if modClk != v.modClk {
		b = append(b, '0'+boolBit(modClk), vcdID(1, 0), '\n')
		v.modClk = modClk
	}
	b = v.changes(b, 1, v.module, module)
	b = append(b, '#')
	v.last = fall + ClockPeriodNS/2
	b = strconv.AppendUint(b, v.last, 10)
	b = append(b, '\n', '1', vcdID(0, 0), '\n')
	if edge {
		b = append(b, '1', vcdID(1, 0), '\n')
		v.modClk = true
	}
	v.board, v.module = board, module
	v.buf = b
	if _, err := v.w.Write(b); err != nil {
		v.err = fmt.Errorf("lpcsim: writing VCD at clock %d: %w", k, err)
	}
}

// changes appends the lines (other than LCLK) whose value differs.
func (v *VCD) changes(b []byte, scope int, old, cur uint32) []byte {
	diff := (old ^ cur) &^ bitClock
	if diff == 0 {
		return b
	}
	for i, s := range vcdLines {
		if diff>>s&1 != 0 {
			b = append(b, byte('0'+cur>>s&1), vcdID(scope, i), '\n')
		}
	}
	return b
}

func boolBit(x bool) byte {
	if x {
		return 1
	}
	return 0
}

// Close flushes the waveform and returns the first write error.
func (v *VCD) Close() error {
	if v.err != nil {
		return v.err
	}
	if err := v.w.Flush(); err != nil {
		return fmt.Errorf("lpcsim: flushing VCD: %w", err)
	}
	return nil
}
