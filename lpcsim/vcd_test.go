package lpcsim_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/decode"
	"tpmbench/lpcsim/tisdev"
)

// recordVCD runs ops on a bench with a VCD attached and returns the VCD's
// path and the host's record of every cycle.
func recordVCD(t *testing.T, cfg lpcsim.Config, ops func(h *lpcsim.Host, rec func())) (string, []lpcsim.Cycle) {
	t.Helper()
	b, err := lpcsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bus.vcd")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := b.AttachVCD(f)
	var cycles []lpcsim.Cycle
	b.Idle(2)
	ops(b.Host, func() { cycles = append(cycles, b.Host.Last()) })
	b.Idle(4)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	return path, cycles
}

var decodeKind = map[[2]any]decode.Kind{
	{lpcsim.KindIO, false}: decode.IORead, {lpcsim.KindIO, true}: decode.IOWrite,
	{lpcsim.KindMem, false}: decode.MemRead, {lpcsim.KindMem, true}: decode.MemWrite,
	{lpcsim.KindFWH, false}: decode.FWRead, {lpcsim.KindFWH, true}: decode.FWWrite,
	{lpcsim.KindTPM, false}: decode.TPMRead, {lpcsim.KindTPM, true}: decode.TPMWrite,
}

// TestVCDDecodes checks the waveform against the project's own capture
// decoder: every cycle the host drove comes back with its kind, address,
// data, waits and ending.
func TestVCDDecodes(t *testing.T) {
	io := &lpcsim.ScratchIO{Base: 0x80, Regs: []uint8{0x11, 0x22}, Wait: 3}
	cfg := lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(tisdev.SLB9635(), nil), Board: []lpcsim.Target{io}}
	path, want := recordVCD(t, cfg, func(h *lpcsim.Host, rec func()) {
		h.IOWrite(0x81, 0x5A)
		rec()
		h.IORead(0x81)
		rec()
		for a := uint16(0xF00); a < 0xF04; a++ {
			h.TPMRead(a)
			rec()
		}
		h.TPMWrite(0x0000, 0x02)
		rec()
		h.MemRead(0xFFFF0010) // nobody answers: abort
		rec()
		h.FWHWrite(0, 0x123456, 0xA5) // nobody answers: abort
		rec()
	})
	got, _, err := decode.DecodeFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cycles []*decode.Cycle
	for _, c := range got {
		if c.Kind != decode.Abort && c.Kind != decode.Reset {
			cycles = append(cycles, c)
		}
	}
	if len(cycles) != len(want) {
		t.Fatalf("decoder found %d cycles, host drove %d", len(cycles), len(want))
	}
	for i, w := range want {
		c := cycles[i]
		aborted := c.Status == decode.Aborted
		var data uint8
		if len(c.Data) > 0 {
			data = c.Data[0]
		}
		wantData := w.Data
		if w.Status.Aborted() && !w.Write {
			data, wantData = 0, 0 // an aborted read moved no data on the wire
		}
		if c.Kind != decodeKind[[2]any{w.Kind, w.Write}] || c.Addr != w.Addr || aborted != w.Status.Aborted() ||
			(!aborted && (data != wantData || c.Waits != w.Waits)) {
			t.Errorf("cycle %d: decoded %v addr %#x data %#x waits %d %v; host drove %v", i, c.Kind, c.Addr, data, c.Waits, c.Status, w)
		}
	}
}

// TestSigrokDecodesIOReads runs sigrok-cli's lpc decoder on a waveform of
// plain I/O reads. That decoder reads START one clock late (it consumes the
// first clock after LFRAME# rises as START), so every field it prints is
// one nibble later than on the wire: the address it shows is
// addr<<4|TAR0 (0xF) and its data byte is the real high nibble with the
// turn-around's 1111 above it. The test checks that sigrok finds each cycle
// and that its fields match the simulator's under that known shift.
func TestSigrokDecodesIOReads(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("set TPMBENCH_INTEGRATION=1 to run sigrok-cli")
	}
	sigrok, err := exec.LookPath("sigrok-cli")
	if err != nil {
		t.Fatalf("TPMBENCH_INTEGRATION=1 but sigrok-cli is missing (apt-get install sigrok-cli): %v", err)
	}
	io := &lpcsim.ScratchIO{Base: 0x3F8, Regs: []uint8{0x60, 0x73, 0xBF, 0x5B, 0x2C, 0x0D, 0xE1, 0x48}}
	path, want := recordVCD(t, lpcsim.Config{Profile: lpcsim.APU, Board: []lpcsim.Target{io}}, func(h *lpcsim.Host, rec func()) {
		for p := uint16(0x3F8); p < 0x400; p++ {
			h.IORead(p)
			rec()
		}
	})
	out, err := exec.Command(sigrok, "-I", "vcd", "-i", path,
		"-P", "lpc:lclk=LCLK:lframe=LFRAME#:lad0=LAD0:lad1=LAD1:lad2=LAD2:lad3=LAD3", "-A", "lpc").CombinedOutput()
	if err != nil {
		t.Fatalf("sigrok-cli: %v\n%s", err, out)
	}
	addrRE := regexp.MustCompile(`Address: 0x([0-9a-f]+)`)
	dataRE := regexp.MustCompile(`DATA: 0x([0-9a-f]+)`)
	var addrs, datas []uint64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.ParseUint(m[1], 16, 32)
			addrs = append(addrs, v)
		}
		if m := dataRE.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.ParseUint(m[1], 16, 8)
			datas = append(datas, v)
		}
	}
	if len(addrs) != len(want) || len(datas) != len(want) {
		t.Fatalf("sigrok found %d addresses and %d data bytes for %d cycles:\n%s", len(addrs), len(datas), len(want), out)
	}
	for i, w := range want {
		wantAddr := uint64(w.Addr)<<4&0xFFFF | 0xF
		wantData := uint64(0xF0 | w.Data>>4)
		if addrs[i] != wantAddr || datas[i] != wantData {
			t.Errorf("cycle %d (%v): sigrok address %#x data %#x, want %#x %#x (one-nibble shift)", i, w, addrs[i], datas[i], wantAddr, wantData)
		}
	}
	if t.Failed() {
		fmt.Fprintf(os.Stderr, "sigrok output:\n%s", out)
	}
}

// TestGTKWaveReadsVCD converts a waveform with GTKWave's vcd2fst and back
// with fst2vcd, and checks that every timestamp survives.
func TestGTKWaveReadsVCD(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("set TPMBENCH_INTEGRATION=1 to run GTKWave's vcd2fst")
	}
	for _, tool := range []string{"vcd2fst", "fst2vcd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("TPMBENCH_INTEGRATION=1 but %s is missing (apt-get install gtkwave): %v", tool, err)
		}
	}
	cfg := lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(tisdev.SLB9635(), nil), SerIRQ: lpcsim.SerIRQContinuous}
	path, _ := recordVCD(t, cfg, func(h *lpcsim.Host, rec func()) {
		h.Read32(0xF00)
		h.Write8(0x000, 0x02)
	})
	fst := path + ".fst"
	if out, err := exec.Command("vcd2fst", path, fst).CombinedOutput(); err != nil {
		t.Fatalf("vcd2fst: %v\n%s", err, out)
	}
	back, err := exec.Command("fst2vcd", fst).Output()
	if err != nil {
		t.Fatalf("fst2vcd: %v", err)
	}
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stamps := regexp.MustCompile(`(?m)^#\d+$`)
	if a, b := len(stamps.FindAll(orig, -1)), len(stamps.FindAll(back, -1)); a != b || a < 100 {
		t.Errorf("our VCD has %d timestamps, GTKWave's round trip %d", a, b)
	}
	for _, name := range []string{"LFRAME#", "mod_LAD3", "SERIRQ"} {
		if !bytes.Contains(back, []byte(" "+name+" $end")) {
			t.Errorf("GTKWave's round trip lost the variable %s", name)
		}
	}
}
