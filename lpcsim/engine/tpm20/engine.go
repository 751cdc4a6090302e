package tpm20

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"

	"tpmbench/tpm"
)

// NumPCRs is the number of PCRs per bank.
const NumPCRs = 24

// maxPCRDigests is how many digests one TPM2_PCR_Read returns at most.
const maxPCRDigests = 8

// maxProperties bounds one TPM2_GetCapability(TPM_PROPERTIES) answer.
const maxProperties = 127

// Engine is the minimal TPM 2.0. It is safe for concurrent use.
type Engine struct {
	mu            sync.Mutex
	id            Identity
	started       bool
	pcrs          map[tpm.Alg]*[NumPCRs][]byte
	updateCounter uint32
	rng           *rand.Rand
}

// Option changes a new Engine.
type Option func(*Engine)

// WithIdentity replaces the SLB9665 identity.
func WithIdentity(id Identity) Option { return func(e *Engine) { e.id = id } }

// WithSeed seeds TPM2_GetRandom (default 1) for reproducible runs.
func WithSeed(seed uint64) Option {
	return func(e *Engine) {
		var s [32]byte
		binary.BigEndian.PutUint64(s[:], seed)
		e.rng = rand.New(rand.NewChaCha8(s))
	}
}

// Started makes the TPM start after a TPM2_Startup(SU_CLEAR), as when
// firmware has sent it.
func Started() Option { return func(e *Engine) { e.started = true } }

// New returns a TPM 2.0 after TPM_Init, waiting for TPM2_Startup.
func New(opts ...Option) *Engine {
	e := &Engine{id: SLB9665()}
	WithSeed(1)(e)
	for _, o := range opts {
		o(e)
	}
	e.resetPCRs()
	return e
}

// Reset is TPM_Init: the TPM waits for TPM2_Startup again.
func (e *Engine) Reset() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.started = false
	e.resetPCRs()
	return nil
}

func (e *Engine) resetPCRs() {
	e.pcrs = map[tpm.Alg]*[NumPCRs][]byte{}
	for _, alg := range e.id.Banks {
		var bank [NumPCRs][]byte
		for i := range bank {
			bank[i] = make([]byte, alg.DigestSize())
			if i >= 17 && i <= 22 {
				for j := range bank[i] {
					bank[i][j] = 0xFF
				}
			}
		}
		e.pcrs[alg] = &bank
	}
}

// Execute runs one command. The error is non-nil only for a locality
// outside 0..4.
func (e *Engine) Execute(locality int, cmd []byte) ([]byte, error) {
	if locality < 0 || locality > 4 {
		return nil, fmt.Errorf("tpm20: locality %d outside 0..4", locality)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.execute(cmd), nil
}

func rsp(rc tpm.RC2, params ...[]byte) []byte { return tpm.NewResponse2(rc, params...) }

// Format-one codes the model uses: parameter 1, handle 1.
const (
	rcValueP1  = tpm.RC2Value | 0x040 | 0x100
	rcHandleH1 = tpm.RC2Handle | 0x100
	rcHashP1   = tpm.RC2Hash | 0x040 | 0x100
	rcHandleP2 = tpm.RC2Handle | 0x040 | 0x200
)

// hashImplemented are the hash algorithms the model knows (as libtpms);
// a bank of one of them may still be unallocated.
var hashImplemented = map[tpm.Alg]bool{tpm.AlgSHA1: true, tpm.AlgSHA256: true, tpm.AlgSHA384: true, tpm.AlgSHA512: true}

var commands = map[tpm.CommandCode]func(*Engine, []byte) []byte{
	tpm.CCStartup:       (*Engine).cmdStartup,
	tpm.CCShutdown:      (*Engine).cmdShutdown,
	tpm.CCSelfTest:      (*Engine).cmdSelfTest,
	tpm.CCGetTestResult: (*Engine).cmdGetTestResult,
	tpm.CCGetCapability: (*Engine).cmdGetCapability,
	tpm.CCPCRRead:       (*Engine).cmdPCRRead,
	tpm.CCGetRandom:     (*Engine).cmdGetRandom,
	tpm.CCNVReadPublic:  (*Engine).cmdNVReadPublic,
}

func (e *Engine) execute(cmd []byte) []byte {
	c, err := tpm.ParseCommand(cmd)
	if err != nil {
		return rsp(tpm.RC2CommandSize)
	}
	if c.Tag != tpm.TagNoSessions && c.Tag != tpm.TagSessions {
		// libtpms answers a TPM 1.2 tag with TPM_RC_VALUE (format one, no
		// parameter number), not TPM_RC_BAD_TAG.
		return rsp(tpm.RC2Value)
	}
	if !e.started && c.CommandCode() != tpm.CCStartup {
		return rsp(tpm.RC2Initialize)
	}
	run, ok := commands[c.CommandCode()]
	if !ok {
		return rsp(tpm.RC2CommandCode)
	}
	if c.Tag == tpm.TagSessions {
		return rsp(tpm.RC2AuthContext) // no command here takes sessions
	}
	return run(e, c.Params)
}

func (e *Engine) cmdStartup(p []byte) []byte {
	if len(p) != 2 {
		return rsp(tpm.RC2CommandSize)
	}
	if e.started {
		return rsp(tpm.RC2Initialize)
	}
	switch tpm.StartupType2(binary.BigEndian.Uint16(p)) {
	case tpm.SUClear:
	case tpm.SUState:
		return rsp(rcValueP1) // no orderly shutdown state to resume
	default:
		return rsp(rcValueP1)
	}
	e.started = true
	return rsp(0)
}

func (e *Engine) cmdShutdown(p []byte) []byte {
	if len(p) != 2 {
		return rsp(tpm.RC2CommandSize)
	}
	if su := tpm.StartupType2(binary.BigEndian.Uint16(p)); su != tpm.SUClear && su != tpm.SUState {
		return rsp(rcValueP1)
	}
	return rsp(0)
}

func (e *Engine) cmdSelfTest(p []byte) []byte {
	if len(p) != 1 {
		return rsp(tpm.RC2CommandSize)
	}
	return rsp(0)
}

func (e *Engine) cmdGetTestResult(p []byte) []byte {
	if len(p) != 0 {
		return rsp(tpm.RC2CommandSize)
	}
	return rsp(0, tpm.Sized2(nil), []byte{0, 0, 0, 0})
}

func (e *Engine) cmdGetRandom(p []byte) []byte {
	if len(p) != 2 {
		return rsp(tpm.RC2CommandSize)
	}
	n := min(binary.BigEndian.Uint16(p), 64) // at most the largest digest
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	return rsp(0, tpm.Sized2(b))
}

func (e *Engine) cmdNVReadPublic(p []byte) []byte {
	if len(p) != 4 {
		return rsp(tpm.RC2CommandSize)
	}
	return rsp(rcHandleH1) // the model defines no NV index
}

func (e *Engine) cmdGetCapability(p []byte) []byte {
	req, err := tpm.ParseGetCapabilityRequest2(p)
	if err != nil {
		return rsp(tpm.RC2CommandSize)
	}
	switch req.Capability {
	case tpm.Cap2TPMProperties:
		return rsp(0, e.properties(tpm.PT(req.Property), req.Count).Marshal())
	case tpm.Cap2PCRs:
		var sel []tpm.PCRSelection
		for _, alg := range e.id.Banks {
			sel = append(sel, tpm.PCRSelection{Hash: alg, Select: []byte{0xFF, 0xFF, 0xFF}})
		}
		b := []byte{0}
		b = binary.BigEndian.AppendUint32(b, uint32(tpm.Cap2PCRs))
		return rsp(0, b, selectionList(sel))
	case tpm.Cap2Handles:
		all, ok := handlesOfType(req.Property)
		if !ok {
			return rsp(rcHandleP2) // TPM_RC_HANDLE, parameter 2 (property): no such handle range
		}
		return rsp(0, handleList(all, req.Property, req.Count))
	}
	return rsp(rcValueP1)
}

// Handle types (the top byte of a handle, TPM_HT).
const (
	htPCR           = 0x00
	htNVIndex       = 0x01
	htHMACSession   = 0x02
	htPolicySession = 0x03
	htPermanent     = 0x40
	htTransient     = 0x80
	htPersistent    = 0x81
)

// permanentHandles are the permanent handles libtpms lists: TPM_RH_OWNER, TPM_RH_NULL,
// TPM_RS_PW, TPM_RH_LOCKOUT, TPM_RH_ENDORSEMENT, TPM_RH_PLATFORM, TPM_RH_PLATFORM_NV.
var permanentHandles = []uint32{0x40000001, 0x40000007, 0x40000009, 0x4000000A, 0x4000000B, 0x4000000C, 0x4000000D}

// handlesOfType returns every handle of the type of the handle first (its top byte) that
// exists in the model: the PCRs and the permanent handles. NV indices, sessions, transient and
// persistent objects are types the TPM supports but the model has none of. ok is false for a
// type TPM2_GetCapability does not list (attached components, the reserved ones).
func handlesOfType(first uint32) (all []uint32, ok bool) {
	switch first >> 24 {
	case htPCR:
		for i := range uint32(NumPCRs) {
			all = append(all, i)
		}
		return all, true
	case htPermanent:
		return permanentHandles, true
	case htNVIndex, htHMACSession, htPolicySession, htTransient, htPersistent:
		return nil, true
	}
	return nil, false
}

// handleList encodes TPMS_CAPABILITY_DATA for TPM_CAP_HANDLES: moreData, the capability and a
// TPML_HANDLE with at most count of the handles from first on. As a real TPM, moreData is
// YES when handles from first on were left out, even when count is 0.
func handleList(all []uint32, first, count uint32) []byte {
	var list []uint32
	more := false
	for _, h := range all {
		if h < first {
			continue
		}
		if uint32(len(list)) == count {
			more = true
			break
		}
		list = append(list, h)
	}
	b := []byte{0}
	if more {
		b[0] = 1
	}
	b = binary.BigEndian.AppendUint32(b, uint32(tpm.Cap2Handles))
	b = binary.BigEndian.AppendUint32(b, uint32(len(list)))
	for _, h := range list {
		b = binary.BigEndian.AppendUint32(b, h)
	}
	return b
}

// properties lists the properties of property's group (fixed 0x1xx or
// variable 0x2xx) from property on, at most count of them.
func (e *Engine) properties(property tpm.PT, count uint32) tpm.CapabilityData2 {
	var all []tpm.TaggedProperty
	switch property &^ 0xFF {
	case 0x100:
		all = e.id.Fixed
	case 0x200:
		all = e.variable()
	}
	var out tpm.CapabilityData2
	for _, p := range all {
		if p.Property < property {
			continue
		}
		if uint32(len(out.Properties)) >= min(count, maxProperties) {
			out.MoreData = true
			break
		}
		out.Properties = append(out.Properties, p)
	}
	return out
}

// variable returns the variable properties of a started TPM with no
// objects, sessions or NV indices and hierarchies enabled.
func (e *Engine) variable() []tpm.TaggedProperty {
	return []tpm.TaggedProperty{
		{Property: tpm.PTPermanent, Value: 0x400},         // tpmGeneratedEPS
		{Property: tpm.PTStartupClear, Value: 0x8000000F}, // ph/sh/ehEnable, phEnableNV, orderly
		{Property: tpm.PTHRNVIndex, Value: 0},
		{Property: tpm.PTHRLoaded, Value: 0},
		{Property: tpm.PTHRLoadedAvail, Value: 3},
		{Property: tpm.PTHRActive, Value: 0},
		{Property: tpm.PTHRActiveAvail, Value: 0x40},
		{Property: tpm.PTHRTransientAvail, Value: 3},
		{Property: tpm.PTHRPersistent, Value: 0},
		{Property: tpm.PTHRPersistentAvail, Value: 0x41},
		{Property: tpm.PTNVCounters, Value: 0},
		{Property: tpm.PTNVCountersAvail, Value: 0x19},
		{Property: tpm.PTAlgorithmSet, Value: 0},
		{Property: tpm.PTLoadedCurves, Value: 8},
		{Property: tpm.PTLockoutCounter, Value: 0},
		{Property: tpm.PTMaxAuthFail, Value: 3},
		{Property: tpm.PTLockoutInterval, Value: 1000},
		{Property: tpm.PTLockoutRecovery, Value: 1000},
		{Property: tpm.PTNVWriteRecovery, Value: 0},
		{Property: tpm.PTAuditCounter0, Value: 0},
		{Property: tpm.PTAuditCounter1, Value: 0},
	}
}

func selectionList(sel []tpm.PCRSelection) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(sel)))
	for _, s := range sel {
		b = binary.BigEndian.AppendUint16(b, uint16(s.Hash))
		b = append(b, uint8(len(s.Select)))
		b = append(b, s.Select...)
	}
	return b
}

// cmdPCRRead returns up to eight digests, bank by bank in the order asked;
// the selection it answers with lists exactly the PCRs returned.
func (e *Engine) cmdPCRRead(p []byte) []byte {
	sel, err := tpm.ParsePCRReadRequest2(p)
	if err != nil {
		return rsp(tpm.RC2CommandSize)
	}
	out := tpm.PCRRead2Result{UpdateCounter: e.updateCounter}
	for _, s := range sel {
		if !hashImplemented[s.Hash] {
			return rsp(rcHashP1)
		}
	}
	for _, s := range sel {
		got := tpm.PCRSelection{Hash: s.Hash, Select: make([]byte, len(s.Select))}
		if bank, ok := e.pcrs[s.Hash]; ok {
			for _, i := range s.PCRs() {
				if i >= NumPCRs || len(out.Digests) == maxPCRDigests {
					continue
				}
				got.Select[i/8] |= 1 << (i % 8)
				out.Digests = append(out.Digests, bank[i])
			}
		}
		out.Selections = append(out.Selections, got)
	}
	return rsp(0, out.Marshal())
}
