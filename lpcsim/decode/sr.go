package decode

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// srReader streams the logic data of a sigrok session file.
type srReader struct {
	srFile
	closer   io.Closer
	info     Info
	unitsize int
	entries  []*zip.File
	cur      int           // index of the entry being read
	rc       io.ReadCloser // open entry, nil between entries
	entryOff int64         // bytes of the current entry consumed
	sample   int64         // samples delivered so far
	raw      []byte        // reused read buffer, a whole number of units
	rawLen   int           // bytes held in raw (a partial unit stays at the front)
	out      []byte        // reused normalised output
	lut      [][256]byte   // per byte of a unit: normalised bits it contributes
	used     []int         // unit byte positions that carry a mapped signal
}

const srBufUnits = 1 << 16

func newSR(path string, ra io.ReaderAt, size int64, c io.Closer, o Overrides) (*srReader, error) {
	a := srFile{path: path, ra: ra, size: size}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		where := zipWhere(ra, size)
		if where == "" {
			where = "its local entries and end record look sound, so the central directory is damaged"
		}
		return nil, fmt.Errorf("decode: %s: not a readable .sr (zip) file: %w: %s; %s (%w)", path, err, where, zipHint, ErrFormat)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	version, err := srVersion(a, files)
	if err != nil {
		return nil, err
	}
	meta, err := srMetadata(a, files)
	if err != nil {
		return nil, err
	}
	r := &srReader{srFile: a, closer: c}
	if err := r.setup(meta, files, version, o); err != nil {
		return nil, err
	}
	return r, nil
}

// srFile is the zip archive of a session file, for reading entries and
// saying where a broken one breaks.
type srFile struct {
	path string
	ra   io.ReaderAt
	size int64
}

// zipHint is what to try with a damaged session file.
const zipHint = "is it a sigrok .sr session file? If it was cut short or damaged in a copy, copy it again, or re-export it from PulseView (File > Save As) or with sigrok-cli -o FILE.sr"

// entryErr describes a failure to open or read entry f (pos says how far
// the read got, "" for an open), with where the archive breaks when its
// structure shows it.
func (a srFile) entryErr(f *zip.File, pos string, err error) error {
	at := ""
	if off, err := f.DataOffset(); err == nil {
		at = fmt.Sprintf(" (data at byte %d)", off)
	}
	at += pos
	where := zipWhere(a.ra, a.size)
	if where != "" {
		where = ": " + where
	}
	return fmt.Errorf("decode: %s: entry %s%s: %w%s; %s (%w)", a.path, f.Name, at, err, where, zipHint, ErrFormat)
}

func (a srFile) readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, a.entryErr(f, "", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	if err != nil {
		return nil, a.entryErr(f, fmt.Sprintf(", after %d bytes of its content", len(b)), err)
	}
	return b, nil
}

func srVersion(a srFile, files map[string]*zip.File) (int, error) {
	path := a.path
	f := files["version"]
	if f == nil {
		return 0, fmt.Errorf("decode: %s: no \"version\" entry, not a sigrok session file (%w)", path, ErrFormat)
	}
	b, err := a.readEntry(f, 64)
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || v < 1 || v > 2 {
		return 0, fmt.Errorf("decode: %s: sigrok format version %q not supported (want 1 or 2) (%w)", path, b, ErrFormat)
	}
	return v, nil
}

// srMetadata parses the [device 1] section of the GLib key file.
func srMetadata(a srFile, files map[string]*zip.File) (map[string]string, error) {
	path := a.path
	f := files["metadata"]
	if f == nil {
		return nil, fmt.Errorf("decode: %s: no \"metadata\" entry (%w)", path, ErrFormat)
	}
	b, err := a.readEntry(f, 1<<20)
	if err != nil {
		return nil, err
	}
	meta := map[string]string{}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "["):
			if !strings.HasSuffix(l, "]") {
				return nil, fmt.Errorf("decode: %s: metadata line %d: bad section header %q (%w)", path, line, l, ErrFormat)
			}
			section = l[1 : len(l)-1]
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				return nil, fmt.Errorf("decode: %s: metadata line %d: want key=value, got %q (%w)", path, line, l, ErrFormat)
			}
			if section == "device 1" {
				meta[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	return meta, nil
}

// parseSamplerate parses sigrok's "24 MHz", "1 GHz", "31.5 kHz" (lower-case m
// is mega there). A rate of 0 (some exporters write "0 Hz" when they do not
// know it) gives 0: the rate is unknown.
func parseSamplerate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, fmt.Errorf("samplerate %q: want a rate such as \"24 MHz\"", s)
	}
	if v == 0 {
		return 0, nil
	}
	rest := strings.TrimSpace(s[i:])
	mult := 1.0
	if rest != "" {
		switch rest[0] {
		case 'k', 'K':
			mult = 1e3
		case 'm', 'M':
			mult = 1e6
		case 'g', 'G':
			mult = 1e9
		case 't', 'T':
			mult = 1e12
		case 'p', 'P':
			mult = 1e15
		case 'e', 'E':
			mult = 1e18
		}
	}
	return v * mult, nil
}

func (r *srReader) setup(meta map[string]string, files map[string]*zip.File, version int, o Overrides) error {
	probes, err := strconv.Atoi(meta["total probes"])
	if err != nil || probes < 1 || probes > 4096 {
		return fmt.Errorf("decode: %s: metadata \"total probes\" = %q, want a channel count (%w)", r.path, meta["total probes"], ErrFormat)
	}
	unitsize := (probes + 7) / 8
	if us, ok := meta["unitsize"]; ok {
		unitsize, err = strconv.Atoi(us)
		if err != nil || unitsize < 1 || unitsize > 512 {
			return fmt.Errorf("decode: %s: metadata unitsize = %q, want a byte count (%w)", r.path, us, ErrFormat)
		}
	}
	if unitsize*8 < probes {
		return fmt.Errorf("decode: %s: unitsize %d holds %d channels but metadata has %d probes (%w)", r.path, unitsize, unitsize*8, probes, ErrFormat)
	}
	r.unitsize = unitsize
	names := make([]string, probes)
	for i := range names {
		names[i] = meta["probe"+strconv.Itoa(i+1)]
	}
	ch, err := resolve(names, probes, o)
	if err != nil {
		return fmt.Errorf("%w (%s)", err, r.path)
	}
	r.info = Info{Format: fmt.Sprintf("sigrok .sr v%d", version), Channels: names, Map: ch, Samples: 0}
	if sr, ok := meta["samplerate"]; ok {
		rate, err := parseSamplerate(sr)
		if err != nil {
			return fmt.Errorf("decode: %s: metadata %v (%w)", r.path, err, ErrFormat)
		}
		if rate > 0 {
			r.info.TickSeconds = 1 / rate
		}
	}
	base := meta["capturefile"]
	if base == "" {
		base = "logic-1"
	}
	if f := files[base]; f != nil {
		r.entries = []*zip.File{f}
	} else {
		for n := 1; ; n++ {
			f := files[base+"-"+strconv.Itoa(n)]
			if f == nil {
				break
			}
			r.entries = append(r.entries, f)
		}
	}
	if len(r.entries) == 0 {
		return fmt.Errorf("decode: %s: no logic data (no entry %q or %q) (%w)", r.path, base, base+"-1", ErrFormat)
	}
	for _, f := range r.entries {
		if f.UncompressedSize64%uint64(unitsize) != 0 {
			return fmt.Errorf("decode: %s: entry %s holds %d bytes, not a whole number of %d-byte units (unitsize mismatch) (%w)", r.path, f.Name, f.UncompressedSize64, unitsize, ErrFormat)
		}
		r.info.Samples += int64(f.UncompressedSize64) / int64(unitsize)
	}
	r.buildLUT(ch)
	r.raw = make([]byte, srBufUnits*unitsize)
	r.out = make([]byte, srBufUnits)
	return nil
}

// buildLUT prepares, for each byte position of a unit, a table from that
// byte's value to the normalised bits it carries.
func (r *srReader) buildLUT(ch Channels) {
	r.lut = make([][256]byte, r.unitsize)
	used := map[int]bool{}
	for s := Signal(0); s < numSignals; s++ {
		c := ch[s]
		if c < 0 {
			continue
		}
		pos, bit := c/8, uint(c%8)
		used[pos] = true
		for v := range 256 {
			if v>>bit&1 != 0 {
				r.lut[pos][v] |= 1 << s
			}
		}
	}
	var fill byte
	if ch[LRESET] < 0 {
		fill |= lresetBit
	}
	if ch[SERIRQ] < 0 {
		fill |= serirqBit
	}
	for pos := range r.unitsize {
		if used[pos] {
			r.used = append(r.used, pos)
		}
	}
	if len(r.used) == 0 {
		r.used = []int{0}
	}
	first := r.used[0]
	for v := range 256 {
		r.lut[first][v] |= fill
	}
}

// Info describes the session file and the channel mapping.
func (r *srReader) Info() Info { return r.info }

// Close closes the open entry and the file.
func (r *srReader) Close() error {
	if r.rc != nil {
		r.rc.Close()
		r.rc = nil
	}
	return r.closer.Close()
}

// Next reads up to srBufUnits samples, crossing entry boundaries as needed.
func (r *srReader) Next() (Chunk, error) {
	for {
		if r.rc == nil {
			if r.cur >= len(r.entries) {
				if r.rawLen != 0 {
					return Chunk{}, fmt.Errorf("decode: %s: data ends inside a sample unit (%d stray bytes; unitsize %d) (%w)", r.path, r.rawLen, r.unitsize, ErrFormat)
				}
				return Chunk{}, io.EOF
			}
			rc, err := r.entries[r.cur].Open()
			if err != nil {
				return Chunk{}, r.entryErr(r.entries[r.cur], "", err)
			}
			r.rc, r.entryOff = rc, 0
		}
		n, err := io.ReadFull(r.rc, r.raw[r.rawLen:])
		r.rawLen += n
		r.entryOff += int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			r.rc.Close()
			r.rc = nil
			r.cur++
			if r.rawLen < r.unitsize {
				continue
			}
		} else if err != nil {
			return Chunk{}, r.entryErr(r.entries[r.cur], fmt.Sprintf(", after %d bytes of its content (sample %d)", r.entryOff, r.sample), err)
		}
		units := r.rawLen / r.unitsize
		if units == 0 {
			continue
		}
		c := Chunk{Start: r.sample, States: r.normalise(units)}
		rest := r.rawLen - units*r.unitsize
		copy(r.raw, r.raw[units*r.unitsize:r.rawLen])
		r.rawLen = rest
		r.sample += int64(units)
		return c, nil
	}
}

func (r *srReader) normalise(units int) []byte {
	out := r.out[:units]
	if r.unitsize == 1 {
		lut := &r.lut[0]
		for i, b := range r.raw[:units] {
			out[i] = lut[b]
		}
		return out
	}
	us := r.unitsize
	first := r.used[0]
	lut := &r.lut[first]
	for i := range out {
		out[i] = lut[r.raw[i*us+first]]
	}
	for _, pos := range r.used[1:] {
		lut := &r.lut[pos]
		for i := range out {
			out[i] |= lut[r.raw[i*us+pos]]
		}
	}
	return out
}
