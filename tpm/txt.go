package tpm

import (
	"errors"
	"fmt"
	"strings"
)

// TXTErrorCodeAddr is the physical address of TXT.ERRORCODE in the TXT public
// configuration space (0xFED30000 + 0x30). Firmware, an authenticated code
// module (ACM) or the processor leave the reason of a failed measured launch
// there; it survives a warm reset.
const TXTErrorCodeAddr = 0xFED30030

// ErrTXTValue is wrapped by every error about text that is not a
// TXT.ERRORCODE value.
var ErrTXTValue = errors.New("not a TXT.ERRORCODE value")

// TXTErrorCode is the 32-bit TXT.ERRORCODE register. From the most
// significant bit: valid (31), external (30: 1 = written by software, 0 =
// by the processor), reserved (29:25), minor error code (24:16), software
// source (15: 0 = an ACM, 1 = other software), major error code (14:10),
// class code (9:4) and module type (3:0: 0 = BIOS ACM, 1 = SINIT).
// The field split below bit 30 holds for errors written by an ACM; a
// processor-induced error (external = 0) carries one code in bits 29:0.
type TXTErrorCode uint32

// Valid reports bit 31: the register holds an error.
func (e TXTErrorCode) Valid() bool { return e&(1<<31) != 0 }

// External reports bit 30: the error was written by software (an ACM or
// other code) rather than induced by the processor.
func (e TXTErrorCode) External() bool { return e&(1<<30) != 0 }

// Reserved returns bits 29:25.
func (e TXTErrorCode) Reserved() uint32 { return uint32(e) >> 25 & 0x1F }

// Minor returns the minor error code, bits 24:16.
func (e TXTErrorCode) Minor() uint32 { return uint32(e) >> 16 & 0x1FF }

// SoftwareSource reports bit 15: 0 when an ACM wrote the error, 1 when other
// software (the MLE, a pre-launch loader) did.
func (e TXTErrorCode) SoftwareSource() bool { return e&(1<<15) != 0 }

// Major returns the major error code, bits 14:10.
func (e TXTErrorCode) Major() uint32 { return uint32(e) >> 10 & 0x1F }

// Class returns the class code, bits 9:4 (the ACM's progress code: which
// group of checks failed).
func (e TXTErrorCode) Class() uint32 { return uint32(e) >> 4 & 0x3F }

// ModuleType returns bits 3:0: 0 for the BIOS ACM, 1 for SINIT.
func (e TXTErrorCode) ModuleType() uint32 { return uint32(e) & 0xF }

// ProcessorCode returns bits 29:0, the error type of a processor-induced
// error (external = 0).
func (e TXTErrorCode) ProcessorCode() uint32 { return uint32(e) & 0x3FFFFFFF }

// ModuleName names the module type: "BIOS ACM", "SINIT" or "reserved (0xN)".
func (e TXTErrorCode) ModuleName() string {
	switch e.ModuleType() {
	case 0:
		return "BIOS ACM"
	case 1:
		return "SINIT"
	}
	return fmt.Sprintf("reserved (%#x)", e.ModuleType())
}

// Source says who wrote the error, as a phrase for reports.
func (e TXTErrorCode) Source() string {
	switch {
	case !e.Valid():
		return "none: the valid bit is clear, no error was recorded"
	case !e.External():
		return "the processor"
	case e.SoftwareSource():
		return "software other than an ACM (the MLE or its loader)"
	}
	return "an authenticated code module (" + e.ModuleName() + ")"
}

// TXTMeaning is the published meaning of one ACM error: which ACM family's
// error table it comes from, what class and major code mean, and what to do.
type TXTMeaning struct {
	ACM    string `json:"acm"`    // the ACM family whose error table gives this meaning
	Class  string `json:"class"`  // meaning of the class code
	Major  string `json:"major"`  // meaning of the major code
	Minor  string `json:"minor"`  // meaning of the minor code, "" when unknown
	Advice string `json:"advice"` // what to do about it
	// Command is a tpmbench command line that fixes or checks the cause, "" when none.
	Command string `json:"command,omitempty"`
}

// txtKey identifies an ACM error in a published table.
type txtKey struct{ module, class, major uint32 }

// txtMeanings are the ACM errors whose meaning is public. Class and major
// codes are specific to an ACM family; only the entries below are known to
// the tool.
var txtMeanings = map[txtKey]TXTMeaning{
	{module: 1, class: 0x4, major: 0x4}: {
		ACM:   "Ivy Bridge SINIT",
		Class: "TPM access",
		Major: "TPM NV is unlocked (TPM_PERMANENT_FLAGS.nvLocked is FALSE: TPM_NV_INDEX_LOCK was never defined)",
		Advice: "SINIT refuses to launch while the TPM does not enforce NV authorization. Define " +
			"TPM_NV_INDEX_LOCK (index 0xFFFFFFFF, size 0) once, which sets nvLocked for good, then launch again.",
		Command: "tpmbench nv lock --yes",
	},
}

// txtMinorMeanings are the minor codes the same tables document, by ACM
// family; used only together with a known class and major code.
var txtMinorMeanings = map[string]map[uint32]string{
	"Ivy Bridge SINIT": {0x2: "fatal, TPM specific"},
}

// Meaning returns the published meaning of an ACM-written error, and false
// when the register holds no ACM error or its codes are not in the tool's
// table.
func (e TXTErrorCode) Meaning() (TXTMeaning, bool) {
	if !e.Valid() || !e.External() || e.SoftwareSource() {
		return TXTMeaning{}, false
	}
	m, ok := txtMeanings[txtKey{e.ModuleType(), e.Class(), e.Major()}]
	if ok {
		m.Minor = txtMinorMeanings[m.ACM][e.Minor()]
	}
	return m, ok
}

// String formats the register as tboot and the TXT specification print it:
// "0xc0021041".
func (e TXTErrorCode) String() string { return fmt.Sprintf("0x%08x", uint32(e)) }

// ParseTXTErrorCode reads a TXT.ERRORCODE value written in hexadecimal, with
// or without a 0x prefix, as tboot logs and txt-stat print it
// ("0xc0021041", "C0021041"). Surrounding blanks are ignored. Errors wrap
// ErrTXTValue and name the byte offset of the fault.
func ParseTXTErrorCode(s string) (TXTErrorCode, error) {
	t := strings.TrimLeft(s, " \t\r\n")
	off := len(s) - len(t)
	t = strings.TrimRight(t, " \t\r\n")
	if len(t) >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		t, off = t[2:], off+2
	}
	if t == "" {
		return 0, fmt.Errorf("tpm: TXT.ERRORCODE %q: no hex digits: %w", s, ErrTXTValue)
	}
	var v uint64
	for i := 0; i < len(t); i++ {
		d, ok := hexDigit(t[i])
		if !ok {
			return 0, fmt.Errorf("tpm: TXT.ERRORCODE %q: byte %d (%q) is not a hex digit: %w", s, off+i, t[i], ErrTXTValue)
		}
		v = v<<4 | uint64(d)
		if v > 0xFFFFFFFF {
			return 0, fmt.Errorf("tpm: TXT.ERRORCODE %q: more than 32 bits at byte %d: %w", s, off+i, ErrTXTValue)
		}
	}
	return TXTErrorCode(v), nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
