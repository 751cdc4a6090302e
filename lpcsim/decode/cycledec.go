package decode

// phase is where the cycle decoder is within a cycle.
type phase uint8

const (
	phIdle phase = iota
	phCycType
	phIDSel
	phAddr
	phMSize
	phChannel
	phSize
	phData
	phTAR
	phSync
	phFinalTAR
	phBody
)

var phaseField = [...]Field{phIdle: FieldNone, phCycType: FieldCycType, phIDSel: FieldIDSel, phAddr: FieldAddr,
	phMSize: FieldMSize, phSize: FieldSize, phChannel: FieldChannel, phData: FieldData, phTAR: FieldTAR,
	phSync: FieldSync, phFinalTAR: FieldFinalTAR, phBody: FieldBody}

// maxBodyNibbles bounds the raw nibbles kept for an unparsed cycle body.
const maxBodyNibbles = 64

// cycleDecoder is the LPC state machine, run once per LCLK rising edge with
// the LAD nibble and LFRAME#/LRESET# levels of the last sample before it.
type cycleDecoder struct {
	emit func(*Cycle)

	ph       phase
	cur      *Cycle
	left     int  // clocks or bytes left in the current field
	lowNib   bool // a data byte's low nibble has been read
	hostData bool // the host drives the data (writes) rather than the peripheral
	clocks   int  // clocks of the current cycle so far

	frameLow  int   // LFRAME# low clocks of the frame being read
	frameTick int64 // tick of its first clock
	startNib  uint8
	cut       *Cycle // cycle interrupted by LFRAME#, waiting to learn why

	reset    *Cycle // LRESET# assertion in progress
	lastTick int64
	index    int

	irq *serirqDecoder // nil: SERIRQ not decoded
}

func newCycleDecoder(emit func(*Cycle)) *cycleDecoder { return &cycleDecoder{emit: emit} }

func (d *cycleDecoder) send(c *Cycle) {
	c.Index = d.index
	d.index++
	d.emit(c)
}

// clock handles one LCLK rising edge; s is the normalised sample before it.
func (d *cycleDecoder) clock(tick int64, s byte) {
	d.lastTick = tick
	lad := s & ladMask
	if d.irq != nil {
		if s&lresetBit == 0 {
			d.irq.reset()
		} else {
			d.irq.clock(tick, s&serirqBit != 0)
		}
	}
	if s&lresetBit == 0 {
		d.inReset(tick)
	} else if d.reset != nil {
		d.send(d.reset)
		d.reset = nil
	}
	if s&lframeBit == 0 {
		d.frame(tick, lad)
		return
	}
	if d.frameLow > 0 {
		d.begin(tick, lad)
		return
	}
	if d.ph == phIdle {
		return
	}
	d.clocks++
	d.cur.EndTick = tick
	d.step(lad)
}

// inReset notes a clock with LRESET# low. Its assertion ends the cycle in
// progress; cycles the host still runs while it is held low are decoded and
// marked. The Reset record is emitted when LRESET# is released.
func (d *cycleDecoder) inReset(tick int64) {
	if d.reset == nil {
		d.finishCut(ResetCut)
		if c := d.stop(ResetCut); c != nil {
			d.send(c)
		}
		d.frameLow = 0
		d.reset = &Cycle{Kind: Reset, Tick: tick}
	}
	d.reset.EndTick = tick
	d.reset.Clocks++
}

// stop ends the cycle in progress with status st, noting where it was.
func (d *cycleDecoder) stop(st Status) *Cycle {
	if d.ph == phIdle {
		return nil
	}
	c := d.cur
	c.Status = st
	c.Field = phaseField[d.ph]
	if d.ph == phBody && st != ResetCut {
		c.Status, c.Field = Unparsed, FieldNone
	}
	c.Clocks = d.clocks
	d.ph, d.cur = phIdle, nil
	return c
}

func (d *cycleDecoder) finishCut(st Status) {
	if d.cut != nil {
		if d.cut.Status != Unparsed {
			d.cut.Status = st
		}
		d.send(d.cut)
		d.cut = nil
	}
}

// frame handles a clock with LFRAME# low: the START phase of a new cycle.
func (d *cycleDecoder) frame(tick int64, lad uint8) {
	if d.frameLow == 0 {
		switch {
		case d.ph == phFinalTAR && d.left == 1:
			// One TAR clock, then the next cycle: a common host shortcut.
			d.cur.Deviations = append(d.cur.Deviations, Deviation{Kind: ShortTAR, Field: FieldFinalTAR})
			d.ph = phIdle
			d.cur.Clocks = d.clocks
			d.send(d.cur)
			d.cur = nil
		case d.ph != phIdle:
			d.cut = d.stop(Interrupted)
		}
		d.frameTick = tick
	}
	d.frameLow++
	d.startNib = lad
}

// begin handles the first clock after LFRAME# went high: START is the last
// value latched while it was low, and this clock carries the next field.
func (d *cycleDecoder) begin(tick int64, lad uint8) {
	start, low := d.startNib, d.frameLow
	d.frameLow = 0
	if start == 0xF {
		d.finishCut(Aborted)
		a := &Cycle{Kind: Abort, Tick: d.frameTick, EndTick: tick, Start: start, FrameClocks: low, Clocks: low}
		if low < 4 {
			a.Deviations = append(a.Deviations, Deviation{Kind: ShortAbort, Field: FieldStart})
		}
		d.send(a)
		return
	}
	d.finishCut(Interrupted)
	c := &Cycle{Tick: d.frameTick, EndTick: tick, Start: start, FrameClocks: low, Size: 1}
	if d.reset != nil {
		c.Deviations = append(c.Deviations, Deviation{Kind: DuringReset, Field: FieldStart})
	}
	d.cur, d.clocks = c, low+1
	switch start {
	case 0x0, 0x5:
		d.ph = phCycType
	case 0xD, 0xE:
		c.Kind = FWRead
		if start == 0xE {
			c.Kind = FWWrite
		}
		d.hostData = start == 0xE
		d.ph = phIDSel
	case 0x2, 0x3:
		c.Kind = BusMaster
		d.ph = phBody
	default:
		c.Kind = Reserved
		c.Deviations = append(c.Deviations, Deviation{Kind: ReservedStart, Field: FieldStart, Value: start})
		d.ph = phBody
	}
	d.step(lad)
}

func (d *cycleDecoder) deviate(k DeviationKind, v uint8) {
	d.cur.Deviations = append(d.cur.Deviations, Deviation{Kind: k, Field: phaseField[d.ph], Value: v})
}

// step consumes one LAD nibble of the cycle in progress.
func (d *cycleDecoder) step(lad uint8) {
	c := d.cur
	switch d.ph {
	case phCycType:
		d.cycType(lad)
	case phIDSel:
		c.IDSel = lad
		d.ph, d.left = phAddr, 7
	case phAddr:
		c.Addr = c.Addr<<4 | uint32(lad)
		if d.left--; d.left == 0 {
			d.afterAddr()
		}
	case phMSize:
		n, ok := msizeBytes(lad)
		if !ok {
			d.deviate(ReservedSize, lad)
			d.ph = phBody
			return
		}
		c.Size = n
		d.afterHeader()
	case phChannel:
		c.Channel, c.TC = lad&7, lad&8 != 0
		d.ph = phSize
	case phSize:
		n := [4]int{1, 2, 0, 4}[lad&3]
		if n == 0 || lad&0xC != 0 {
			d.deviate(ReservedSize, lad)
			n = max(n, 1)
		}
		c.Size = n
		d.afterHeader()
	case phData:
		d.data(lad)
	case phTAR:
		if lad != 0xF {
			d.deviate(TARNotF, lad)
		}
		if d.left--; d.left == 0 {
			d.ph = phSync
		}
	case phSync:
		d.sync(lad)
	case phFinalTAR:
		if lad != 0xF {
			d.deviate(TARNotF, lad)
		}
		if d.left--; d.left > 0 {
			return
		}
		if d.dmaMore() { // DMA read: the host sends the next byte
			d.ph, d.left, d.lowNib = phData, 1, false
			return
		}
		d.ph = phIdle
		c.Clocks = d.clocks
		d.cur = nil
		d.send(c)
	case phBody:
		if len(c.Nibbles) < maxBodyNibbles {
			c.Nibbles = append(c.Nibbles, lad)
		}
	}
}

func msizeBytes(v uint8) (int, bool) {
	switch v {
	case 0x0:
		return 1, true
	case 0x1:
		return 2, true
	case 0x2:
		return 4, true
	case 0x4:
		return 16, true
	case 0x7:
		return 128, true
	}
	return 0, false
}

func (d *cycleDecoder) cycType(lad uint8) {
	c := d.cur
	c.CycType = lad
	if lad&1 != 0 {
		d.deviate(CycTypeBit0, lad)
	}
	write := lad&2 != 0
	d.hostData = write
	if c.Start == 0x5 {
		if lad&0xC != 0 {
			c.Kind = Reserved
			d.deviate(ReservedCycType, lad)
			d.ph = phBody
			return
		}
		c.Kind = TPMRead
		if write {
			c.Kind = TPMWrite
		}
		d.ph, d.left = phAddr, 4
		return
	}
	switch lad >> 2 {
	case 0:
		c.Kind = IORead
		if write {
			c.Kind = IOWrite
		}
		d.ph, d.left = phAddr, 4
	case 1:
		c.Kind = MemRead
		if write {
			c.Kind = MemWrite
		}
		d.ph, d.left = phAddr, 8
	case 2:
		// DMA: DIR 0 ("DMA read") moves host memory to the peripheral, so
		// the host drives the data; DIR 1 the peripheral does.
		c.Kind = DMARead
		d.hostData = !write
		if write {
			c.Kind = DMAWrite
		}
		d.ph = phChannel
	default:
		c.Kind = Reserved
		d.deviate(ReservedCycType, lad)
		d.ph = phBody
	}
}

func (d *cycleDecoder) afterAddr() {
	if d.cur.Kind == FWRead || d.cur.Kind == FWWrite {
		d.ph = phMSize
		return
	}
	d.afterHeader()
}

// afterHeader goes to the data (host-driven) or the turn-around (peripheral).
func (d *cycleDecoder) afterHeader() {
	d.cur.Data = make([]byte, 0, d.cur.Size)
	d.lowNib = false
	if d.hostData {
		d.ph, d.left = phData, d.byteRun()
		return
	}
	d.ph, d.left = phTAR, 2
}

func (d *cycleDecoder) dma() bool { return d.cur.Kind == DMARead || d.cur.Kind == DMAWrite }

// byteRun is how many data bytes follow one SYNC (or the header): one for
// DMA, which has a SYNC per byte; the whole size otherwise.
func (d *cycleDecoder) byteRun() int {
	if d.dma() {
		return 1
	}
	return d.cur.Size
}

// dmaMore reports whether a DMA cycle still has bytes to move.
func (d *cycleDecoder) dmaMore() bool { return d.dma() && len(d.cur.Data) < d.cur.Size }

func (d *cycleDecoder) data(lad uint8) {
	c := d.cur
	if !d.lowNib {
		c.Data = append(c.Data, lad)
		d.lowNib = true
		return
	}
	c.Data[len(c.Data)-1] |= lad << 4
	d.lowNib = false
	if d.left--; d.left > 0 {
		return
	}
	switch {
	case d.hostData:
		d.ph, d.left = phTAR, 2
	case d.dmaMore(): // DMA write: the peripheral's SYNC for the next byte
		d.ph = phSync
	default:
		d.ph, d.left = phFinalTAR, 2
	}
}

func (d *cycleDecoder) sync(lad uint8) {
	c := d.cur
	switch lad {
	case 0x5, 0x6:
		c.Waits++
		return
	case 0x0, 0xA:
	case 0x9:
		if c.Kind != DMARead && c.Kind != DMAWrite {
			d.deviate(ReadyMore, lad)
		}
	default:
		if lad != 0xF && c.NoSync == 0 {
			d.deviate(BadSync, lad)
		}
		c.NoSync++
		return
	}
	c.Sync = lad
	if d.dma() {
		c.Syncs = append(c.Syncs, lad)
	}
	if d.hostData {
		d.ph, d.left = phFinalTAR, 2
		return
	}
	d.ph, d.left, d.lowNib = phData, d.byteRun(), false
}

// flush ends the capture: a cycle still open is truncated.
func (d *cycleDecoder) flush() {
	if d.irq != nil {
		d.irq.flush()
	}
	d.finishCut(Interrupted)
	if d.frameLow > 0 {
		d.send(&Cycle{Kind: KindUnknown, Tick: d.frameTick, EndTick: d.lastTick, Start: d.startNib,
			FrameClocks: d.frameLow, Clocks: d.frameLow, Status: Truncated, Field: FieldStart})
		d.frameLow = 0
	}
	if c := d.stop(Truncated); c != nil {
		d.send(c)
	}
	if d.reset != nil {
		d.send(d.reset)
		d.reset = nil
	}
}
