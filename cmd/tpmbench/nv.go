package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"tpmbench/tis"
)

func init() { register(newNVCmd) }

// nvSubcommands are the children of "tpmbench nv". A file that adds one appends its
// constructor in its own init (package-level variables are set before any init runs).
var nvSubcommands = []func(*env) *cobra.Command{newNVListCmd}

func newNVCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nv",
		Short: "TPM non-volatile storage: list the defined indices, lock NV (TPM_NV_INDEX_LOCK)",
		Args:  cobra.NoArgs,
		RunE:  needSubcommand,
	}
	for _, sub := range nvSubcommands {
		cmd.AddCommand(sub(e))
	}
	return cmd
}

func newNVListCmd(e *env) *cobra.Command {
	var indicesOnly bool
	return reportCmd(e, reportView{use: "list [SCENARIO|file.yaml]",
		short: "List the defined NV indices as tpm_nvinfo does",
		long: `list probes the TPM and prints every defined NV index with its PCR selections, permissions,
flags and size, as tpm-tools' tpm_nvinfo prints them; -n prints only the indices, as
"tpm_nvinfo -n" does. TPM_NV_INDEX_LOCK (0xFFFFFFFF) never appears in the list: whether it has
been defined shows as nvLocked in "tpmbench flags". stdout is what tpm_nvinfo prints, which is
nothing (or only the -n heading) when no index is defined: list then says so on stderr.
--json prints the "nv_indices" member of the probe report (every index, -n or not).`,
		text: func(r *tis.Report, w io.Writer) error {
			if err := r.WriteNVInfo(w, indicesOnly); err != nil {
				return err
			}
			if len(r.NVIndices) == 0 {
				fmt.Fprintln(e.stderr, "no NV indices defined")
			}
			return nil
		},
		keys: []string{"nv_indices"},
		more: func(c *cobra.Command) {
			c.Flags().BoolVarP(&indicesOnly, "list-only", "n", false, "only list the defined indices")
		}})
}
