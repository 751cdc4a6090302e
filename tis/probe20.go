package tis

import (
	"encoding/binary"
	"errors"
	"fmt"

	"tpmbench/tpm"
)

// run20 is the TPM 2.0 sequence after detection, as Linux's tpm2_auto_startup does it:
// TPM2_SelfTest (TPM_RC_INITIALIZE means not started: Startup, then SelfTest again), then the
// fixed properties, the permanent and startup-clear attributes and the NV index handles.
func (p *prober) run20() error {
	started, err := p.startup20()
	if err != nil || !started || p.opts.SkipDetails {
		return err
	}
	if err := p.properties20(); err != nil {
		return err
	}
	if err := p.flags20(); err != nil {
		return err
	}
	return p.nvList20()
}

func (p *prober) startup20() (bool, error) {
	s := &StartupReport{Policy: p.opts.Startup.String(), Command: "TPM2_Startup(SU_CLEAR)"}
	p.r.Startup = s
	if p.opts.Startup == StartupAlways {
		if ok, err := p.issueStartup20(s); !ok || err != nil {
			return ok, err
		}
		return true, p.selfTest20()
	}
	rsp, err := p.send(tpm.SelfTest2(false))
	if err != nil {
		return false, err
	}
	s.ProbeCommand, s.ProbeResult = "TPM2_SelfTest", tpm.RC2(rsp.Code).String()
	if rc := rsp.Err(); rc != nil && errors.Is(rc, tpm.RC2Failure) {
		s.Unknown = true
		return false, failedTPM(s.ProbeCommand, rc)
	}
	if !errors.Is(rsp.Err(), tpm.RC2Initialize) {
		s.AlreadyStarted, s.Started = true, true
		p.selfTestResult20(rsp)
		return true, nil
	}
	if p.opts.Startup == StartupNever {
		p.r.Notes = append(p.r.Notes, "the TPM has not been started (TPM_RC_INITIALIZE) and --startup never forbids sending TPM2_Startup")
		return false, nil
	}
	// Linux's tpm2_auto_startup: the failed self-test is logged, then tpm2_startup says what
	// it does. (Only the 3.x TPM 1.2 driver says "Issuing TPM_STARTUP".)
	p.logf("A TPM error (%d) occurred attempting the self test", rsp.Code)
	p.logf("starting up the TPM manually")
	if ok, err := p.issueStartup20(s); !ok || err != nil {
		return ok, err
	}
	return true, p.selfTest20()
}

func (p *prober) issueStartup20(s *StartupReport) (bool, error) {
	rsp, err := p.send(tpm.Startup2(tpm.SUClear))
	if err != nil {
		return false, err
	}
	s.Issued = true
	s.Result = tpm.RC2(rsp.Code).String()
	switch rc := rsp.Err(); {
	case rc == nil:
		s.Started = true
	case errors.Is(rc, tpm.RC2Initialize):
		s.AlreadyStarted, s.Started = true, true
	default:
		p.logf("A TPM error (%d) occurred attempting to start the TPM", rsp.Code)
		return false, failedTPM("TPM2_Startup(SU_CLEAR)", rc)
	}
	return true, nil
}

func (p *prober) selfTest20() error {
	rsp, err := p.send(tpm.SelfTest2(false))
	if err != nil {
		return err
	}
	p.selfTestResult20(rsp)
	return nil
}

func (p *prober) selfTestResult20(rsp tpm.Response) {
	rc := rsp.Err()
	switch {
	case rc == nil, errors.Is(rc, tpm.RC2Testing):
		p.r.SelfTest = "passed"
	default:
		p.r.SelfTest = rcName(rc)
		p.logf("A TPM error (%d) occurred attempting the self test", rsp.Code)
	}
}

// getProps reads count TPM 2.0 properties starting at first.
func (p *prober) getProps(first tpm.PT, count uint32) (tpm.CapabilityData2, bool, error) {
	rsp, err := p.send(tpm.GetCapability2(tpm.Cap2TPMProperties, uint32(first), count))
	if err != nil {
		return tpm.CapabilityData2{}, false, err
	}
	c, err := tpm.ParseGetCapability2(rsp)
	if err != nil {
		p.cmdError(fmt.Sprintf("TPM2_GetCapability(TPM_PROPERTIES, %v)", first), err)
		return c, false, nil
	}
	return c, true, nil
}

var textProps = map[tpm.PT]bool{
	tpm.PTFamilyIndicator: true, tpm.PTManufacturer: true, tpm.PTVendorString1: true,
	tpm.PTVendorString2: true, tpm.PTVendorString3: true, tpm.PTVendorString4: true,
}

// properties20 reads the fixed properties (TPM_PT_FIXED, 0x100 onwards) and fills the version
// report with the manufacturer, vendor strings and firmware version.
func (p *prober) properties20() error {
	c, ok, err := p.getProps(tpm.PTFamilyIndicator, 0x30)
	if err != nil || !ok {
		return err
	}
	p.r.Properties = []PropertyReport{}
	for _, tp := range c.Properties {
		pr := PropertyReport{Name: tp.Property.String(), Raw: Hex32(tp.Value)}
		if textProps[tp.Property] {
			pr.Value = tpm.PropertyText(tp.Value)
		}
		p.r.Properties = append(p.r.Properties, pr)
	}
	get := func(pt tpm.PT) uint32 { v, _ := c.Get(pt); return v }
	fw1, fw2 := get(tpm.PTFirmwareVersion1), get(tpm.PTFirmwareVersion2)
	var vs string
	for _, pt := range []tpm.PT{tpm.PTVendorString1, tpm.PTVendorString2, tpm.PTVendorString3, tpm.PTVendorString4} {
		vs += tpm.PropertyText(get(pt))
	}
	man := get(tpm.PTManufacturer)
	p.r.Version = &VersionReport{
		ChipVersion:    fmt.Sprintf("%d.%d.%d.%d", fw1>>16, fw1&0xFFFF, fw2>>16, fw2&0xFFFF),
		SpecLevel:      int(get(tpm.PTLevel)),
		ErrataRevision: int(get(tpm.PTRevision)),
		TPMVendorID:    tpm.PropertyText(man),
		TPMVersion:     tpm.PropertyText(get(tpm.PTFamilyIndicator)),
		Manufacturer:   Hex32(man),
		VendorString:   vs,
	}
	return nil
}

var permanent20 = []struct {
	bit  uint
	name string
}{{0, "ownerAuthSet"}, {1, "endorsementAuthSet"}, {2, "lockoutAuthSet"}, {8, "disableClear"}, {9, "inLockout"}, {10, "tpmGeneratedEPS"}}

var startupClear20 = []struct {
	bit  uint
	name string
}{{0, "phEnable"}, {1, "shEnable"}, {2, "ehEnable"}, {3, "phEnableNV"}, {31, "orderly"}}

// flags20 reads TPM_PT_PERMANENT and TPM_PT_STARTUP_CLEAR: owned is ownerAuthSet, enabled is
// shEnable (the storage hierarchy), active is ehEnable (the endorsement hierarchy).
func (p *prober) flags20() error {
	c, ok, err := p.getProps(tpm.PTPermanent, 2)
	if err != nil || !ok {
		return err
	}
	if v, ok := c.Get(tpm.PTPermanent); ok {
		for _, f := range permanent20 {
			p.r.PermanentFlags = append(p.r.PermanentFlags, FlagReport{f.name, v>>f.bit&1 == 1})
		}
		p.r.Owned = boolp(v&1 == 1)
	}
	if v, ok := c.Get(tpm.PTStartupClear); ok {
		for _, f := range startupClear20 {
			p.r.VolatileFlags = append(p.r.VolatileFlags, FlagReport{f.name, v>>f.bit&1 == 1})
		}
		p.r.Enabled, p.r.Active = boolp(v>>1&1 == 1), boolp(v>>2&1 == 1)
	}
	return nil
}

// nvHandleFirst is the first TPM 2.0 NV index handle (TPM_HT_NV_INDEX << 24).
const nvHandleFirst = 0x01000000

// nvList20 lists the NV index handles (TPM2_GetCapability(TPM_CAP_HANDLES, 0x01000000)).
func (p *prober) nvList20() error {
	rsp, err := p.send(tpm.GetCapability2(tpm.Cap2Handles, nvHandleFirst, 64))
	if err != nil {
		return err
	}
	if rc := rsp.Err(); rc != nil {
		p.cmdError("TPM2_GetCapability(TPM_CAP_HANDLES)", rc)
		return nil
	}
	handles, err := parseHandles(rsp.Params)
	if err != nil {
		p.cmdError("TPM2_GetCapability(TPM_CAP_HANDLES)", err)
		return nil
	}
	p.r.NVIndices = []NVIndexReport{}
	for _, h := range handles {
		p.r.NVIndices = append(p.r.NVIndices, NVIndexReport{Index: Hex32(h)})
	}
	return nil
}

// parseHandles decodes the parameters of a TPM2_GetCapability(TPM_CAP_HANDLES) response:
// moreData BYTE, capability UINT32 (1), count UINT32, count handles.
func parseHandles(b []byte) ([]uint32, error) {
	if len(b) < 9 {
		return nil, fmt.Errorf("tis: TPML_HANDLE: %w: %d parameter bytes, need at least 9", tpm.ErrMalformed, len(b))
	}
	if c := binary.BigEndian.Uint32(b[1:5]); c != uint32(tpm.Cap2Handles) {
		return nil, fmt.Errorf("tis: TPML_HANDLE: %w: capability at byte offset 11 is %d, want 1", tpm.ErrMalformed, c)
	}
	n := binary.BigEndian.Uint32(b[5:9])
	if uint64(n)*4 != uint64(len(b)-9) {
		return nil, fmt.Errorf("tis: TPML_HANDLE: %w: count at byte offset 15 says %d handles, %d bytes follow", tpm.ErrMalformed, n, len(b)-9)
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(b[9+4*i:])
	}
	return out, nil
}
