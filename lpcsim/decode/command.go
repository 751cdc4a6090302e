package decode

import (
	"encoding/binary"
	"fmt"
	"strings"

	"tpmbench/tpm"
)

// CmdStatus says how a TPM command exchange ended on the bus.
type CmdStatus uint8

// Command endings.
const (
	Answered   CmdStatus = iota // response read completely
	Partial                     // response read in part, then commandReady or a new command
	NoResponse                  // tpmGo written, no response bytes read
	Cancelled                   // commandReady written before tpmGo: the command was dropped
	Unfinished                  // the capture ended during the exchange
	numCmdStatus
)

var cmdStatusNames = [numCmdStatus]string{"answered", "partial", "no-response", "cancelled", "unfinished"}

// String returns the status name.
func (s CmdStatus) String() string {
	if s < numCmdStatus {
		return cmdStatusNames[s]
	}
	return fmt.Sprintf("cmdstatus(%d)", s)
}

// MarshalText gives JSON the name.
func (s CmdStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Command is one TPM command/response exchange through the TIS FIFO: the
// bytes written to DATA_FIFO up to tpmGo, and the bytes read back from it.
type Command struct {
	Locality   int       `json:"locality"`      // TPM locality of the FIFO traffic (0-4)
	FirstCycle int       `json:"first_cycle"`   // cycle index of the first command byte
	LastCycle  int       `json:"last_cycle"`    // cycle index of the last response byte (or of the ending write)
	Tick       int64     `json:"tick"`          // capture tick of the first command byte's cycle
	Cmd        Bytes     `json:"cmd"`           // command bytes written to the FIFO, in order
	Rsp        Bytes     `json:"rsp,omitempty"` // response bytes read back from the FIFO (empty when none was read)
	Status     CmdStatus `json:"status"`        // how the exchange ended
}

// TPM20 reports whether the command has a TPM 2.0 tag (TPM_ST_*).
func (c *Command) TPM20() bool {
	return len(c.Cmd) >= 2 && tpm.Tag(binary.BigEndian.Uint16(c.Cmd)).Is20()
}

// Code returns the ordinal (TPM 1.2) or command code (TPM 2.0).
func (c *Command) Code() (uint32, bool) {
	if len(c.Cmd) < tpm.HeaderSize {
		return 0, false
	}
	return binary.BigEndian.Uint32(c.Cmd[6:]), true
}

// Name returns the command's name, e.g. "TPM_GetCapability" or
// "TPM2_Startup"; "(N bytes)" when the header is incomplete.
func (c *Command) Name() string {
	code, ok := c.Code()
	if !ok {
		return fmt.Sprintf("(%d command bytes)", len(c.Cmd))
	}
	if c.TPM20() {
		return tpm.CommandCode(code).String()
	}
	return tpm.Ordinal(code).String()
}

// RC returns the response's return code.
func (c *Command) RC() (uint32, bool) {
	if len(c.Rsp) < tpm.HeaderSize {
		return 0, false
	}
	return binary.BigEndian.Uint32(c.Rsp[6:]), true
}

// Result names the return code ("TPM_SUCCESS (0x0)", "TPM_RC_INITIALIZE
// (0x100)") or says why there is none.
func (c *Command) Result() string {
	rc, ok := c.RC()
	if !ok {
		if len(c.Rsp) > 0 {
			return fmt.Sprintf("%d response bytes", len(c.Rsp))
		}
		return c.Status.String()
	}
	if c.TPM20() {
		return tpm.RC2(rc).String()
	}
	return tpm.RC(rc).String()
}

// Params summarises the parameters that matter for bring-up: capability
// area and property, startup type, PCR or NV index.
func (c *Command) Params() string {
	code, ok := c.Code()
	if !ok {
		return ""
	}
	p := c.Cmd[tpm.HeaderSize:]
	if c.TPM20() {
		return params20(tpm.CommandCode(code), p)
	}
	return params12(tpm.Ordinal(code), p)
}

func be16(p []byte) (uint16, bool) {
	if len(p) < 2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(p), true
}

func be32(p []byte, off int) (uint32, bool) {
	if len(p) < off+4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(p[off:]), true
}

func params12(o tpm.Ordinal, p []byte) string {
	switch o {
	case tpm.OrdStartup:
		if v, ok := be16(p); ok {
			return map[uint16]string{1: "TPM_ST_CLEAR", 2: "TPM_ST_STATE", 3: "TPM_ST_DEACTIVATED"}[v]
		}
	case tpm.OrdGetCapability:
		r, err := tpm.ParseGetCapabilityRequest(p)
		if err != nil {
			return "malformed"
		}
		sub, ok := r.SubCapUint32()
		switch {
		case !ok:
			return r.Cap.String()
		case r.Cap == tpm.CapProperty:
			return r.Cap.String() + " " + tpm.Prop(sub).String()
		case r.Cap == tpm.CapFlag && sub == tpm.CapFlagPermanent:
			return r.Cap.String() + " TPM_PERMANENT_FLAGS"
		case r.Cap == tpm.CapFlag && sub == tpm.CapFlagVolatile:
			return r.Cap.String() + " TPM_STCLEAR_FLAGS"
		}
		return fmt.Sprintf("%s 0x%X", r.Cap, sub)
	case tpm.OrdPCRRead, tpm.OrdExtend:
		if v, ok := be32(p, 0); ok {
			return fmt.Sprintf("PCR %d", v)
		}
	case tpm.OrdNVReadValue, tpm.OrdNVWriteValue, tpm.OrdNVWriteValueAuth:
		if v, ok := be32(p, 0); ok {
			return fmt.Sprintf("index 0x%08X", v)
		}
	case tpm.OrdNVDefineSpace:
		if v, ok := be32(p, 2); ok { // TPM_NV_DATA_PUBLIC: tag, then nvIndex
			return fmt.Sprintf("index 0x%08X", v)
		}
	case tpm.OrdTSCPhysicalPresence:
		if v, ok := be16(p); ok {
			return tpm.PhysicalPresence(v).String()
		}
	case tpm.OrdPhysicalSetDeactivated:
		if len(p) >= 1 {
			return fmt.Sprintf("state=%t", p[0] != 0)
		}
	case tpm.OrdGetRandom:
		if v, ok := be32(p, 0); ok {
			return fmt.Sprintf("%d bytes", v)
		}
	}
	return ""
}

var cap2Names = map[tpm.Cap2]string{
	tpm.Cap2Algs: "TPM_CAP_ALGS", tpm.Cap2Handles: "TPM_CAP_HANDLES", tpm.Cap2Commands: "TPM_CAP_COMMANDS",
	tpm.Cap2PPCommands: "TPM_CAP_PP_COMMANDS", tpm.Cap2AuditCommands: "TPM_CAP_AUDIT_COMMANDS",
	tpm.Cap2PCRs: "TPM_CAP_PCRS", tpm.Cap2TPMProperties: "TPM_CAP_TPM_PROPERTIES",
	tpm.Cap2PCRProperties: "TPM_CAP_PCR_PROPERTIES", tpm.Cap2ECCCurves: "TPM_CAP_ECC_CURVES",
}

func params20(cc tpm.CommandCode, p []byte) string {
	switch cc {
	case tpm.CCStartup, tpm.CCShutdown:
		if v, ok := be16(p); ok {
			return map[uint16]string{0: "TPM_SU_CLEAR", 1: "TPM_SU_STATE"}[v]
		}
	case tpm.CCSelfTest:
		if len(p) >= 1 {
			return fmt.Sprintf("fullTest=%t", p[0] != 0)
		}
	case tpm.CCGetCapability:
		r, err := tpm.ParseGetCapabilityRequest2(p)
		if err != nil {
			return "malformed"
		}
		name, ok := cap2Names[r.Capability]
		if !ok {
			name = fmt.Sprintf("TPM_CAP 0x%X", uint32(r.Capability))
		}
		prop := fmt.Sprintf("0x%X", r.Property)
		if r.Capability == tpm.Cap2TPMProperties {
			prop = tpm.PT(r.Property).String()
		}
		return fmt.Sprintf("%s %s count=%d", name, prop, r.Count)
	case tpm.CCNVReadPublic, tpm.CCNVRead:
		if v, ok := be32(p, 0); ok {
			return fmt.Sprintf("index 0x%08X", v)
		}
	case tpm.CCGetRandom:
		if v, ok := be16(p); ok {
			return fmt.Sprintf("%d bytes", v)
		}
	}
	return ""
}

// String gives "loc0 TPM_GetCapability TPM_CAP_PROPERTY TPM_CAP_PROP_TIS_TIMEOUT -> TPM_INVALID_POSTINIT (0x26)".
func (c *Command) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loc%d %s", c.Locality, c.Name())
	if p := c.Params(); p != "" {
		b.WriteString(" " + p)
	}
	b.WriteString(" -> " + c.Result())
	if c.Status != Answered {
		if _, ok := c.RC(); ok {
			fmt.Fprintf(&b, " [%s]", strings.ToUpper(c.Status.String()))
		}
	}
	return b.String()
}

// cmdPhase is where one locality's FIFO exchange stands.
type cmdPhase uint8

const (
	cmdIdle cmdPhase = iota
	cmdSending
	cmdExecuting
	cmdReceiving
)

// Commands gathers TPM commands from register operations: command bytes
// from FIFO writes until tpmGo, the response from FIFO reads after it.
type Commands struct {
	emit  func(*Command)
	phase [16]cmdPhase
	cur   [16]*Command
}

// NewCommands returns a gatherer that calls emit for each finished exchange.
func NewCommands(emit func(*Command)) *Commands { return &Commands{emit: emit} }

func (t *Commands) finish(loc int, st CmdStatus) {
	if c := t.cur[loc]; c != nil {
		c.Status = st
		t.emit(c)
	}
	t.cur[loc], t.phase[loc] = nil, cmdIdle
}

// Op feeds one register operation.
func (t *Commands) Op(o RegOp) {
	if o.Failed {
		return
	}
	loc := o.Locality & 0xF
	c := t.cur[loc]
	switch {
	case o.Write && isFIFO(o.Offset):
		if t.phase[loc] != cmdSending {
			t.endPrevious(loc)
			c = &Command{Locality: loc, FirstCycle: o.Cycle, Tick: o.Tick}
			t.cur[loc], t.phase[loc] = c, cmdSending
		}
		c.Cmd = append(c.Cmd, o.Value)
		c.LastCycle = o.Cycle
	case o.Write && o.Offset == regSTS:
		switch {
		case o.Value&stsCmdReady != 0:
			if c != nil {
				c.LastCycle = o.Cycle
			}
			t.endPrevious(loc)
		case o.Value&stsTPMGo != 0 && t.phase[loc] == cmdSending:
			t.phase[loc] = cmdExecuting
			c.LastCycle = o.Cycle
		case o.Value&stsRespRetry != 0 && c != nil && t.phase[loc] >= cmdExecuting:
			c.Rsp = c.Rsp[:0]
		}
	case !o.Write && isFIFO(o.Offset) && (t.phase[loc] == cmdExecuting || t.phase[loc] == cmdReceiving):
		t.phase[loc] = cmdReceiving
		c.Rsp = append(c.Rsp, o.Value)
		c.LastCycle = o.Cycle
		if n, err := tpm.ResponseSize(c.Rsp); err == nil && n <= len(c.Rsp) {
			t.finish(loc, Answered)
		}
	}
}

// endPrevious closes the exchange in progress when a new one starts or
// commandReady is written.
func (t *Commands) endPrevious(loc int) {
	switch t.phase[loc] {
	case cmdSending:
		t.finish(loc, Cancelled)
	case cmdExecuting:
		t.finish(loc, NoResponse)
	case cmdReceiving:
		t.finish(loc, Partial)
	}
}

// Flush ends the exchanges still open at the end of the capture.
func (t *Commands) Flush() {
	for loc := range t.cur {
		if t.cur[loc] != nil {
			t.finish(loc, Unfinished)
		}
	}
}
