package decode

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Zip record signatures and sizes (PKWARE APPNOTE 4.3).
var (
	sigLocal   = []byte("PK\x03\x04")
	sigCentral = []byte("PK\x01\x02")
	sigEnd     = []byte("PK\x05\x06")
	sigDesc    = []byte("PK\x07\x08")
)

const (
	localHeaderLen = 30
	endRecordLen   = 22
	maxZipComment  = 0xFFFF
)

// zipWhere says where a zip archive is broken: it walks the local file
// headers (and deflated data) from the start, looks for the
// end-of-central-directory record at the end and the central directory it
// points to, and names the first byte offset that does not hold what the
// format puts there. It returns "" when it finds nothing wrong.
func zipWhere(ra io.ReaderAt, size int64) string {
	off, entries, bad := walkLocal(ra, size)
	if bad != "" {
		return bad
	}
	tail := min(size, endRecordLen+maxZipComment)
	buf := make([]byte, tail)
	if _, err := ra.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return fmt.Sprintf("reading the last %d bytes: %v", tail, err)
	}
	i := bytes.LastIndex(buf, sigEnd)
	if i < 0 || int64(i)+endRecordLen > tail {
		return fmt.Sprintf("%s end at byte %d, but there is no end-of-central-directory record (50 4B 05 06) in the last %d bytes of the %d-byte file "+
			"(expected at byte %d): the file is truncated", soundEntries(entries), off, tail, size, size-endRecordLen)
	}
	end := size - tail + int64(i)
	rec := buf[i : i+endRecordLen]
	cdSize, cdOff := int64(binary.LittleEndian.Uint32(rec[12:])), int64(binary.LittleEndian.Uint32(rec[16:]))
	if cdOff+cdSize > end {
		return fmt.Sprintf("the end-of-central-directory record at byte %d puts the central directory at bytes %d-%d, past the record itself: the file is damaged or cut and rejoined",
			end, cdOff, cdOff+cdSize)
	}
	head := make([]byte, 4)
	if _, err := ra.ReadAt(head, cdOff); err != nil || !bytes.Equal(head, sigCentral) {
		return fmt.Sprintf("the central directory should start at byte %d (says the end record at byte %d) but holds % X there: the file is damaged", cdOff, end, head)
	}
	return ""
}

// walkLocal follows the local file headers from byte 0 (through the
// compressed data of entries whose sizes follow in a data descriptor). It
// returns the offset after the last sound entry, the entries passed, and a
// description of the first broken one ("" when the headers end at a central
// directory).
func walkLocal(ra io.ReaderAt, size int64) (off int64, entries int, bad string) {
	h := make([]byte, localHeaderLen)
	for {
		n, _ := ra.ReadAt(h[:4], off)
		switch {
		case n == 4 && bytes.Equal(h[:4], sigCentral):
			return off, entries, ""
		case n == 4 && bytes.Equal(h[:4], sigLocal):
		case off == size || n < 4:
			return off, entries, ""
		case entries == 0:
			return off, 0, fmt.Sprintf("byte 0 holds % X, not a zip local header (50 4B 03 04)", h[:n])
		default:
			return off, entries, fmt.Sprintf("after %s, byte %d holds % X, not a zip local header (50 4B 03 04) or the central directory (50 4B 01 02)", soundEntries(entries), off, h[:n])
		}
		if _, err := ra.ReadAt(h, off); err != nil {
			return off, entries, fmt.Sprintf("the local header at byte %d is cut off by the end of the %d-byte file: the file is truncated", off, size)
		}
		flags := binary.LittleEndian.Uint16(h[6:])
		method := binary.LittleEndian.Uint16(h[8:])
		csize := int64(binary.LittleEndian.Uint32(h[18:]))
		nameLen, extraLen := int64(binary.LittleEndian.Uint16(h[26:])), int64(binary.LittleEndian.Uint16(h[28:]))
		name := make([]byte, min(nameLen, max(0, size-off-localHeaderLen)))
		ra.ReadAt(name, off+localHeaderLen)
		data := off + localHeaderLen + nameLen + extraLen
		next := data + csize
		if data > size {
			return off, entries, fmt.Sprintf("the local header at byte %d is cut off by the end of the %d-byte file: the file is truncated", off, size)
		}
		if flags&8 != 0 { // sizes follow the data in a data descriptor
			if method != zipDeflate {
				return off, entries, "" // a stored entry's end cannot be found without its size
			}
			used, err := deflatedLen(ra, data, size)
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return off, entries, fmt.Sprintf("entry %q (local header at byte %d): the %d-byte file ends inside its compressed data: the file is truncated", name, off, size)
			}
			if err != nil {
				return off, entries, fmt.Sprintf("entry %q (local header at byte %d): its deflated data from byte %d breaks: %v", name, off, data, err)
			}
			next = data + used + descriptorLen(ra, data+used)
		}
		if next > size {
			return off, entries, fmt.Sprintf("entry %q (local header at byte %d) runs to byte %d, past the end of the %d-byte file: the file is truncated", name, off, next, size)
		}
		off, entries = next, entries+1
	}
}

const zipDeflate = 8

func soundEntries(n int) string {
	if n == 1 {
		return "1 sound entry"
	}
	return fmt.Sprintf("%d sound entries", n)
}

// deflatedLen returns how many bytes the deflate stream starting at off uses.
func deflatedLen(ra io.ReaderAt, off, size int64) (int64, error) {
	cr := &countingReader{r: bufio.NewReader(io.NewSectionReader(ra, off, size-off))}
	_, err := io.Copy(io.Discard, flate.NewReader(cr))
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return cr.n, fmt.Errorf("corrupt deflate data at byte %d", off+int64(ce))
	}
	if err != nil {
		return cr.n, fmt.Errorf("at byte %d: %w", off+cr.n, err)
	}
	return cr.n, nil
}

// descriptorLen returns the length of the data descriptor at off: 16 bytes
// with its optional signature, 12 without.
func descriptorLen(ra io.ReaderAt, off int64) int64 {
	sig := make([]byte, 4)
	if n, _ := ra.ReadAt(sig, off); n == 4 && bytes.Equal(sig, sigDesc) {
		return 16
	}
	return 12
}

// countingReader counts the bytes a flate reader takes; being an
// io.ByteReader, it keeps flate from reading ahead.
type countingReader struct {
	r *bufio.Reader
	n int64
}

// Read implements io.Reader, counting the bytes.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ReadByte implements io.ByteReader, counting the byte.
func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}
