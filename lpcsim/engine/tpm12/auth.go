package tpm12

import (
	"encoding/binary"

	"tpmbench/tpm"
)

// maxAuthSessions is the number of OIAP sessions the model holds open.
const maxAuthSessions = 16

// Resource types of TPM_FlushSpecific.
const (
	rtKey  = 1
	rtAuth = 2
)

// cmdOIAP opens an authorisation session: a handle and a nonceEven. The
// model never checks the HMACs made with it (it knows no secrets); the
// session exists so that tools get the return codes of the commands that
// follow.
func (e *Engine) cmdOIAP() []byte {
	if len(e.sessions) >= maxAuthSessions {
		return tpm.NewResponse(tpm.RCResources)
	}
	h := e.rng.Uint32() | 0x02000000
	for e.sessions[h] {
		h++
	}
	e.sessions[h] = true
	nonce := make([]byte, 20)
	for i := range nonce {
		nonce[i] = byte(e.rng.Uint32())
	}
	return tpm.NewResponse(tpm.RCSuccess, u32(h), nonce)
}

func (e *Engine) cmdFlushSpecific(params []byte) []byte {
	p, ok := u32Params(params, 2)
	if !ok {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	switch p[1] {
	case rtAuth:
		if !e.sessions[p[0]] {
			return tpm.NewResponse(tpm.RCInvalidAuthHandle)
		}
		delete(e.sessions, p[0])
		return e.ok()
	case rtKey:
		return tpm.NewResponse(tpm.RCBadParameter) // no such key: the model loads none
	}
	return tpm.NewResponse(tpm.RCBadParameter)
}

// cmdGetCapabilityOwner answers the owner-authorised status read of
// tpm_setenable -s and friends: TPM_NOSRK without an owner, TPM_AUTHFAIL
// with one (the model cannot check the owner's HMAC).
func (e *Engine) cmdGetCapabilityOwner(params []byte) []byte {
	if len(params) != 45 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if !e.owned {
		return tpm.NewResponse(tpm.RCNoSRK)
	}
	h := binary.BigEndian.Uint32(params)
	if !e.sessions[h] {
		return tpm.NewResponse(tpm.RCInvalidAuthHandle)
	}
	delete(e.sessions, h) // a failed authorisation ends the session
	return tpm.NewResponse(tpm.RCAuthFail)
}

// cmdCreateEndorsementKeyPair gives the state errors (TPM_DISABLED,
// TPM_DEACTIVATED, checked before it runs) that tools report; key
// generation itself is not modelled and answers TPM_BAD_ORDINAL.
func (e *Engine) cmdCreateEndorsementKeyPair([]byte) []byte {
	return tpm.NewResponse(tpm.RCBadOrdinal)
}
