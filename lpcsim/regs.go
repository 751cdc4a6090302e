package lpcsim

import "strconv"

// tisRegs names the TIS registers of one locality by offset range.
var tisRegs = []struct {
	lo, hi uint32
	name   string
}{
	{0x000, 0x000, "ACCESS"},
	{0x008, 0x00B, "INT_ENABLE"},
	{0x00C, 0x00C, "INT_VECTOR"},
	{0x010, 0x013, "INT_STATUS"},
	{0x014, 0x017, "INTF_CAPABILITY"},
	{0x018, 0x01B, "STS"},
	{0x024, 0x027, "DATA_FIFO"},
	{0x030, 0x033, "INTERFACE_ID"},
	{0x080, 0x0BF, "XDATA_FIFO"},
	{0xF00, 0xF03, "DID_VID"},
	{0xF04, 0xF04, "RID"},
	{0xF80, 0xF8F, "LEGACY"},
	{0xF90, 0xFFF, "VENDOR"},
}

// AppendRegName appends the TIS register name of a window offset, such as
// "STS_0", "STS_0+1" (burstCount's low byte) or "DID_VID_2"; offsets no
// register covers read "REG_0x0040_0".
func AppendRegName(b []byte, off uint32) []byte {
	reg, loc := off&0xFFF, off>>12
	for _, r := range tisRegs {
		if reg >= r.lo && reg <= r.hi {
			b = append(b, r.name...)
			b = append(b, '_')
			b = strconv.AppendUint(b, uint64(loc), 10)
			if reg != r.lo && r.name != "DATA_FIFO" && r.name != "XDATA_FIFO" {
				b = append(b, '+')
				b = strconv.AppendUint(b, uint64(reg-r.lo), 10)
			}
			return b
		}
	}
	b = append(b, "REG_0x"...)
	b = appendHex(b, uint64(reg), 4)
	b = append(b, '_')
	return strconv.AppendUint(b, uint64(loc), 10)
}

// RegName returns the TIS register name of a window offset (see AppendRegName).
func RegName(off uint32) string { return string(AppendRegName(nil, off)) }

// logReg writes one register-access line: clock, R/W, register, offset,
// width, value and, when a cycle did not end well, how it ended.
func (h *Host) logReg(write bool, off uint32, width int, v uint32) {
	if h.regLog == nil {
		return
	}
	b := strconv.AppendUint(h.lineBuf[:0], h.b.clock, 10)
	if write {
		b = append(b, " W "...)
	} else {
		b = append(b, " R "...)
	}
	b = AppendRegName(b, off)
	b = append(b, " 0x"...)
	b = appendHex(b, uint64(off), 4)
	b = append(b, " = 0x"...)
	b = appendHex(b, uint64(v), 2*width)
	if h.worst != StatusOK {
		b = append(b, ' ')
		b = append(b, h.worst.String()...)
		if h.worst == StatusNotEmitted && h.prof.Hypothesis {
			b = append(b, " (profile "...)
			b = append(b, h.prof.Name...)
			b = append(b, " hypothesis)"...)
		}
	}
	h.lineBuf = append(b, '\n')
	h.regLog.Write(h.lineBuf) //nolint:errcheck // a log writer's failure must not stop the bus
}
