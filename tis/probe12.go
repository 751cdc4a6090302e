package tis

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"tpmbench/tpm"
)

// run12 is the TPM 1.2 sequence after detection, in the order of Linux's 3.x driver:
// timeouts (Startup when the TPM asks for it), durations, ContinueSelfTest, PCRRead(0), then
// what tpm_version and tpm_nvinfo show.
func (p *prober) run12() error {
	started, err := p.startup12()
	if err != nil || !started {
		return err
	}
	if err := p.timeouts12(); err != nil {
		return err
	}
	if err := p.selfTest12(); err != nil {
		return err
	}
	if p.opts.SkipDetails {
		return nil
	}
	if err := p.version12(); err != nil {
		return err
	}
	if err := p.flags12(); err != nil {
		return err
	}
	return p.nvList12()
}

// startup12 applies the startup policy. It returns whether the TPM is started.
func (p *prober) startup12() (bool, error) {
	s := &StartupReport{Policy: p.opts.Startup.String(), Command: "TPM_Startup(ST_CLEAR)"}
	p.r.Startup = s
	if p.opts.Startup == StartupAlways {
		return p.issueStartup12(s)
	}
	// auto and never: the first command is GetCapability(TIS_TIMEOUT), as in Linux.
	rsp, err := p.send(tpm.GetCapProperty(tpm.PropTISTimeout))
	if err != nil {
		return false, err
	}
	s.ProbeCommand, s.ProbeResult = "GetCapability(TPM_CAP_PROP_TIS_TIMEOUT)", tpm.RC(rsp.Code).String()
	switch rc := rsp.Err(); {
	case rc == nil:
		s.AlreadyStarted, s.Started = true, true
		return true, p.applyTimeouts12(rsp)
	case !errors.Is(rc, tpm.RCInvalidPostinit):
		s.Unknown = true
		return false, failedTPM(s.ProbeCommand, rc)
	}
	if p.opts.Startup == StartupNever {
		p.r.Notes = append(p.r.Notes, "the TPM has not been started (TPM_INVALID_POSTINIT) and --startup never forbids sending TPM_Startup")
		return false, nil
	}
	p.logf("Issuing TPM_STARTUP")
	return p.issueStartup12(s)
}

func (p *prober) issueStartup12(s *StartupReport) (bool, error) {
	rsp, err := p.send(tpm.Startup(tpm.STClear))
	if err != nil {
		return false, err
	}
	s.Issued = true
	s.Result = tpm.RC(rsp.Code).String()
	switch rc := rsp.Err(); {
	case rc == nil:
		s.Started = true
	case errors.Is(rc, tpm.RCInvalidPostinit):
		// A second Startup answers TPM_INVALID_POSTINIT: somebody started it before us.
		s.AlreadyStarted, s.Started = true, true
	default:
		return false, failedTPM("TPM_Startup(ST_CLEAR)", rc)
	}
	return true, nil
}

// failedTPM is the error for a TPM that answers but refuses the first command a probe needs:
// it is in failure mode (TPM_FAIL, a failed self-test) or broken.
func failedTPM(what string, rc error) error {
	return fail(SymptomTPMError, rc, "%s answered %s: the TPM cannot be used", what, rcName(rc))
}

// timeouts12 reads the TIS timeouts and the durations from the TPM (Linux's tpm_get_timeouts).
func (p *prober) timeouts12() error {
	if !p.timeoutsAsked {
		rsp, err := p.send(tpm.GetCapProperty(tpm.PropTISTimeout))
		if err != nil {
			return err
		}
		if err := p.applyTimeouts12(rsp); err != nil {
			return err
		}
	}
	rsp, err := p.send(tpm.GetCapProperty(tpm.PropDuration))
	if err != nil {
		return err
	}
	b, err := tpm.ParseSized(rsp)
	var d tpm.Durations
	if err == nil {
		err = d.Unmarshal(b)
	}
	if err != nil {
		p.cmdError("GetCapability(TPM_CAP_PROP_DURATION)", err)
		return nil
	}
	durs, note := durationsFromTPM([3]uint32{d.Short, d.Medium, d.Long}, DefaultDurations12)
	if note != "" {
		p.logf("%s", note)
	}
	p.c.Durations = durs.Scale(p.scale())
	p.reportTimeouts(p.r.Timeouts.Source, "tpm")
	return nil
}

func (p *prober) applyTimeouts12(rsp tpm.Response) error {
	p.timeoutsAsked = true
	b, err := tpm.ParseSized(rsp)
	var t tpm.Timeouts
	if err == nil {
		err = t.Unmarshal(b)
	}
	if err != nil {
		p.cmdError("GetCapability(TPM_CAP_PROP_TIS_TIMEOUT)", err)
		return nil
	}
	to, note := timeoutsFromTPM([4]uint32{t.A, t.B, t.C, t.D}, DefaultTimeouts12)
	if note != "" {
		p.logf("%s", note)
	}
	p.c.Timeouts = to.Scale(p.scale())
	p.reportTimeouts("tpm", p.r.Durations.Source)
	return nil
}

// selfTest12 sends ContinueSelfTest, then reads PCR 0 until the self-test is over: a
// disabled or deactivated TPM answers 7 or 6, which Linux logs and accepts.
func (p *prober) selfTest12() error {
	rsp, err := p.send(tpm.ContinueSelfTest())
	if err != nil {
		return err
	}
	if rc := rsp.Err(); rc != nil {
		p.r.SelfTest = rcName(rc)
		p.logf("A TPM error (%d) occurred continue selftest", rsp.Code)
	} else {
		p.r.SelfTest = "passed"
	}
	deadline := time.Now().Add(p.c.Durations.Long)
	for {
		rsp, err := p.send(tpm.PCRRead(0))
		if err != nil {
			return err
		}
		rc := tpm.RC(rsp.Code)
		switch {
		case rsp.Code == 0:
			p.r.PCR0 = "readable"
			return nil
		case rc == tpm.RCDisabled || rc == tpm.RCDeactivated:
			p.r.PCR0 = rc.String()
			p.logf("TPM is disabled/deactivated (%#x)", rsp.Code)
			return nil
		case rc == tpm.RCDoingSelfTest && time.Now().Before(deadline):
			if err := p.sleep(100 * time.Millisecond); err != nil {
				return err
			}
		case rc == tpm.RCDoingSelfTest:
			p.logf("TPM command timed out during continue self test")
			p.r.PCR0 = rc.String()
			return nil
		default:
			p.r.PCR0 = rc.String()
			p.cmdError("TPM_PCRRead(0)", rc)
			return nil
		}
	}
}

// getCap sends a GetCapability and returns its data, or records the TPM's refusal.
func (p *prober) getCap(what string, cmd []byte) ([]byte, bool, error) {
	rsp, err := p.send(cmd)
	if err != nil {
		return nil, false, err
	}
	b, err := tpm.ParseSized(rsp)
	if err != nil {
		p.cmdError(what, err)
		return nil, false, nil
	}
	return b, true, nil
}

// version12 collects what tpm_version prints: TPM_CAP_VERSION_VAL, TPM_CAP_VERSION and the
// manufacturer property.
func (p *prober) version12() error {
	var data [3][]byte
	for i, c := range []struct {
		what string
		cmd  []byte
	}{
		{"GetCapability(TPM_CAP_VERSION_VAL)", tpm.GetCapVersionVal()},
		{"GetCapability(TPM_CAP_VERSION)", tpm.GetCapVersion()},
		{"GetCapability(TPM_CAP_PROP_MANUFACTURER)", tpm.GetCapProperty(tpm.PropManufacturer)},
	} {
		b, _, err := p.getCap(c.what, c.cmd)
		if err != nil {
			return err
		}
		data[i] = b
	}
	v, err := versionReport12(data[0], data[1], data[2])
	if err != nil {
		p.cmdError("version information", err)
	}
	p.r.Version = v
	return nil
}

// versionReport12 builds the version report from the data of the three GetCapability answers
// tpm_version uses (nil for an answer the TPM refused). A 1.1 chip has no VERSION_VAL; then
// only TPM Version and Manufacturer Info are known, as with tpm_version.
func versionReport12(versionVal, version, manufacturer []byte) (*VersionReport, error) {
	v := &VersionReport{TPMVersion: hex.EncodeToString(version)}
	var errs []error
	if versionVal != nil {
		var vi tpm.VersionInfo
		if err := vi.Unmarshal(versionVal); err != nil {
			errs = append(errs, err)
		} else {
			v.hasVersionInfo = true
			v.ChipVersion = vi.Version.String()
			v.SpecLevel, v.ErrataRevision = int(vi.SpecLevel), int(vi.ErrataRev)
			v.rawVendorID, v.TPMVendorID = vi.VendorID, vi.Vendor()
			v.vendorSpecific, v.VendorSpecific = vi.VendorSpecific, hex.EncodeToString(vi.VendorSpecific)
		}
	}
	if manufacturer != nil {
		m, err := tpm.ParseUint32(manufacturer)
		if err != nil {
			errs = append(errs, err)
		}
		v.Manufacturer = Hex32(m)
	}
	return v, errors.Join(errs...)
}

// flags12 reads TPM_PERMANENT_FLAGS, TPM_STCLEAR_FLAGS and the owner property.
func (p *prober) flags12() error {
	b, ok, err := p.getCap("GetCapability(TPM_CAP_FLAG_PERMANENT)", tpm.GetCapFlag(tpm.CapFlagPermanent))
	if err != nil {
		return err
	}
	var pf tpm.PermanentFlags
	if ok {
		if err := pf.Unmarshal(b); err != nil {
			p.cmdError("TPM_PERMANENT_FLAGS", err)
		} else {
			p.r.PermanentFlags = flagReports(pf.Flags())
			p.r.Enabled, p.r.Active, p.r.NVLocked = boolp(!pf.Disable), boolp(!pf.Deactivated), boolp(pf.NVLocked)
		}
	}
	if b, ok, err = p.getCap("GetCapability(TPM_CAP_FLAG_VOLATILE)", tpm.GetCapFlag(tpm.CapFlagVolatile)); err != nil {
		return err
	} else if ok {
		var sf tpm.STClearFlags
		if err := sf.Unmarshal(b); err != nil {
			p.cmdError("TPM_STCLEAR_FLAGS", err)
		} else {
			p.r.VolatileFlags = flagReports(sf.Flags())
			p.r.TempDeactivated = boolp(sf.Deactivated)
		}
	}
	if b, ok, err = p.getCap("GetCapability(TPM_CAP_PROP_OWNER)", tpm.GetCapProperty(tpm.PropOwner)); err != nil {
		return err
	} else if ok {
		if owned, err := tpm.ParseBool(b); err == nil {
			p.r.Owned = boolp(owned)
		}
	}
	return nil
}

func flagReports(fs []tpm.Flag) []FlagReport {
	out := make([]FlagReport, len(fs))
	for i, f := range fs {
		out[i] = FlagReport{Name: f.Name, Value: f.Value}
	}
	return out
}

// nvList12 reads the NV index list and each index's public data, as tpm_nvinfo does.
func (p *prober) nvList12() error {
	b, ok, err := p.getCap("GetCapability(TPM_CAP_NV_LIST)", tpm.GetCapNVList())
	if err != nil || !ok {
		return err
	}
	var list tpm.NVList
	if err := list.Unmarshal(b); err != nil {
		p.cmdError("NV index list", err)
		return nil
	}
	p.r.NVIndices = []NVIndexReport{}
	for _, idx := range list {
		n := NVIndexReport{Index: Hex32(idx)}
		b, ok, err := p.getCap(fmt.Sprintf("GetCapability(TPM_CAP_NV_INDEX, %#x)", idx), tpm.GetCapNVIndex(idx))
		if err != nil {
			return err
		}
		var pub tpm.NVDataPublic
		if ok {
			if err := pub.Unmarshal(b); err != nil {
				p.cmdError(fmt.Sprintf("TPM_NV_DATA_PUBLIC of %#x", idx), err)
			} else {
				n = nvReport(pub)
			}
		}
		p.r.NVIndices = append(p.r.NVIndices, n)
	}
	return nil
}

func nvReport(pub tpm.NVDataPublic) NVIndexReport {
	return NVIndexReport{
		Index: Hex32(pub.Index), Permissions: Hex32(pub.Permission), Names: pub.Permission.String(),
		Size: int(pub.DataSize), ReadSTClear: pub.ReadSTClear, WriteSTClear: pub.WriteSTClear,
		WriteDefine: pub.WriteDefine, Described: true, text: formatNVInfo(pub),
	}
}
