package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"tpmbench/tis/devmem"
	"tpmbench/tpm"
)

func init() { register(newTXTCmd) }

func newTXTCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "txt",
		Short: "Intel TXT registers: decode TXT.ERRORCODE",
		Args:  cobra.NoArgs,
		RunE:  needSubcommand,
	}
	cmd.AddCommand(newTXTDecodeCmd(e))
	return cmd
}

// openTXTSpace maps the TXT public space of the running machine; tests replace it.
var openTXTSpace = func() (*devmem.TXTSpace, error) { return devmem.OpenTXT(devmem.HostSystem()) }

func newTXTDecodeCmd(e *env) *cobra.Command {
	var asJSON, mmio bool
	cmd := &cobra.Command{
		Use:   "decode {VALUE | --mmio}",
		Short: "Decode a TXT.ERRORCODE value (0xFED30030) into its fields and known meaning",
		Long: `decode splits a TXT.ERRORCODE value, as tboot's log or txt-stat print it (hexadecimal, with
or without 0x), into its fields: valid (bit 31), external (30), reserved (29:25), minor error
code (24:16), software source (15), major error code (14:10), class code (9:4) and module type
(3:0: 0 BIOS ACM, 1 SINIT).

Class, major and minor codes are specific to the ACM that wrote them; where the error table of
that ACM family is public and the code is in tpmbench's table, the meaning and what to do are
printed too. 0xc0021041 from an Ivy Bridge SINIT means the TPM's NV is unlocked: run
"tpmbench nv lock".

--mmio reads the value from this machine instead: it maps the TXT public space page
(0xFED30000-0xFED30FFF) read-only from /dev/mem and reads TXT.ERRORCODE, and the low halves of
TXT.STS and TXT.ESTS, with single 32-bit loads; nothing is written. It needs root and a kernel
that is not locked down; a TPM driver does not matter. TXT.ERRORCODE survives a warm reset, so
run it after the reboot that followed a failed launch.

Exit status: 0 when the value was decoded, 1 when --mmio could not read the registers, 2 when
VALUE is not a 32-bit hexadecimal value.`,
		Example: "  tpmbench txt decode 0xc0021041\n  sudo tpmbench txt decode --mmio",
		Args: func(cmd *cobra.Command, args []string) error {
			if mmio {
				if len(args) > 0 {
					return argError(cmd, "--mmio reads the value from the machine; drop the argument %q", args[0])
				}
				return nil
			}
			return needOne("txt decode needs a TXT.ERRORCODE VALUE (hex, e.g. 0xc0021041) or --mmio")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var d txtDecoded
			if mmio {
				regs, err := readTXT()
				if err != nil {
					return err
				}
				d = decodeTXT(tpm.TXTErrorCode(regs.errorCode))
				d.MMIO = regs.describe()
			} else {
				v, err := tpm.ParseTXTErrorCode(args[0])
				if err != nil {
					return usageErrorf("%v", err)
				}
				d = decodeTXT(v)
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(d)
			}
			d.writeText(e.stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the fields as JSON")
	cmd.Flags().BoolVar(&mmio, "mmio", false, "read TXT.ERRORCODE from this machine: map the TXT page 0xFED30000 read-only from /dev/mem (root)")
	return cmd
}

// txtRegisters are the TXT registers --mmio reads.
type txtRegisters struct{ sts, ests, errorCode uint32 }

// readTXT maps the TXT page, reads the three registers and unmaps it.
func readTXT() (txtRegisters, error) {
	t, err := openTXTSpace()
	if err != nil {
		return txtRegisters{}, benchErrorf("%v", err)
	}
	defer t.Close()
	var r txtRegisters
	for _, read := range []struct {
		dst *uint32
		fn  func() (uint32, error)
	}{{&r.sts, t.Status}, {&r.ests, t.ErrorStatus}, {&r.errorCode, t.ErrorCode}} {
		if *read.dst, err = read.fn(); err != nil {
			return txtRegisters{}, benchErrorf("%v", err)
		}
	}
	if r.sts == 0xFFFFFFFF && r.ests == 0xFFFFFFFF && r.errorCode == 0xFFFFFFFF {
		return txtRegisters{}, benchErrorf("txt: TXT.STS, TXT.ESTS and TXT.ERRORCODE at %#x all read 0xffffffff: "+
			"nothing answers there, so this processor or chipset has no TXT or firmware disabled it; there is no error code to decode",
			devmem.TXTBase)
	}
	return r, nil
}

// txtBit is one status bit --mmio names.
type txtBit struct {
	bit     uint
	name    string
	meaning string
}

// Bits as coreboot's TXT register header names them (Intel TXT Software Development Guide,
// appendix B, and the TXT lab handout for WAKE_ERROR.STS).
var (
	txtSTSBits = []txtBit{
		{0, "SENTER.DONE", "a measured launch (GETSEC[SENTER]) completed"},
		{1, "SEXIT.DONE", "the measured environment was left (GETSEC[SEXIT])"},
	}
	txtESTSBits = []txtBit{
		{0, "TXT_RESET.STS", "a TXT reset happened; TXT.ERRORCODE holds its cause"},
		{6, "WAKE_ERROR.STS", "the platform reset while a measured environment was running: secrets may remain in memory and the BIOS ACM must scrub it (SCLEAN)"},
	}
)

// txtMMIO is what --mmio read besides TXT.ERRORCODE.
type txtMMIO struct {
	Address string   `json:"address"`  // physical address of the page read
	STS     string   `json:"sts"`      // TXT.STS, low 32 bits
	STSSet  []string `json:"sts_set"`  // named bits set in TXT.STS
	ESTS    string   `json:"ests"`     // TXT.ESTS, low 32 bits
	ESTSSet []string `json:"ests_set"` // named bits set in TXT.ESTS
	notes   []string // meanings of the set bits, for the text report
}

func (r txtRegisters) describe() *txtMMIO {
	m := &txtMMIO{Address: fmt.Sprintf("%#x", devmem.TXTBase), STS: fmt.Sprintf("0x%08x", r.sts),
		ESTS: fmt.Sprintf("0x%08x", r.ests), STSSet: []string{}, ESTSSet: []string{}}
	for _, b := range txtSTSBits {
		if r.sts&(1<<b.bit) != 0 {
			m.STSSet = append(m.STSSet, b.name)
			m.notes = append(m.notes, b.name+": "+b.meaning)
		}
	}
	for _, b := range txtESTSBits {
		if r.ests&(1<<b.bit) != 0 {
			m.ESTSSet = append(m.ESTSSet, b.name)
			m.notes = append(m.notes, b.name+": "+b.meaning)
		}
	}
	return m
}

func (m *txtMMIO) writeText(w io.Writer) {
	fmt.Fprintf(w, "read from %s (TXT public space, mapped read-only):\n", m.Address)
	fmt.Fprintln(w, strings.TrimRight("  TXT.STS  "+m.STS+"  "+strings.Join(m.STSSet, " "), " "))
	fmt.Fprintln(w, strings.TrimRight("  TXT.ESTS "+m.ESTS+"  "+strings.Join(m.ESTSSet, " "), " "))
	for _, n := range m.notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
}

// txtDecoded is the JSON form of a decoded TXT.ERRORCODE.
type txtDecoded struct {
	Value          string `json:"value"`
	Valid          bool   `json:"valid"`
	External       bool   `json:"external"`
	Reserved       uint32 `json:"reserved"`
	Minor          uint32 `json:"minor"`
	SoftwareSource bool   `json:"software_source"`
	Major          uint32 `json:"major"`
	Class          uint32 `json:"class"`
	ModuleType     uint32 `json:"module_type"`
	Module         string `json:"module"`
	Source         string `json:"source"`
	// ProcessorCode is bits 29:0 of a processor-induced error (valid, not external).
	ProcessorCode *uint32         `json:"processor_code"`
	Meaning       *tpm.TXTMeaning `json:"meaning"`
	// MMIO holds the other registers --mmio read; nil for a value given on the command line.
	MMIO *txtMMIO `json:"mmio,omitempty"`
}

func decodeTXT(v tpm.TXTErrorCode) txtDecoded {
	d := txtDecoded{
		Value: v.String(), Valid: v.Valid(), External: v.External(), Reserved: v.Reserved(),
		Minor: v.Minor(), SoftwareSource: v.SoftwareSource(), Major: v.Major(), Class: v.Class(),
		ModuleType: v.ModuleType(), Module: v.ModuleName(), Source: v.Source(),
	}
	if v.Valid() && !v.External() {
		pc := v.ProcessorCode()
		d.ProcessorCode = &pc
	}
	if m, ok := v.Meaning(); ok {
		d.Meaning = &m
	}
	return d
}

func (d txtDecoded) writeText(w io.Writer) {
	if d.MMIO != nil {
		d.MMIO.writeText(w)
	}
	fmt.Fprintf(w, "TXT.ERRORCODE %s\n", d.Value)
	field := func(name, bits, value, text string) {
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-16s %-6s %-6s %s", name, bits, value, text), " "))
	}
	field("field", "bits", "value", "")
	field("valid", "31", fmt.Sprint(b2i(d.Valid)), pick(d.Valid, "an error is recorded", "no error is recorded"))
	field("external", "30", fmt.Sprint(b2i(d.External)), pick(d.External, "written by software", "induced by the processor"))
	field("reserved", "29:25", fmt.Sprintf("0x%02x", d.Reserved), "")
	field("minor", "24:16", fmt.Sprintf("0x%03x", d.Minor), "")
	field("software source", "15", fmt.Sprint(b2i(d.SoftwareSource)), pick(d.SoftwareSource, "other software (MLE or loader)", "an ACM"))
	field("major", "14:10", fmt.Sprintf("0x%02x", d.Major), "")
	field("class", "9:4", fmt.Sprintf("0x%02x", d.Class), "")
	field("module type", "3:0", fmt.Sprintf("0x%x", d.ModuleType), d.Module)
	fmt.Fprintf(w, "source: %s\n", d.Source)
	switch {
	case !d.Valid:
		fmt.Fprintln(w, "meaning: the register holds no error (a failed launch sets bit 31)")
	case d.ProcessorCode != nil:
		fmt.Fprintf(w, "meaning: processor error type 0x%x (bits 29:0); the ACM fields above do not apply.\n", *d.ProcessorCode)
		fmt.Fprintln(w, "  Look the type up in the processor's TXT documentation; a processor error often has a cause")
		fmt.Fprintln(w, "  outside the TXT and TPM configuration (the loader, the memory map).")
	case d.Meaning != nil:
		m := d.Meaning
		fmt.Fprintf(w, "meaning (%s error table):\n", m.ACM)
		fmt.Fprintf(w, "  class 0x%x: %s\n", d.Class, m.Class)
		fmt.Fprintf(w, "  major 0x%x: %s\n", d.Major, m.Major)
		if m.Minor != "" {
			fmt.Fprintf(w, "  minor 0x%x: %s\n", d.Minor, m.Minor)
		}
		fmt.Fprintf(w, "  These codes are specific to the %s; another ACM family may use them for something else.\n", m.ACM)
		fmt.Fprintf(w, "what to do: %s\n", m.Advice)
		if m.Command != "" {
			fmt.Fprintf(w, "  %s\n", m.Command)
		}
	case d.SoftwareSource:
		fmt.Fprintln(w, "meaning: written by software other than an ACM; its own documentation defines the other fields.")
	default:
		fmt.Fprintf(w, "meaning: not in tpmbench's table. Class, major and minor codes are specific to the ACM family:\n")
		fmt.Fprintf(w, "  look up class 0x%x, major 0x%x in the error table published with this %s.\n", d.Class, d.Major, d.Module)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
