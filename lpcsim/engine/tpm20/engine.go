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

// Started makes the TPM start as after a TPM2_Startup(SU_CLEAR), as when
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
	if e.started {
		e.startClear()
	}
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

// rcReferenceS0 is TPM_RC_REFERENCE_S0: session slot 0 names a session
// that is not loaded (add the slot number for the others).
const rcReferenceS0 tpm.RC2 = 0x918

// Number fields of a format-one response code (TPM 2.0 Part 2, TPM_RC):
// the parameter, handle or session (1-based) the code is about.
func paramN(n int) tpm.RC2   { return tpm.RC2(0x040 | n<<8) }
func handleN(n int) tpm.RC2  { return tpm.RC2(n << 8) }
func sessionN(n int) tpm.RC2 { return tpm.RC2(0x800 | n<<8) }

// hashImplemented are the hash algorithms the model knows (as libtpms);
// a bank of one of them may still be unallocated.
var hashImplemented = map[tpm.Alg]bool{tpm.AlgSHA1: true, tpm.AlgSHA256: true, tpm.AlgSHA384: true, tpm.AlgSHA512: true}

// algHash is TPMA_ALGORITHM with only hash set, as libtpms gives it for its
// hash algorithms.
const algHash = 0x00000004

// algorithms is what TPM2_GetCapability(TPM_CAP_ALGS) lists: the hash
// algorithms of hashImplemented, ascending, with libtpms's attributes.
var algorithms = []struct {
	alg   tpm.Alg
	attrs uint32
}{{tpm.AlgSHA1, algHash}, {tpm.AlgSHA256, algHash}, {tpm.AlgSHA384, algHash}, {tpm.AlgSHA512, algHash}}

// command is how the model dispatches one command code: whether its one
// handle is an NV index (the handle check then fails, the model having no
// NV index), whether it accepts an authorization area (TPM2_Startup does
// not), and the handler of its parameters.
type command struct {
	nvIndex  bool
	sessions bool
	run      func(*Engine, *params) []byte
}

var commands = map[tpm.CommandCode]command{
	tpm.CCStartup:       {run: (*Engine).cmdStartup},
	tpm.CCShutdown:      {sessions: true, run: (*Engine).cmdShutdown},
	tpm.CCSelfTest:      {sessions: true, run: (*Engine).cmdSelfTest},
	tpm.CCGetTestResult: {sessions: true, run: (*Engine).cmdGetTestResult},
	tpm.CCGetCapability: {sessions: true, run: (*Engine).cmdGetCapability},
	tpm.CCPCRRead:       {sessions: true, run: (*Engine).cmdPCRRead},
	tpm.CCGetRandom:     {sessions: true, run: (*Engine).cmdGetRandom},
	tpm.CCNVReadPublic:  {nvIndex: true, sessions: true},
}

// TPMA_CC bits the model's commands have besides the command index: nv
// (the command may write NV) and cHandles = 1 (one handle in the handle
// area).
const (
	ccNV       = 1 << 22
	ccHandles1 = 1 << 25
)

// commandList is what TPM2_GetCapability(TPM_CAP_COMMANDS) lists: the TPMA_CC
// of each command in commands (a test keeps the two alike), ascending by
// command code, with libtpms's attributes. It is a table of its own because
// the GetCapability handler, in commands, reads it.
var commandList = []uint32{
	ccNV | uint32(tpm.CCSelfTest),
	ccNV | uint32(tpm.CCStartup),
	ccNV | uint32(tpm.CCShutdown),
	ccHandles1 | uint32(tpm.CCNVReadPublic),
	uint32(tpm.CCGetCapability),
	uint32(tpm.CCGetRandom),
	uint32(tpm.CCGetTestResult),
	uint32(tpm.CCPCRRead),
}

// execute follows libtpms's order of checks, measured against swtpm: tag,
// command code, TPM_RC_INITIALIZE, handles, authorization area, then the
// parameters (too few bytes: TPM_RC_INSUFFICIENT for the parameter that
// runs out; bytes left over: TPM_RC_SIZE) before the command acts.
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
	cc := c.CommandCode()
	spec, ok := commands[cc]
	if !ok {
		return rsp(tpm.RC2CommandCode)
	}
	if e.started == (cc == tpm.CCStartup) {
		return rsp(tpm.RC2Initialize)
	}
	p := &params{b: c.Params}
	if spec.nvIndex {
		if _, ok := p.u32(); !ok {
			return rsp(tpm.RC2Insufficient | handleN(1))
		}
		return rsp(rcHandleH1) // the model defines no NV index
	}
	if c.Tag == tpm.TagSessions {
		if rc := p.sessions(spec.sessions); rc != 0 {
			return rsp(rc)
		}
	}
	return spec.run(e, p)
}

// params unmarshals a command's areas in order. The first failure sticks:
// rc is the response code of the parameter that failed.
type params struct {
	b  []byte
	n  int // parameters read
	rc tpm.RC2
}

func (p *params) take(n int, number tpm.RC2) ([]byte, bool) {
	if p.rc != 0 {
		return nil, false
	}
	if len(p.b) < n {
		p.rc = tpm.RC2Insufficient | number
		return nil, false
	}
	b := p.b[:n]
	p.b = p.b[n:]
	return b, true
}

func (p *params) u32() (uint32, bool) {
	b, ok := p.take(4, 0)
	if !ok {
		return 0, false
	}
	return binary.BigEndian.Uint32(b), true
}

// next starts the next parameter and returns its number field.
func (p *params) next() tpm.RC2 {
	p.n++
	return paramN(p.n)
}

func (p *params) param(n int) ([]byte, bool) { return p.take(n, p.next()) }

func (p *params) u8() (uint8, bool) {
	b, ok := p.param(1)
	if !ok {
		return 0, false
	}
	return b[0], true
}

func (p *params) u16() (uint16, bool) {
	b, ok := p.param(2)
	if !ok {
		return 0, false
	}
	return binary.BigEndian.Uint16(b), true
}

func (p *params) u32Param() (uint32, bool) {
	b, ok := p.param(4)
	if !ok {
		return 0, false
	}
	return binary.BigEndian.Uint32(b), true
}

// fail records a value check failing on the current parameter.
func (p *params) fail(rc tpm.RC2) {
	if p.rc == 0 {
		p.rc = rc | paramN(p.n)
	}
}

// done is the response code once every parameter is read: the first
// failure, or TPM_RC_SIZE for bytes left over.
func (p *params) done() tpm.RC2 {
	if p.rc == 0 && len(p.b) != 0 {
		return tpm.RC2Size
	}
	return p.rc
}

// rsPW is TPM_RS_PW, the handle of the password session.
const rsPW = 0x40000009

// sessions reads the authorization area of a TPM_ST_SESSIONS command:
// authorizationSize (at least 9, at most what is left), then sessions
// until it is used up. No command in the model takes an authorization
// handle and no session is loaded, so a well-formed area fails on its
// first session: the password session with TPM_RC_HANDLE, an HMAC or
// policy session with TPM_RC_REFERENCE_S0.
func (p *params) sessions(allowed bool) tpm.RC2 {
	size, ok := p.u32()
	if !ok {
		return tpm.RC2Insufficient
	}
	if size < 9 || size > uint32(len(p.b)) {
		return tpm.RC2Size
	}
	if !allowed {
		return tpm.RC2AuthContext
	}
	area := &params{b: p.b[:size]}
	p.b = p.b[size:]
	var first uint32
	for i := 1; len(area.b) > 0; i++ {
		n := sessionN(i)
		if i > 3 { // more than MAX_SESSION_NUM sessions
			return tpm.RC2Size | n
		}
		h, _ := area.take(4, n)
		if area.rc != 0 {
			return area.rc
		}
		handle := binary.BigEndian.Uint32(h)
		if t := handle >> 24; handle != rsPW && t != htHMACSession && t != htPolicySession {
			return tpm.RC2Value | n
		}
		area.sized(n)   // nonceCaller
		area.take(1, n) // sessionAttributes
		area.sized(n)   // hmac
		if area.rc != 0 {
			return area.rc
		}
		if i == 1 {
			first = handle
		}
	}
	if first == rsPW {
		return tpm.RC2Handle | sessionN(1)
	}
	return rcReferenceS0
}

// sized skips a TPM2B (a UINT16 size, then that many bytes) of the area
// numbered n.
func (p *params) sized(n tpm.RC2) {
	if b, ok := p.take(2, n); ok {
		p.take(int(binary.BigEndian.Uint16(b)), n)
	}
}

// su reads a TPM_SU parameter: SU_CLEAR or SU_STATE.
func (p *params) su() tpm.StartupType2 {
	v, ok := p.u16()
	if ok && tpm.StartupType2(v) != tpm.SUClear && tpm.StartupType2(v) != tpm.SUState {
		p.fail(tpm.RC2Value)
	}
	return tpm.StartupType2(v)
}

// pcrUpdateCounts reports which PCRs move pcrUpdateCounter when they
// change: all but 16, 21, 22 and 23, as measured on swtpm (extending PCR 16
// leaves the counter alone, extending PCR 0 adds one).
func pcrUpdateCounts(i int) bool { return i != 16 && i < 21 }

func (e *Engine) cmdStartup(p *params) []byte {
	su := p.su()
	if rc := p.done(); rc != 0 {
		return rsp(rc)
	}
	if su == tpm.SUState {
		return rsp(rcValueP1) // no orderly shutdown state to resume
	}
	e.startClear()
	return rsp(0)
}

// startClear is a successful TPM2_Startup(SU_CLEAR): the PCRs are reset and
// each reset counts as a change, so pcrUpdateCounter starts at the number
// of PCRs that count (20 for 24 PCRs, whatever the banks, as swtpm).
func (e *Engine) startClear() {
	e.started = true
	e.resetPCRs()
	e.updateCounter = 0
	for i := range NumPCRs {
		if pcrUpdateCounts(i) {
			e.updateCounter++
		}
	}
}

func (e *Engine) cmdShutdown(p *params) []byte {
	p.su()
	return rsp(p.done())
}

func (e *Engine) cmdSelfTest(p *params) []byte {
	// fullTest is a TPMI_YES_NO: 0 or 1.
	if v, ok := p.u8(); ok && v > 1 {
		p.fail(tpm.RC2Value)
	}
	return rsp(p.done())
}

func (e *Engine) cmdGetTestResult(p *params) []byte {
	if rc := p.done(); rc != 0 {
		return rsp(rc)
	}
	return rsp(0, tpm.Sized2(nil), []byte{0, 0, 0, 0})
}

func (e *Engine) cmdGetRandom(p *params) []byte {
	n, _ := p.u16()
	if rc := p.done(); rc != 0 {
		return rsp(rc)
	}
	n = min(n, 64) // at most the largest digest
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	return rsp(0, tpm.Sized2(b))
}

// capValid reports whether capability is a TPM_CAP libtpms accepts:
// TPM_CAP_ALGS (0) to TPM_CAP_ACT (0x0A), or TPM_CAP_VENDOR_PROPERTY.
func capValid(c tpm.Cap2) bool { return c <= 0x0A || c == 0x100 }

func (e *Engine) cmdGetCapability(p *params) []byte {
	var req tpm.GetCapabilityRequest2
	if v, ok := p.u32Param(); ok {
		req.Capability = tpm.Cap2(v)
		if !capValid(req.Capability) {
			p.fail(tpm.RC2Value)
		}
	}
	req.Property, _ = p.u32Param()
	req.Count, _ = p.u32Param()
	if rc := p.done(); rc != 0 {
		return rsp(rc)
	}
	switch req.Capability {
	case tpm.Cap2TPMProperties:
		return rsp(0, e.properties(tpm.PT(req.Property), req.Count).Marshal())
	case tpm.Cap2PCRs:
		return e.capPCRs(req.Property, req.Count)
	case tpm.Cap2Algs:
		return rsp(0, capAlgs(tpm.Alg(req.Property), req.Count))
	case tpm.Cap2Commands:
		return rsp(0, capCommands(req.Property, req.Count))
	case tpm.Cap2Handles:
		all, ok := handlesOfType(req.Property)
		if !ok {
			return rsp(rcHandleP2) // TPM_RC_HANDLE, parameter 2 (property): no such handle range
		}
		return rsp(0, handleList(all, req.Property, req.Count))
	}
	return rsp(rcValueP1)
}

// capPCRs answers TPM_CAP_PCRS as libtpms does: property must be 0
// (TPM_RC_VALUE for parameter 2 otherwise); count 0 gives an empty list
// with moreData YES, any other count every bank, whatever its value.
func (e *Engine) capPCRs(property, count uint32) []byte {
	if property != 0 {
		return rsp(tpm.RC2Value | paramN(2))
	}
	b := []byte{0}
	var sel []tpm.PCRSelection
	if count == 0 {
		b[0] = 1
	} else {
		for _, alg := range e.id.Banks {
			sel = append(sel, tpm.PCRSelection{Hash: alg, Select: []byte{0xFF, 0xFF, 0xFF}})
		}
	}
	b = binary.BigEndian.AppendUint32(b, uint32(tpm.Cap2PCRs))
	return rsp(0, b, selectionList(sel))
}

// capAlgs encodes TPMS_CAPABILITY_DATA for TPM_CAP_ALGS: a TPML_ALG_PROPERTY
// of at most count algorithms from first on (libtpms takes the property as a
// TPM_ALG_ID, its low 16 bits), moreData YES when some were left out.
func capAlgs(first tpm.Alg, count uint32) []byte {
	var list []byte
	n, more := uint32(0), false
	for _, a := range algorithms {
		if a.alg < first {
			continue
		}
		if n == count {
			more = true
			break
		}
		list = binary.BigEndian.AppendUint16(list, uint16(a.alg))
		list = binary.BigEndian.AppendUint32(list, a.attrs)
		n++
	}
	return capabilityData(more, tpm.Cap2Algs, n, list)
}

// capCommands encodes TPMS_CAPABILITY_DATA for TPM_CAP_COMMANDS: a
// TPML_CCA of the TPMA_CC of at most count of the model's commands from
// first on, moreData YES when some were left out.
func capCommands(first, count uint32) []byte {
	var list []byte
	n, more := uint32(0), false
	for _, cca := range commandList {
		if cca&0xFFFF < first {
			continue
		}
		if n == count {
			more = true
			break
		}
		list = binary.BigEndian.AppendUint32(list, cca)
		n++
	}
	return capabilityData(more, tpm.Cap2Commands, n, list)
}

// capabilityData is TPMS_CAPABILITY_DATA: moreData, the capability, then a
// list of n entries already encoded.
func capabilityData(more bool, c tpm.Cap2, n uint32, entries []byte) []byte {
	b := []byte{0}
	if more {
		b[0] = 1
	}
	b = binary.BigEndian.AppendUint32(b, uint32(c))
	b = binary.BigEndian.AppendUint32(b, n)
	return append(b, entries...)
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
func (e *Engine) cmdPCRRead(p *params) []byte {
	sel := p.pcrSelections()
	if rc := p.done(); rc != 0 {
		return rsp(rc)
	}
	out := tpm.PCRRead2Result{UpdateCounter: e.updateCounter}
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

// hashCount is HASH_COUNT of libtpms: the most entries a
// TPML_PCR_SELECTION may have.
const hashCount = 4

// pcrSelections reads a TPML_PCR_SELECTION (one parameter) as libtpms
// unmarshals it: at most hashCount entries, implemented hashes only, and
// sizeofSelect exactly 3 (PCR_SELECT_MIN = PCR_SELECT_MAX for 24 PCRs).
func (p *params) pcrSelections() []tpm.PCRSelection {
	n := p.next()
	var sel []tpm.PCRSelection
	b, ok := p.take(4, n)
	if !ok {
		return nil
	}
	count := binary.BigEndian.Uint32(b)
	if count > hashCount {
		p.rc = tpm.RC2Size | n
		return nil
	}
	for range count {
		h, ok := p.take(2, n)
		if !ok {
			return nil
		}
		hash := tpm.Alg(binary.BigEndian.Uint16(h))
		if !hashImplemented[hash] {
			p.rc = tpm.RC2Hash | n
			return nil
		}
		size, ok := p.take(1, n)
		if !ok {
			return nil
		}
		if size[0] != 3 {
			p.rc = tpm.RC2Value | n
			return nil
		}
		bits, ok := p.take(3, n)
		if !ok {
			return nil
		}
		sel = append(sel, tpm.PCRSelection{Hash: hash, Select: append([]byte(nil), bits...)})
	}
	return sel
}
