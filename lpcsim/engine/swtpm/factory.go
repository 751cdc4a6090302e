package swtpm

import (
	"context"
	"fmt"

	"tpmbench/tpm"
)

// CreateFactoryState makes a TPM 1.2 state directory in the TCG factory
// state (disabled, deactivated, command physical presence not enabled, no
// owner, no NV index), the state a board ships in. libtpms creates new
// states enabled and active, so this starts swtpm on a fresh state and sends
// what a BIOS would to turn the TPM off: TSC_PhysicalPresence(CMD_ENABLE),
// TSC_PhysicalPresence(PRESENT), TPM_PhysicalSetDeactivated(TRUE),
// TPM_PhysicalDisable, TSC_PhysicalPresence(CMD_DISABLE). cfg.StateDir,
// cfg.SaveDir and cfg.TPM2 are ignored; the state files are written to dir.
func CreateFactoryState(ctx context.Context, cfg Config, dir string) error {
	cfg.StateDir, cfg.SaveDir, cfg.TPM2 = "", dir, false
	e, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	for _, c := range [][]byte{
		tpm.Startup(tpm.STClear),
		tpm.TSCPhysicalPresence(tpm.PPCMDEnable), tpm.TSCPhysicalPresence(tpm.PPPresent),
		tpm.PhysicalSetDeactivated(true), tpm.PhysicalDisable(),
		tpm.TSCPhysicalPresence(tpm.PPCMDDisable),
	} {
		if err := e.run(c); err != nil {
			e.Close()
			return fmt.Errorf("swtpm: making the factory state: %w", err)
		}
	}
	return e.Close()
}

// run executes a command that must succeed.
func (e *Engine) run(cmd []byte) error {
	rsp, err := e.Execute(0, cmd)
	if err != nil {
		return err
	}
	r, err := tpm.ParseResponse(rsp)
	if err != nil {
		return err
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: %w", tpm.DescribeCommand(cmd), err)
	}
	return nil
}
