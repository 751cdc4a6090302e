package decode

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Stats counts what a decode saw.
type Stats struct {
	Samples    int64          `json:"samples"`              // samples read
	Clocks     int64          `json:"clocks"`               // LCLK rising edges
	FirstTick  int64          `json:"first_tick"`           // tick of the first sample
	LastTick   int64          `json:"last_tick"`            // tick of the last sample
	Cycles     int            `json:"cycles"`               // all records, aborts and resets included
	Kinds      map[string]int `json:"kinds"`                // cycles by kind name ("tpm-read"), filled at the end of a decode
	Statuses   map[string]int `json:"statuses"`             // cycles by how they ended ("aborted")
	Deviations map[string]int `json:"deviations,omitempty"` // deviations by name ("short-final-tar")
	RegOps     int            `json:"reg_ops"`              // TPM cycles turned into register operations
	Commands   int            `json:"commands"`             // TPM command exchanges
	SerIRQ     int            `json:"serirq"`               // SERIRQ cycles (0 when the capture has no SERIRQ channel)
	kinds      [numKinds]int
	statuses   [numStatus]int
	devs       [numDeviations]int
}

// Kind returns the number of cycles of kind k.
func (s *Stats) Kind(k Kind) int { return s.kinds[k] }

// Status returns the number of cycles that ended with st.
func (s *Stats) Status(st Status) int { return s.statuses[st] }

// Deviation returns the number of deviations of kind k.
func (s *Stats) Deviation(k DeviationKind) int { return s.devs[k] }

func (s *Stats) add(c *Cycle) {
	s.Cycles++
	s.kinds[c.Kind]++
	s.statuses[c.Status]++
	for _, d := range c.Deviations {
		s.devs[d.Kind]++
	}
}

// fill builds the exported maps from the counters (for JSON).
func (s *Stats) fill() {
	s.Kinds, s.Statuses, s.Deviations = map[string]int{}, map[string]int{}, map[string]int{}
	for k, n := range s.kinds {
		if n > 0 {
			s.Kinds[Kind(k).String()] = n
		}
	}
	for k, n := range s.statuses {
		if n > 0 {
			s.Statuses[Status(k).String()] = n
		}
	}
	for k, n := range s.devs {
		if n > 0 {
			s.Deviations[DeviationKind(k).String()] = n
		}
	}
}

// Handlers receive a decode's output at each level of the stack; nil ones
// are skipped. Values passed are not reused by the decoder. An error from a
// handler stops the decode and is returned.
type Handlers struct {
	Cycle   func(*Cycle) error       // every LPC cycle and bus event (abort, reset)
	RegOp   func(RegOp) error        // every TPM cycle as a TIS register byte operation
	Command func(*Command) error     // every TPM command/response exchange, when it ends
	SerIRQ  func(*SerIRQCycle) error // every SERIRQ cycle, when its stop frame ends
}

// Cycles decodes every LPC cycle of src, calling fn for each in order.
func Cycles(src Source, fn func(*Cycle) error) (Stats, error) {
	return Run(src, Handlers{Cycle: fn})
}

// Run decodes src up the stack: LPC cycles, TIS register operations from
// the TPM cycles, and TPM command/response exchanges from the FIFO traffic.
// It cannot be stopped; RunContext can.
func Run(src Source, h Handlers) (Stats, error) {
	return RunContext(context.Background(), src, h)
}

// RunContext is Run that stops when ctx is done. It looks at ctx once per
// chunk of samples the source delivers, not per sample, and returns ctx's
// error wrapped with the sample offset where it stopped, together with the
// counts so far (the stats' maps are not filled then).
func RunContext(ctx context.Context, src Source, h Handlers) (Stats, error) {
	var st Stats
	var ferr error
	keep := func(err error) {
		if ferr == nil {
			ferr = err
		}
	}
	cmds := NewCommands(func(c *Command) {
		st.Commands++
		if h.Command != nil {
			keep(h.Command(c))
		}
	})
	d := newCycleDecoder(func(c *Cycle) {
		st.add(c)
		if h.Cycle != nil {
			keep(h.Cycle(c))
		}
		if o, ok := RegOpOf(c); ok {
			st.RegOps++
			if h.RegOp != nil {
				keep(h.RegOp(o))
			}
			cmds.Op(o)
		}
	})
	d.irq = &serirqDecoder{emit: func(c *SerIRQCycle) {
		st.SerIRQ++
		if h.SerIRQ != nil {
			keep(h.SerIRQ(c))
		}
	}}
	err := eachChunk(ctx, src, &st, func(ch *Chunk, i int, prev byte) error {
		if ch.Ticks == nil {
			st.Clocks += d.scan(ch.States, i, prev, ch.Start)
		} else {
			st.Clocks += d.scanTimed(ch.States, i, prev, ch.Ticks)
		}
		return ferr
	})
	if err != nil {
		return st, err
	}
	d.flush()
	cmds.Flush()
	st.fill()
	return st, ferr
}

// eachChunk reads src to its end and calls fn for every chunk that holds samples, with the
// index of the chunk's first sample that has one before it (1 for the very first sample of
// the capture, else 0) and that sample before it. It counts the samples and records the first
// and last tick in st. An error from src or fn stops it and is returned, and so does ctx's
// error (checked before each chunk) wrapped with the sample offset reached.
func eachChunk(ctx context.Context, src Source, st *Stats, fn func(ch *Chunk, i int, prev byte) error) error {
	var prev byte
	started := false
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("decode: stopped at sample %d: %w", st.Samples, err)
		}
		ch, err := src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		states := ch.States
		if len(states) == 0 {
			continue
		}
		st.Samples += int64(len(states))
		i := 0
		if !started {
			prev, i, started = states[0], 1, true
			st.FirstTick = ch.Tick(0)
		}
		st.LastTick = ch.Tick(len(states) - 1)
		if err := fn(&ch, i, prev); err != nil {
			return err
		}
		prev = states[len(states)-1]
	}
}

// scan runs the decoder over a chunk of uniformly sampled states starting at
// index i, prev being the sample before states[i]. It is the hot loop: a byte
// comparison per sample, the state machine only on LCLK rising edges.
func (d *cycleDecoder) scan(states []byte, i int, prev byte, start int64) int64 {
	var n int64
	for ; i < len(states); i++ {
		s := states[i]
		if s&^prev&lclkBit != 0 {
			d.clock(start+int64(i), prev)
			n++
		}
		prev = s
	}
	return n
}

func (d *cycleDecoder) scanTimed(states []byte, i int, prev byte, ticks []int64) int64 {
	var n int64
	for ; i < len(states); i++ {
		s := states[i]
		if s&^prev&lclkBit != 0 {
			d.clock(ticks[i], prev)
			n++
		}
		prev = s
	}
	return n
}

// DecodeFile opens a capture and returns all its cycles; for small captures
// and tests. Large captures should stream with Cycles.
func DecodeFile(path string, o Overrides) ([]*Cycle, Stats, error) {
	src, err := Open(path, o)
	if err != nil {
		return nil, Stats{}, err
	}
	defer src.Close()
	var out []*Cycle
	st, err := Cycles(src, func(c *Cycle) error { out = append(out, c); return nil })
	return out, st, err
}
