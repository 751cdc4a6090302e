package decode

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
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
	TickSeconds float64  // seconds per tick; 0 if unknown (ticks are then sample numbers)
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
// format from the file's first bytes and, where they do not settle it, from
// its name, and maps its channels by name with o taking precedence.
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
	src, err := openCapture(path, f, st.Size(), f, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}

// sniffLen is how many leading bytes tell the format.
const sniffLen = 512

// openCapture picks the reader for a capture of size bytes: a zip archive
// is a sigrok session file, text starting with a $keyword is VCD, gzip is
// a compressed VCD. A damaged zip named .sr still goes to the .sr reader,
// which says where it breaks, and a file named .vcd to the VCD reader,
// which says at which line it goes wrong. Anything else is refused with
// what it looks like and what formats are accepted.
func openCapture(path string, r io.ReaderAt, size int64, c io.Closer, o Overrides) (Source, error) {
	head := make([]byte, min(size, sniffLen))
	n, err := r.ReadAt(head, 0)
	if n < len(head) {
		return nil, fmt.Errorf("decode: %s: reading the first %d bytes: %w", path, len(head), err)
	}
	name := strings.ToLower(path)
	isSR, isVCD := strings.HasSuffix(name, ".sr"), strings.HasSuffix(name, ".vcd") || strings.HasSuffix(name, ".vcd.gz")
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) ||
		isSR && bytes.HasPrefix(head, []byte("PK")):
		return newSR(path, r, size, c, o)
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return openGzip(path, io.NewSectionReader(r, 0, size), c, o, isVCD)
	case looksVCD(head) || isVCD && size > 0:
		return newVCD(path, io.NewSectionReader(r, 0, size), c, o)
	}
	hint := ""
	if isSR && size > 0 {
		hint = "; it is named .sr, but a sigrok session file is a zip archive (starting with PK)"
	}
	return nil, fmt.Errorf("decode: %s: not a capture: %s%s; %s (%w)", path, describe(head, size), hint, formatsHint, ErrFormat)
}

// formatsHint names the capture formats Open accepts.
const formatsHint = "want a sigrok session file (.sr, a zip archive, as PulseView's File > Save As or sigrok-cli -o FILE.sr writes it) or a VCD file (.vcd or .vcd.gz, text starting with $ keywords such as $timescale)"

// openGzip opens a gzip-compressed VCD file, checking what is inside first.
func openGzip(path string, r io.Reader, c io.Closer, o Overrides, named bool) (Source, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("decode: %s: bad gzip header: %w (%w)", path, err, ErrFormat)
	}
	br := bufio.NewReaderSize(zr, sniffLen)
	head, err := br.Peek(sniffLen)
	if len(head) == 0 && err != nil && err != io.EOF {
		return nil, fmt.Errorf("decode: %s: gzip data: %w (%w)", path, err, ErrFormat)
	}
	if !looksVCD(head) && !(named && len(head) > 0) {
		return nil, fmt.Errorf("decode: %s: not a capture: gzip-compressed, and inside %s; %s (%w)", path, describe(head, int64(len(head))), formatsHint, ErrFormat)
	}
	return newVCD(path, br, c, o)
}

// looksVCD reports whether a file's first bytes are a VCD header: a
// $keyword after any white space.
func looksVCD(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 1 && t[0] == '$' && t[1] >= 'a' && t[1] <= 'z'
}

// describe says what a file that is no capture looks like, from its first
// bytes: empty, text (quoting its start) or binary (its first bytes in hex).
func describe(head []byte, size int64) string {
	if size == 0 {
		return "the file is empty (0 bytes)"
	}
	if text := bytes.TrimLeft(head, " \t\r\n"); isText(head) {
		if len(text) == 0 {
			return "it starts with blank space only"
		}
		line, _, _ := bytes.Cut(text, []byte("\n"))
		return fmt.Sprintf("it holds text starting %q", shorten(string(bytes.TrimRight(line, "\r"))))
	}
	return fmt.Sprintf("it holds binary data starting % X", head[:min(len(head), 8)])
}

// isText reports whether head looks like text: valid UTF-8 (a character cut
// by the end of head aside) without control characters other than tab,
// carriage return and newline.
func isText(head []byte) bool {
	for i := 0; i < 4 && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if !utf8.Valid(head) {
		return false
	}
	for _, b := range head {
		if b < 0x20 && b != '\t' && b != '\r' && b != '\n' || b == 0x7F {
			return false
		}
	}
	return true
}
