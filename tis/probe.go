package tis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"tpmbench/tpm"
)

// StartupPolicy says when the probe sends TPM_Startup.
type StartupPolicy int

// Startup policies.
const (
	// StartupAuto does what Linux does: try a command, and only when the TPM answers that it
	// has not been started (TPM_INVALID_POSTINIT, TPM_RC_INITIALIZE) send Startup(CLEAR).
	StartupAuto StartupPolicy = iota
	// StartupAlways sends Startup(CLEAR) first; "already started" is reported, not an error.
	StartupAlways
	// StartupNever never sends Startup; an un-started TPM is reported as such.
	StartupNever
)

var policyNames = [...]string{"auto", "always", "never"}

// String returns auto, always or never.
func (p StartupPolicy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("StartupPolicy(%d)", int(p))
}

// ParseStartupPolicy parses auto, always or never.
func ParseStartupPolicy(s string) (StartupPolicy, error) {
	for i, n := range policyNames {
		if s == n {
			return StartupPolicy(i), nil
		}
	}
	return 0, fmt.Errorf("tis: startup policy %q: want auto, always or never", s)
}

// Options control a probe. The zero value probes locality 0 with the auto startup policy.
type Options struct {
	Locality int           // 0-3 (4 belongs to the chipset, see CheckLocality)
	Startup  StartupPolicy // when to send TPM_Startup
	// Log receives the kernel-style log lines as they happen (they are also in Report.Log).
	Log io.Writer
	// TimeoutScale multiplies every timeout and duration (0 means 1); Probe refuses a factor
	// outside MinTimeoutScale..MaxTimeoutScale (see CheckTimeoutScale).
	TimeoutScale float64
	// SkipDetails stops after Startup and the self-test: no version, flags or NV list.
	SkipDetails bool
}

// Probe does a forced, polled probe of the TIS window on bus, the way Linux does with
// "tpm_tis force=1 interrupts=0", then collects the TPM's state: DID_VID and vendor, TPM_ACCESS
// valid, locality, interrupts off, INTF_CAPABILITY and INTERFACE_ID, the family (register bits
// and a TPM2_GetCapability probe), timeouts and durations, Startup by policy, the self-test,
// PCRRead(0) (disabled/deactivated), version information, flags, owner, and the NV indices.
//
// The report is never nil. On success the returned Conn owns the locality and can send more
// commands. On failure err says what failed and the report's Diagnosis lists the likely causes.
// A TPM that answers but refuses commands (disabled, not started) is not a failure: its state
// is in the report.
func Probe(ctx context.Context, bus Bus, opts Options) (*Conn, *Report, error) {
	p := &prober{ctx: ctx, opts: opts, r: &Report{Locality: opts.Locality, Family: FamilyUnknown.String()}}
	err := p.run(bus)
	if err != nil {
		d := Diagnose(err)
		if p.unknownID && d.Symptom != SymptomCanceled {
			u := Diagnose(&Error{Symptom: SymptomUnknownID, Err: err})
			d.Causes = append(u.Causes, d.Causes...)
			d.Summary = u.Summary + "; then " + d.Summary
		}
		p.r.Diagnosis = &d
		if p.granted {
			p.c.abort()
			_ = p.c.Release()
		}
		return nil, p.r, err
	}
	p.r.Complete = true
	p.r.Notes = append(p.r.Notes, "interrupts are disabled (INT_ENABLE = 0) and never waited on: SERIRQ is not tested by this probe")
	return p.c, p.r, nil
}

type prober struct {
	ctx       context.Context
	opts      Options
	r         *Report
	c         *Conn
	unknownID bool
	granted   bool // the locality was granted: release it if the probe fails later
	// timeoutsAsked: GetCapability(TIS_TIMEOUT) has been answered (successfully or not).
	timeoutsAsked bool
}

// logf records a kernel-style log line and passes it on.
func (p *prober) logf(format string, a ...any) {
	line := fmt.Sprintf(format, a...)
	p.r.Log = append(p.r.Log, line)
	if p.opts.Log != nil {
		fmt.Fprintf(p.opts.Log, "tpm_tis: %s\n", line)
	}
}

func (p *prober) scale() float64 {
	if p.opts.TimeoutScale <= 0 {
		return 1
	}
	return p.opts.TimeoutScale
}

func (p *prober) run(bus Bus) error {
	if err := CheckLocality(p.opts.Locality); err != nil {
		return err
	}
	if err := CheckTimeoutScale(p.opts.TimeoutScale); err != nil {
		return err
	}
	p.c = &Conn{bus: bus, loc: p.opts.Locality, ctx: p.ctx}
	p.c.setDefaults()
	p.c.Timeouts = p.c.Timeouts.Scale(p.scale())
	if err := p.identify(); err != nil {
		return err
	}
	if _, err := p.c.waitValid(p.ctx); err != nil {
		return err
	}
	if err := p.c.requestLocality(p.ctx); err != nil {
		return err
	}
	p.granted = true
	if err := p.readInterface(); err != nil {
		return err
	}
	if err := p.detectFamily(); err != nil {
		return err
	}
	if p.c.family == Family20 {
		return p.run20()
	}
	return p.run12()
}

// identify reads DID_VID three times: all ones or all zeros means nothing answers, different
// values mean an unreliable bus.
func (p *prober) identify() error {
	off := Offset(p.c.loc, RegDIDVID)
	var first uint32
	for i := range 3 {
		v, err := p.c.bus.Read32(off)
		if err != nil {
			return fail(SymptomBusError, err, "read %s", RegName(off))
		}
		if i == 0 {
			first = v
			continue
		}
		if v != first {
			p.r.DIDVID = new(Hex32(first))
			return fail(SymptomUnstable, ErrUnstable, "%s read %#08x, then %#08x", RegName(off), first, v)
		}
	}
	p.r.DIDVID = new(Hex32(first))
	switch first {
	case 0xFFFFFFFF:
		return fail(SymptomAllOnes, ErrNoTPM, "%s reads 0xffffffff", RegName(off))
	case 0:
		return fail(SymptomAllZeros, ErrNoTPM, "%s reads 0x00000000", RegName(off))
	}
	p.r.Answered = true
	p.r.VendorID, p.r.DeviceID = new(Hex32(first&0xFFFF)), new(Hex32(first>>16))
	dev := tpm.LookupDevice(first)
	p.r.Vendor, p.r.Device = dev.VendorName, dev.DeviceName
	if dev.VendorName == "" {
		p.unknownID = true
		p.r.Notes = append(p.r.Notes, fmt.Sprintf("DID_VID %#08x is not a known TPM vendor", first))
	}
	return nil
}

// readInterface turns interrupts off and reads RID, INTF_CAPABILITY and INTERFACE_ID.
func (p *prober) readInterface() error {
	b, l := p.c.bus, p.c.loc
	if err := b.Write32(Offset(l, RegIntEnable), 0); err != nil {
		return fail(SymptomBusError, err, "write %s", RegName(Offset(l, RegIntEnable)))
	}
	rid, err := b.Read8(Offset(l, RegRID))
	if err != nil {
		return fail(SymptomBusError, err, "read %s", RegName(Offset(l, RegRID)))
	}
	p.r.RevisionID = new(int(rid))
	caps, err := b.Read32(Offset(l, RegIntfCapability))
	if err != nil {
		return fail(SymptomBusError, err, "read %s", RegName(Offset(l, RegIntfCapability)))
	}
	p.r.IntfCapability = new(Hex32(caps))
	id, err := b.Read32(Offset(l, RegInterfaceID))
	if err != nil {
		return fail(SymptomBusError, err, "read %s", RegName(Offset(l, RegInterfaceID)))
	}
	p.r.InterfaceID = new(Hex32(id))
	return nil
}

// registerFamily decides 1.2 or 2.0 from the registers, the way SeaBIOS does once fixed for
// TIS 1.3 parts: INTERFACE_ID type 0 is a PTP FIFO (2.0); type 0xF (or a register that reads
// all ones) means "see INTF_CAPABILITY", whose interface version 3 is TPM 2.0 on TIS 1.3.
func registerFamily(caps IntfCapability, id InterfaceID) (Family, string) {
	switch {
	case id.Type() == 0:
		return Family20, "PTP FIFO"
	case id.Type() == 1:
		return Family20, "CRB (not supported by this driver)"
	case caps.InterfaceVersion() == 3:
		return Family20, "TIS 1.3 for TPM 2.0"
	case caps.InterfaceVersion() == 2:
		return Family12, "TIS 1.3"
	}
	return Family12, "TIS 1.2"
}

// detectFamily combines the register view with Linux's tpm2_probe: a TPM2_GetCapability whose
// response tag is TPM_ST_NO_SESSIONS only from a TPM 2.0. The command decides.
func (p *prober) detectFamily() error {
	regFam, intf := registerFamily(IntfCapability(*p.r.IntfCapability), InterfaceID(*p.r.InterfaceID))
	p.r.Interface = intf
	rsp, err := p.send(tpm.GetCapability2(tpm.Cap2TPMProperties, uint32(tpm.PTTotalCommands), 1))
	if err != nil {
		return err
	}
	fam := Family12
	if rsp.Tag.Is20() {
		fam = Family20
	}
	if fam != regFam {
		p.r.Notes = append(p.r.Notes, fmt.Sprintf("the registers say TPM %s (%s) but the TPM answered a TPM 2.0 command as a TPM %s; the command wins",
			regFam, intf, fam))
	}
	p.c.family = fam
	p.r.Family = fam.String()
	p.c.setDefaults()
	p.c.Timeouts, p.c.Durations = p.c.Timeouts.Scale(p.scale()), p.c.Durations.Scale(p.scale())
	p.logf("%s TPM (device-id 0x%X, rev-id %d)", fam, uint32(*p.r.DeviceID), *p.r.RevisionID)
	p.reportTimeouts("default", "default")
	return nil
}

func (p *prober) reportTimeouts(tsrc, dsrc string) {
	t, d := p.c.Timeouts, p.c.Durations
	p.r.Timeouts = &TimeoutsReport{AUs: t.A.Microseconds(), BUs: t.B.Microseconds(), CUs: t.C.Microseconds(), DUs: t.D.Microseconds(), Source: tsrc}
	p.r.Durations = &DurationsReport{ShortUs: d.Short.Microseconds(), MediumUs: d.Medium.Microseconds(), LongUs: d.Long.Microseconds(), Source: dsrc}
}

// send moves one command through the FIFO and parses the response header. A transfer failure
// or an unparseable response is an error; a TPM return code is not (see Response.Err).
func (p *prober) send(cmd []byte) (tpm.Response, error) {
	raw, err := p.c.SendContext(p.ctx, cmd)
	p.r.Commands++
	if err != nil {
		return tpm.Response{}, err
	}
	rsp, err := tpm.ParseResponse(raw)
	if err != nil {
		return tpm.Response{}, fail(SymptomBadSize, fmt.Errorf("%w: %w", ErrBadResponse, err), "locality %d: response to %s", p.c.loc, commandName(cmd))
	}
	return rsp, nil
}

func commandName(cmd []byte) string {
	c, err := tpm.ParseCommand(cmd)
	if err != nil {
		return "command"
	}
	return c.String()
}

// cmdError records a TPM return code that stopped a step.
func (p *prober) cmdError(what string, err error) {
	p.r.Errors = append(p.r.Errors, fmt.Sprintf("%s: %v", what, err))
}

// sleep waits d or until the context ends.
func (p *prober) sleep(d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.ctx.Done():
		return fail(SymptomCanceled, fmt.Errorf("%w: %w", ErrCanceled, p.ctx.Err()), "probe")
	case <-t.C:
		return nil
	}
}

func rcName(err error) string {
	var rc tpm.RC
	if errors.As(err, &rc) {
		return rc.String()
	}
	var rc2 tpm.RC2
	if errors.As(err, &rc2) {
		return rc2.String()
	}
	return err.Error()
}
