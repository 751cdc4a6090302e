package decode

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrFormat is wrapped by every error about malformed capture input.
var ErrFormat = errors.New("malformed capture")

// Chunk is a run of consecutive normalised samples. Each byte holds the lines
// at the bit positions given by Signal. Sample i is at tick Start+i when Ticks
// is nil (a sigrok capture: ticks are sample numbers), else at Ticks[i] (a VCD
// file: ticks are timestamps in timescale units). A chunk is only valid until
// the next call of Next.
type Chunk struct {
	Start  int64   // tick of the first sample when Ticks is nil
	States []byte  // normalised samples, one byte each
	Ticks  []int64 // tick of each sample, or nil for uniformly spaced samples
}

// Tick returns the position of sample i of the chunk.
func (c *Chunk) Tick(i int) int64 {
	if c.Ticks != nil {
		return c.Ticks[i]
	}
	return c.Start + int64(i)
}

// Info describes a capture.
type Info struct {
	Format      string   // "sigrok .sr v2", "VCD", ...
	Channels    []string // capture channel names by index ("" = disabled)
	Map         Channels // which channel carries each signal
	TickSeconds float64  // seconds per tick; 0 if unknown
	Samples     int64    // total samples, -1 if not known before reading
}

// Source delivers a capture as normalised sample chunks.
type Source interface {
	// Next returns the next chunk, or io.EOF after the last one.
	Next() (Chunk, error)
	// Info describes the capture and the channel mapping in use.
	Info() Info
	// Close releases the file.
	Close() error
}

// Open opens a .sr or VCD capture (plain or gzip-compressed), telling the
// format from the file's first bytes, and maps its channels by name with o
// taking precedence.
func Open(path string, o Overrides) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("decode: %w", err)
	}
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("decode: %s: %w", path, err)
	}
	var src Source
	switch {
	case n >= 2 && bytes.Equal(head[:2], []byte("PK")):
		src, err = newSR(path, f, st.Size(), f, o)
	case n >= 2 && head[0] == 0x1F && head[1] == 0x8B:
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(f); err != nil {
			err = fmt.Errorf("decode: %s: bad gzip header: %w (%w)", path, err, ErrFormat)
			break
		}
		src, err = newVCD(path, zr, f, o)
	default:
		src, err = newVCD(path, f, f, o)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}
