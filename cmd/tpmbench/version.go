package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"tpmbench/tis"
)

func init() { register(newVersionCmd) }

// reportView is one view of a probe's report, for a command that probes and prints it.
type reportView struct {
	use, short, long string
	// text prints the view for a person (or as the tool it imitates prints it).
	text func(r *tis.Report, w io.Writer) error
	// keys are the members of the report's JSON that --json prints, after the TPM's identity;
	// the first must not be null (the probe got that far).
	keys []string
	// more adds the command's own flags.
	more func(*cobra.Command)
}

// identityKeys are the members of the report's JSON that say which TPM a view is about.
var identityKeys = []string{"family", "locality", "did_vid", "vendor", "device"}

// reportCmd builds a command that probes, then prints one view of the report: as text, or with
// --json as a subset of the probe report's JSON (the same names and value forms). A failed probe
// prints its report and diagnosis on stderr and exits 1.
func reportCmd(e *env, v reportView) *cobra.Command {
	var f targetFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   v.use,
		Short: v.short,
		Long:  v.long,
		Args:  scenarioArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := f.options(args)
			if err != nil {
				return err
			}
			s, err := openSession(e, &f, opts, e.stderr)
			if err != nil {
				return err
			}
			defer s.close()
			if asJSON {
				err = writeReportJSON(e.stdout, s.res.Report, v.keys)
			} else {
				err = v.text(s.res.Report, e.stdout)
			}
			if err != nil {
				s.res.WriteText(e.stderr)
				return benchErrorf("%v", err)
			}
			return nil
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: the TPM's identity and this view's members of the probe report (the names of probe --json)")
	if v.more != nil {
		v.more(cmd)
	}
	return cmd
}

// writeReportJSON prints the identity and the given members of the report's JSON, in that
// order. The first of keys must not be null: the probe got that far.
func writeReportJSON(w io.Writer, r *tis.Report, keys []string) error {
	full, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("tis report as JSON: %w", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(full, &members); err != nil {
		return fmt.Errorf("tis report as JSON: %w", err)
	}
	if len(keys) > 0 && string(members[keys[0]]) == "null" {
		return fmt.Errorf("the report has no %s: the probe did not get that far, or the TPM refused it", keys[0])
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range append(slices.Clip(identityKeys), keys...) {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		b.Write(members[k])
	}
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return fmt.Errorf("tis report as JSON: %w", err)
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

func newVersionCmd(e *env) *cobra.Command {
	return reportCmd(e, reportView{use: "version [SCENARIO|file.yaml]",
		short: "Print the TPM's version information as tpm_version does",
		long: `version probes the TPM (as "tpmbench probe" does) and prints what tpm-tools' tpm_version
prints, field for field: chip version, spec level, errata revision, TPM vendor ID, vendor
specific data, TPM version and manufacturer info. For a TPM 2.0 it prints the equivalent fixed
properties. --json prints the "version" member of the probe report.`,
		text: func(r *tis.Report, w io.Writer) error { return r.WriteVersion(w) },
		keys: []string{"version"}})
}
