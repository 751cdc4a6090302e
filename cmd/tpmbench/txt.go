package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"tpmbench/tpm"
)

func init() { register(newTXTCmd) }

func newTXTCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "txt",
		Short: "Intel TXT registers: decode TXT.ERRORCODE",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTXTDecodeCmd(e))
	return cmd
}

func newTXTDecodeCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "decode VALUE",
		Short: "Decode a TXT.ERRORCODE value (0xFED30030) into its fields and known meaning",
		Long: `decode splits a TXT.ERRORCODE value, as tboot's log or txt-stat print it (hexadecimal, with
or without 0x), into its fields: valid (bit 31), external (30), reserved (29:25), minor error
code (24:16), software source (15), major error code (14:10), class code (9:4) and module type
(3:0: 0 BIOS ACM, 1 SINIT).

Class, major and minor codes are specific to the ACM that wrote them; where the error table of
that ACM family is public and the code is in tpmbench's table, the meaning and what to do are
printed too. 0xc0021041 from an Ivy Bridge SINIT means the TPM's NV is unlocked: run
"tpmbench nv lock".

Exit status: 0 when the value was decoded, 2 when it is not a 32-bit hexadecimal value.`,
		Example: "  tpmbench txt decode 0xc0021041",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := tpm.ParseTXTErrorCode(args[0])
			if err != nil {
				return usageErrorf("%v", err)
			}
			d := decodeTXT(v)
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
	return cmd
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
