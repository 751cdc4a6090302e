package decode

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// sample is a waveform with one of each common TPM access, used to check
// that every reader layout gives the same cycles.
func sampleWave() wave {
	return wave{}.idle(3).
		tpmRead(0x0000, 0, 0x81).idle(2).
		tpmWrite(0x0000, 2, 0x02).idle(1).
		tpmRead(0x0F00, 1, 0xD1).
		tpmRead(0x1018, 0, 0x90).idle(4)
}

func cycleLines(cs []*Cycle) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.String())
		b.WriteString("\n")
	}
	return b.String()
}

func TestReadersAgree(t *testing.T) {
	w := sampleWave()
	want := "tpm-read   addr=0x0000 loc=0 ACCESS data=81\n" +
		"tpm-write  addr=0x0000 loc=0 ACCESS data=02 waits=2\n" +
		"tpm-read   addr=0x0F00 loc=0 DID_VID data=D1 waits=1\n" +
		"tpm-read   addr=0x1018 loc=1 STS data=90\n"
	scrambled := []Signal{LFRAME, LAD3, SERIRQ, LCLK, LAD0, LRESET, LAD2, LAD1}
	tests := []struct {
		name string
		file []byte
		o    string
	}{
		{"sr v2 unitsize 1", w.sr(t, srOptions{}), ""},
		{"sr v1", w.sr(t, srOptions{version: 1}), ""},
		{"sr v2 chunked", w.sr(t, srOptions{chunk: 7}), ""},
		{"sr unitsize 2", w.sr(t, srOptions{unitsize: 2, chunk: 33}), ""},
		{"sr unitsize 3 scrambled", w.sr(t, srOptions{unitsize: 3, order: append(scrambled, LAD0, LAD0)[:8]}), ""},
		{"sr names LFRAME_N", w.sr(t, srOptions{names: []string{"LAD[0]", "Lad1", "LAD2", "LAD3", "LCLK", "LFRAME_N", "nc", "SERIRQ"}}), ""},
		{"sr numbered channels + override", w.sr(t, srOptions{names: []string{"0", "1", "2", "3", "4", "5", "6", "7"}}),
			"lad0=0,lad1=1,lad2=2,lad3=3,lclk=4,lframe#=5"},
		{"vcd scalars", w.vcd(vcdOptions{}), ""},
		{"vcd vector", w.vcd(vcdOptions{vector: true}), ""},
		{"vcd sigrok one line", w.vcd(vcdOptions{oneLine: true, timescale: "1ps"}), ""},
		{"vcd gzip", gzipped(t, w.vcd(vcdOptions{vector: true})), ""},
		{"vcd override by name", w.vcd(vcdOptions{names: map[Signal]string{LCLK: "clk33", LFRAME: "frame"}}), "lclk=clk33,lframe=frame"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseChannels(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			cs, st, err := decodeBytes(t, "capture", tt.file, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := cycleLines(cs); got != want {
				t.Errorf("cycles:\n%s\nwant:\n%s", got, want)
			}
			if st.Clocks != int64(len(w)) {
				t.Errorf("%d LCLK edges, want %d", st.Clocks, len(w))
			}
		})
	}
}

// TestSRInfo checks the metadata the .sr reader reports.
func TestSRInfo(t *testing.T) {
	w := sampleWave()
	src, err := openBytes(w.sr(t, srOptions{unitsize: 2, rate: "31.5 kHz"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	info := src.Info()
	if info.Samples != int64(len(w.samples())) || info.Map[LCLK] != 4 || info.Format != "sigrok .sr v2" {
		t.Errorf("info = %+v", info)
	}
	if got := 1 / info.TickSeconds; got < 31499 || got > 31501 {
		t.Errorf("samplerate = %v Hz, want 31500", got)
	}
}

func TestTimescale(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{{"1ns", 1e-9}, {"10 ps", 10e-12}, {"100us", 100e-6}, {"1 s", 1}, {"1fs", 1e-15}}
	for _, tt := range tests {
		got, err := parseTimescale(tt.in)
		if err != nil || got < tt.want*0.999 || got > tt.want*1.001 {
			t.Errorf("parseTimescale(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := parseTimescale("3 parsecs"); err == nil {
		t.Error("parseTimescale accepted a bad unit")
	}
}

func TestBadInput(t *testing.T) {
	w := sampleWave()
	good := w.sr(t, srOptions{})
	corrupt := bytes.Clone(good)
	// Flip bytes in the middle of the archive: the deflated logic data.
	for i := len(corrupt) / 3; i < len(corrupt)/2; i++ {
		corrupt[i] ^= 0x55
	}
	vcd := string(w.vcd(vcdOptions{}))
	tests := []struct {
		name string
		file []byte
		o    string
		want string // part of the error
	}{
		{"empty", nil, "", "bad: not a capture: the file is empty (0 bytes); want a sigrok session file (.sr"},
		{"truncated zip", good[:len(good)/2], "", "not a readable .sr"},
		{"corrupt zip", corrupt, "", "corrupt deflate data at byte"},
		{"unitsize mismatch", w.sr(t, srOptions{unitsize: 2, chunk: 5, metaUnit: 3}), "", "not a whole number of 3-byte units"},
		{"wrong channel names", w.sr(t, srOptions{names: []string{"a", "b", "c", "d", "e", "f", "g", "h"}}), "", "no channel for lad0"},
		{"override to missing channel", good, "lclk=99", "no channel named \"99\""},
		{"vcd truncated header", []byte(vcd[:len(vcd)/10]), "", "file ends"},
		{"not a capture", []byte("hello world"), "", "bad: not a capture: it holds text starting \"hello world\"; want a sigrok session file"},
		{"vcd bad timestamp", []byte(strings.Replace(vcd, "\n#10\n", "\n#1x0\n", 1)), "", "bad timestamp"},
		{"vcd back in time", []byte(vcd + "#5\n1%\n"), "", "goes back in time"},
		{"vcd undeclared id", []byte(vcd + "#999999\n1Q\n"), "", "undeclared identifier"},
		{"vcd bad value", []byte(vcd + "#999999\nb10q2 !\n"), "", "bad value"},
		{"vcd gzip truncated", func() []byte { z := gzipped(t, []byte(vcd)); return z[:len(z)/2] }(), "", "unexpected EOF"},
		{"vcd vector without id", []byte(vcd + "#999999\nb1010"), "", "file ends while reading the id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseChannels(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = decodeBytes(t, "bad", tt.file, o)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if tt.o == "" && !strings.Contains(tt.name, "channel") && !errors.Is(err, ErrFormat) {
				t.Errorf("error %q does not wrap ErrFormat", err)
			}
		})
	}
}

// TestOpenFormat checks that Open picks the reader by the file's content
// first and by its name second, and that a file neither fits is refused
// with what it looks like and what is accepted.
func TestOpenFormat(t *testing.T) {
	w := sampleWave()
	sr, vcd := w.sr(t, srOptions{}), w.vcd(vcdOptions{})
	accepted := "want a sigrok session file (.sr, a zip archive"
	tests := []struct {
		name string
		file []byte
		want []string // parts of the error; none: the capture decodes
	}{
		{"capture", sr, nil},
		{"capture.vcd", sr, nil},
		{"capture.sr", vcd, nil},
		{"capture.txt", append([]byte("\n\n  "), vcd...), nil},
		{"capture.gz", gzipped(t, vcd), nil},
		{"empty.sr", nil, []string{"empty.sr: not a capture: the file is empty (0 bytes); " + accepted}},
		{"empty.vcd", nil, []string{"empty.vcd: not a capture: the file is empty (0 bytes)", accepted}},
		{"junk.sr", []byte("hello world\nsecond line"), []string{"junk.sr: not a capture: it holds text starting \"hello world\"; it is named .sr, but a sigrok session file is a zip archive (starting with PK)", accepted}},
		{"junk.sr", []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []string{"junk.sr: not a capture: it holds binary data starting 00 01 02 03 04 05 06 07;", accepted}},
		{"blank", []byte("\n \n"), []string{"blank: not a capture: it starts with blank space only", accepted}},
		{"junk.gz", gzipped(t, []byte("hello")), []string{"junk.gz: not a capture: gzip-compressed, and inside it holds text starting \"hello\"", accepted}},
		{"junk.vcd.gz", gzipped(t, []byte("hello")), []string{"junk.vcd.gz:1: unexpected \"hello\" in the VCD header"}},
		// The name settles what the content does not: a .vcd file goes to
		// the VCD reader, which says at which line it goes wrong, and a
		// damaged zip named .sr to the .sr reader, which says where it breaks.
		{"junk.vcd", []byte("hello world"), []string{"junk.vcd:1: unexpected \"hello\" in the VCD header"}},
		{"damaged.sr", []byte("PK this is no zip"), []string{"not a readable .sr (zip) file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, _, err := decodeBytes(t, tt.name, tt.file, nil)
			if tt.want == nil {
				if err != nil || len(cs) != 4 {
					t.Fatalf("decoded %d cycles, %v; want 4", len(cs), err)
				}
				return
			}
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// TestSRSamplerate: a session file without a usable rate opens with the rate
// unknown (ticks are then sample numbers); a rate that is no number is refused.
func TestSRSamplerate(t *testing.T) {
	w := sampleWave()
	for _, rate := range []string{"0 Hz", "0"} {
		src, err := openBytes(w.sr(t, srOptions{rate: rate}), nil)
		if err != nil {
			t.Fatalf("samplerate=%s: %v", rate, err)
		}
		if info := src.Info(); info.TickSeconds != 0 {
			t.Errorf("samplerate=%s: TickSeconds = %v, want 0 (unknown)", rate, info.TickSeconds)
		}
		src.Close()
	}
	_, err := openBytes(w.sr(t, srOptions{rate: "fast"}), nil)
	if want := `metadata samplerate "fast": want a rate such as "24 MHz"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("samplerate=fast: error %v, want %q", err, want)
	}
}

// TestChannelScope: a scope the capture does not have is refused by name,
// with the scopes the capture has.
func TestChannelScope(t *testing.T) {
	w := sampleWave()
	tests := []struct {
		name string
		file []byte
		spec string
		want string // part of the error; "" for none
	}{
		{"vcd scope", w.vcd(vcdOptions{}), "scope=lpc", ""},
		{"vcd no such scope", w.vcd(vcdOptions{}), "scope=nothere", `decode: --channels scope=nothere: the capture has no scope "nothere" (scopes: lpc)`},
		{"vcd scope prefix", w.vcd(vcdOptions{}), "scope=lp", `the capture has no scope "lp" (scopes: lpc)`},
		{"sr scope", w.sr(t, srOptions{}), "scope=module", "decode: --channels scope=module: the capture's channels have no scopes (channels: 0=lad0 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseChannels(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			src, err := openBytes(tt.file, o)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				src.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBadZipSaysWhere: an .sr file that is no readable zip gets an error
// that says at which byte offset the archive breaks and what to try.
func TestBadZipSaysWhere(t *testing.T) {
	good := sampleWave().sr(t, srOptions{})
	second := bytes.Index(good[4:], []byte("PK\x03\x04")) + 4
	end := bytes.LastIndex(good, []byte("PK\x05\x06"))
	if second < 4 || end < 0 {
		t.Fatal("test archive lacks a second entry or an end record")
	}
	badLocal := bytes.Clone(good)
	copy(badLocal[second:], "XXXX")
	badDir := bytes.Clone(good)
	binary.LittleEndian.PutUint32(badDir[end+16:], uint32(end+100))
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"garbage after PK", []byte("PK this is no zip at all, just text"), "byte 0 holds 50 4B 20 74, not a zip local header"},
		{"cut inside an entry", good[:second+20], fmt.Sprintf("the local header at byte %d is cut off by the end of the %d-byte file", second, second+20)},
		{"end record cut off", good[:len(good)-10], fmt.Sprintf("no end-of-central-directory record (50 4B 05 06) in the last %d bytes of the %d-byte file (expected at byte %d)", len(good)-10, len(good)-10, len(good)-32)},
		{"bad second local header", badLocal, fmt.Sprintf("after 1 sound entry, byte %d holds 58 58 58 58", second)},
		{"central directory offset wrong", badDir, fmt.Sprintf("the end-of-central-directory record at byte %d puts the central directory at bytes %d-", end, end+100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeBytes(t, "bad.sr", tt.file, nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range []string{tt.want, "re-export it from PulseView"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error %q does not wrap ErrFormat", err)
			}
		})
	}
}
