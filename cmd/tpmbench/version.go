package main

import (
	"io"

	"github.com/spf13/cobra"

	"tpmbench/tis"
)

func init() { register(newVersionCmd) }

// reportCmd builds a command that probes, then prints one view of the report. A failed probe
// prints its report and diagnosis on stderr and exits 1.
func reportCmd(e *env, use, short, long string, print func(r *tis.Report, w io.Writer) error, more func(*cobra.Command)) *cobra.Command {
	var f targetFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.MaximumNArgs(1),
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
			if err := print(s.res.Report, e.stdout); err != nil {
				s.res.WriteText(e.stderr)
				return benchErrorf("%v", err)
			}
			return nil
		},
	}
	f.add(cmd.Flags())
	if more != nil {
		more(cmd)
	}
	return cmd
}

func newVersionCmd(e *env) *cobra.Command {
	return reportCmd(e, "version [SCENARIO|file.yaml]",
		"Print the TPM's version information as tpm_version does",
		`version probes the TPM (as "tpmbench probe" does) and prints what tpm-tools' tpm_version
prints, field for field: chip version, spec level, errata revision, TPM vendor ID, vendor
specific data, TPM version and manufacturer info. For a TPM 2.0 it prints the equivalent fixed
properties.`,
		func(r *tis.Report, w io.Writer) error { return r.WriteVersion(w) }, nil)
}
