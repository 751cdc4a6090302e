package tpm12

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"

	"tpmbench/tpm"
)

// NumPCRs is the number of PCRs of the model (a PC Client TPM 1.2).
const NumPCRs = 24

// maxNoOwnerNVWrites is TPM_MAX_NV_WRITE_NOOWNER.
const maxNoOwnerNVWrites = 64

// Engine is the TPM 1.2 model. It is safe for concurrent use; commands run
// one at a time.
type Engine struct {
	mu sync.Mutex
	id Identity

	// Persistent state.
	perm     tpm.PermanentFlags
	owned    bool
	nv       []*nvArea
	nvWrites int

	// Volatile state, lost on Reset.
	started  bool
	failed   bool // failure mode after a TPM_Startup(ST_STATE) with nothing to resume
	stclear  tpm.STClearFlags
	pcrs     [NumPCRs][20]byte
	locality int
	sessions map[uint32]bool // open OIAP session handles
	rng      *rand.Rand
}

// nvArea is a defined NV index: its public data (whose bWriteDefine and
// bWriteSTClear record the write locks in effect) and contents.
type nvArea struct {
	pub  tpm.NVDataPublic
	data []byte
}

// New returns a TPM 1.2 in the TCG factory state (disabled, deactivated, no
// owner, physical presence commands not enabled, nvLocked FALSE) with the
// SLB9635 identity, after TPM_Init and before TPM_Startup. Options change
// the starting state.
func New(opts ...Option) *Engine {
	e := &Engine{id: SLB9635(), perm: factoryFlags()}
	cfg := config{seed: 1}
	for _, o := range opts {
		o(e, &cfg)
	}
	e.rng = rand.New(rand.NewChaCha8(seed32(cfg.seed)))
	e.init()
	if cfg.started {
		e.startup(tpm.STClear)
	}
	return e
}

func seed32(s uint64) [32]byte {
	var b [32]byte
	binary.BigEndian.PutUint64(b[:], s)
	return b
}

// factoryFlags are the permanent flags of a TPM 1.2 as shipped: disabled
// and deactivated (values as libtpms holds them after the TCG-default
// bring-up of the reference factory state).
func factoryFlags() tpm.PermanentFlags {
	return tpm.PermanentFlags{
		Disable:          true,
		Ownership:        true,
		Deactivated:      true,
		ReadPubek:        true,
		AllowMaintenance: true,
		EnableRevokeEK:   true,
	}
}

// Reset is TPM_Init (LRESET# or a power cycle): volatile state is cleared
// and the TPM waits for TPM_Startup.
func (e *Engine) Reset() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.init()
	return nil
}

func (e *Engine) init() {
	e.started, e.failed = false, false
	e.sessions = map[uint32]bool{}
	e.stclear = tpm.STClearFlags{}
	e.resetPCRs()
	for _, a := range e.areas() {
		a.pub.WriteSTClear = false
		a.pub.ReadSTClear = false
	}
}

// resetPCRs sets PCRs 0-16 and 23 to zeros and the locality-reset PCRs
// 17-22 to ones, as at TPM_Init.
func (e *Engine) resetPCRs() {
	for i := range e.pcrs {
		var v [20]byte
		if i >= 17 && i <= 22 {
			for j := range v {
				v[j] = 0xFF
			}
		}
		e.pcrs[i] = v
	}
}

// Execute runs one command from the given locality and returns the
// response. The error is non-nil only for a locality outside 0..4; every
// TPM-level problem is a return code in the response.
func (e *Engine) Execute(locality int, cmd []byte) ([]byte, error) {
	if locality < 0 || locality > 4 {
		return nil, fmt.Errorf("tpm12: locality %d outside 0..4", locality)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.locality = locality
	return e.execute(cmd), nil
}

type handler func(e *Engine, params []byte) []byte

// check says which state checks an ordinal is subject to.
type check uint8

const (
	checkNone     check = 0
	checkDisabled check = 1 << iota
	checkDeactivated
)

type ordinal struct {
	run   handler
	check check
	tag   tpm.Tag // the request tag the command takes; 0 means TPM_TAG_RQU_COMMAND
	// min is the parameter length below which the command fails with
	// TPM_BAD_PARAM_SIZE before the state checks (libtpms unmarshals the
	// parameters first; surplus bytes are found only afterwards).
	min int
}

var ordinals = map[tpm.Ordinal]ordinal{
	tpm.OrdStartup:                  {run: (*Engine).cmdStartup, check: checkNone},
	tpm.OrdGetCapability:            {run: (*Engine).cmdGetCapability, check: checkNone, min: 8},
	tpm.OrdContinueSelfTest:         {run: noParams((*Engine).ok), check: checkNone},
	tpm.OrdSelfTestFull:             {run: noParams((*Engine).ok), check: checkNone},
	tpm.OrdGetTestResult:            {run: noParams((*Engine).cmdGetTestResult), check: checkNone},
	tpm.OrdPCRRead:                  {run: (*Engine).cmdPCRRead, check: checkDisabled | checkDeactivated, min: 4},
	tpm.OrdExtend:                   {run: (*Engine).cmdExtend, check: checkNone, min: 24},
	tpm.OrdGetRandom:                {run: (*Engine).cmdGetRandom, check: checkDisabled | checkDeactivated, min: 4},
	tpm.OrdReadPubek:                {run: (*Engine).cmdReadPubek, check: checkDisabled | checkDeactivated, min: 20},
	tpm.OrdTSCPhysicalPresence:      {run: (*Engine).cmdPhysicalPresence, check: checkNone, min: 2},
	tpm.OrdPhysicalEnable:           {run: noParams((*Engine).cmdPhysicalEnable), check: checkNone},
	tpm.OrdPhysicalDisable:          {run: noParams((*Engine).cmdPhysicalDisable), check: checkDisabled},
	tpm.OrdPhysicalSetDeactivated:   {run: (*Engine).cmdPhysicalSetDeactivated, check: checkDisabled, min: 1},
	tpm.OrdNVDefineSpace:            {run: (*Engine).cmdNVDefineSpace, check: checkNone, min: 20},
	tpm.OrdNVReadValue:              {run: (*Engine).cmdNVReadValue, check: checkNone, min: 12},
	tpm.OrdNVWriteValue:             {run: (*Engine).cmdNVWriteValue, check: checkNone, min: 12},
	tpm.OrdOIAP:                     {run: noParams((*Engine).cmdOIAP), check: checkNone},
	tpm.OrdFlushSpecific:            {run: (*Engine).cmdFlushSpecific, check: checkNone, min: 8},
	tpm.OrdGetCapabilityOwner:       {run: (*Engine).cmdGetCapabilityOwner, check: checkDisabled | checkDeactivated, tag: tpm.TagRquAuth1, min: 45},
	tpm.OrdCreateEndorsementKeyPair: {run: (*Engine).cmdCreateEndorsementKeyPair, check: checkDisabled | checkDeactivated, min: 32},
}

func noParams(f func(*Engine) []byte) handler {
	return func(e *Engine, params []byte) []byte {
		if len(params) != 0 {
			return tpm.NewResponse(tpm.RCBadParamSize)
		}
		return f(e)
	}
}

func (e *Engine) execute(cmd []byte) []byte {
	c, err := tpm.ParseCommand(cmd)
	if err != nil {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	o, ok := ordinals[c.Ordinal()]
	if !ok {
		return tpm.NewResponse(tpm.RCBadOrdinal)
	}
	if e.failed && c.Ordinal() != tpm.OrdStartup {
		return tpm.NewResponse(tpm.RCFailedSelfTest)
	}
	if !e.started && c.Ordinal() != tpm.OrdStartup {
		return tpm.NewResponse(tpm.RCInvalidPostinit)
	}
	if len(c.Params) < o.min {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if rc := e.checkState(o.check); rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	if want := cmp.Or(o.tag, tpm.TagRquCommand); c.Tag != want {
		return tpm.NewResponse(tpm.RCBadTag)
	}
	return o.run(e, c.Params)
}

// checkState applies the disabled/deactivated rules: disabled wins.
func (e *Engine) checkState(c check) tpm.RC {
	if c&checkDisabled != 0 && e.perm.Disable {
		return tpm.RCDisabled
	}
	if c&checkDeactivated != 0 && e.stclear.Deactivated {
		return tpm.RCDeactivated
	}
	return tpm.RCSuccess
}

func (e *Engine) ok() []byte { return tpm.NewResponse(tpm.RCSuccess) }

// u32Params decodes exactly n UINT32 parameters.
func u32Params(params []byte, n int) ([]uint32, bool) {
	if len(params) != 4*n {
		return nil, false
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(params[4*i:])
	}
	return out, true
}

func (e *Engine) cmdStartup(params []byte) []byte {
	// As in libtpms, the one Startup after TPM_Init is used up even when it
	// fails (a wrong parameter size included, which is checked first), and
	// a failed one leaves the STCLEAR flags cleared (so the TPM is not
	// deactivated, whatever the permanent flag says).
	first := !e.started
	e.started = true
	if len(params) != 2 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if !first {
		return tpm.NewResponse(tpm.RCInvalidPostinit)
	}
	st := tpm.StartupType(binary.BigEndian.Uint16(params))
	switch st {
	case tpm.STClear, tpm.STDeactivated:
	case tpm.STState:
		// No TPM_SaveState was stored: nothing to resume, and the TPM
		// stays in failure mode until the next TPM_Init.
		e.failed = true
		return tpm.NewResponse(tpm.RCFailedSelfTest)
	default:
		return tpm.NewResponse(tpm.RCBadParameter)
	}
	e.startup(st)
	return e.ok()
}

func (e *Engine) startup(st tpm.StartupType) {
	e.started = true
	e.stclear = tpm.STClearFlags{Deactivated: e.perm.Deactivated || st == tpm.STDeactivated}
}

func (e *Engine) cmdGetTestResult() []byte {
	return tpm.NewResponse(tpm.RCSuccess, tpm.Sized(e.id.TestResult))
}

func (e *Engine) cmdPCRRead(params []byte) []byte {
	p, ok := u32Params(params, 1)
	if !ok {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if p[0] >= NumPCRs {
		return tpm.NewResponse(tpm.RCBadIndex)
	}
	return tpm.NewResponse(tpm.RCSuccess, e.pcrs[p[0]][:])
}

func (e *Engine) cmdGetRandom(params []byte) []byte {
	p, ok := u32Params(params, 1)
	if !ok {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	n := min(p[0], tpm.MaxMessageSize-tpm.HeaderSize-4)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	return tpm.NewResponse(tpm.RCSuccess, tpm.Sized(b))
}

func (e *Engine) cmdReadPubek(params []byte) []byte {
	if len(params) != 20 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	// The model holds no endorsement key.
	return tpm.NewResponse(tpm.RCNoEndorsement)
}
