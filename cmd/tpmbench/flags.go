package main

import (
	"io"

	"github.com/spf13/cobra"

	"tpmbench/tis"
)

func init() { register(newFlagsCmd) }

func newFlagsCmd(e *env) *cobra.Command {
	return reportCmd(e, reportView{use: "flags [SCENARIO|file.yaml]",
		short: "Print the TPM's permanent and volatile flags",
		long: `flags probes the TPM and prints TPM_PERMANENT_FLAGS and TPM_STCLEAR_FLAGS (TPM 1.2) or the
TPM_PT_PERMANENT and TPM_PT_STARTUP_CLEAR attributes (TPM 2.0), one per line, then whether the
TPM is enabled, active, owned and NV locked (nvLocked: whether TPM_NV_INDEX_LOCK has been defined).
--json prints those members of the probe report.`,
		text: func(r *tis.Report, w io.Writer) error { return r.WriteFlags(w) },
		keys: []string{"permanent_flags", "volatile_flags", "enabled", "active", "temp_deactivated", "owned", "nv_locked"}})
}
