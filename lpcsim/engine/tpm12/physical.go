package tpm12

import (
	"crypto/sha1"
	"encoding/binary"

	"tpmbench/tpm"
)

// extendLocalities gives, for PCRs 16-23, the localities allowed to extend
// them (bit n = locality n), as in the PC Client specification; PCRs 0-15
// accept every locality.
var extendLocalities = map[uint32]uint8{
	17: 0x1C, 18: 0x1C, 19: 0x1C, 20: 0x0E, 21: 0x04, 22: 0x04,
}

func (e *Engine) cmdExtend(params []byte) []byte {
	if len(params) != 24 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	idx := binary.BigEndian.Uint32(params)
	if idx >= NumPCRs {
		return tpm.NewResponse(tpm.RCBadIndex)
	}
	if mask, ok := extendLocalities[idx]; ok && mask&(1<<e.locality) == 0 {
		return tpm.NewResponse(tpm.RCBadLocality)
	}
	h := sha1.New()
	h.Write(e.pcrs[idx][:])
	h.Write(params[4:])
	copy(e.pcrs[idx][:], h.Sum(nil))
	// A disabled or deactivated TPM extends but does not reveal the value.
	if e.checkState(checkDisabled|checkDeactivated) != tpm.RCSuccess {
		return tpm.NewResponse(tpm.RCSuccess, make([]byte, 20))
	}
	return tpm.NewResponse(tpm.RCSuccess, e.pcrs[idx][:])
}

const (
	ppPermanentBits = tpm.PPHWEnable | tpm.PPCMDEnable | tpm.PPLifetimeLock | tpm.PPHWDisable | tpm.PPCMDDisable
	ppVolatileBits  = tpm.PPPresent | tpm.PPNotPresent | tpm.PPLock
)

// cmdPhysicalPresence implements TSC_PhysicalPresence: the permanent bits
// (HW/CMD enable/disable, lifetime lock) are accepted until the lifetime
// lock is set; PRESENT, NOTPRESENT and LOCK only while
// physicalPresenceCMDEnable is TRUE and physicalPresenceLock is FALSE.
// Everything else is TPM_BAD_PARAMETER.
func (e *Engine) cmdPhysicalPresence(params []byte) []byte {
	if len(params) != 2 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	pp := tpm.PhysicalPresence(binary.BigEndian.Uint16(params))
	var rc tpm.RC
	switch {
	case pp == 0 || pp&^(ppPermanentBits|ppVolatileBits) != 0:
		rc = tpm.RCBadParameter
	case pp&ppPermanentBits != 0 && pp&ppVolatileBits != 0:
		rc = tpm.RCBadParameter
	case pp&ppPermanentBits != 0:
		rc = e.ppPermanent(pp)
	default:
		rc = e.ppVolatile(pp)
	}
	return tpm.NewResponse(rc)
}

func (e *Engine) ppPermanent(pp tpm.PhysicalPresence) tpm.RC {
	if e.perm.PhysicalPresenceLifetimeLock {
		return tpm.RCBadParameter
	}
	if pp&tpm.PPHWEnable != 0 && pp&tpm.PPHWDisable != 0 || pp&tpm.PPCMDEnable != 0 && pp&tpm.PPCMDDisable != 0 {
		return tpm.RCBadParameter
	}
	if pp&tpm.PPHWEnable != 0 {
		e.perm.PhysicalPresenceHWEnable = true
	}
	if pp&tpm.PPHWDisable != 0 {
		e.perm.PhysicalPresenceHWEnable = false
	}
	if pp&tpm.PPCMDEnable != 0 {
		e.perm.PhysicalPresenceCMDEnable = true
	}
	if pp&tpm.PPCMDDisable != 0 {
		e.perm.PhysicalPresenceCMDEnable = false
	}
	if pp&tpm.PPLifetimeLock != 0 {
		e.perm.PhysicalPresenceLifetimeLock = true
	}
	return tpm.RCSuccess
}

func (e *Engine) ppVolatile(pp tpm.PhysicalPresence) tpm.RC {
	if !e.perm.PhysicalPresenceCMDEnable || e.stclear.PhysicalPresenceLock {
		return tpm.RCBadParameter
	}
	if pp&tpm.PPPresent != 0 && pp&(tpm.PPNotPresent|tpm.PPLock) != 0 {
		return tpm.RCBadParameter
	}
	if pp&tpm.PPLock != 0 {
		e.stclear.PhysicalPresenceLock = true
		e.stclear.PhysicalPresence = false
		return tpm.RCSuccess
	}
	e.stclear.PhysicalPresence = pp&tpm.PPPresent != 0
	return tpm.RCSuccess
}

// physicallyPresent reports software physical presence (the model has no
// hardware presence pin).
func (e *Engine) physicallyPresent() bool { return e.stclear.PhysicalPresence }

func (e *Engine) cmdPhysicalEnable() []byte {
	if !e.physicallyPresent() {
		return tpm.NewResponse(tpm.RCBadPresence)
	}
	e.perm.Disable = false
	return e.ok()
}

func (e *Engine) cmdPhysicalDisable() []byte {
	if !e.physicallyPresent() {
		return tpm.NewResponse(tpm.RCBadPresence)
	}
	e.perm.Disable = true
	return e.ok()
}

// cmdPhysicalSetDeactivated writes only the permanent flag; the STCLEAR copy
// that the other commands test is loaded from it at the next TPM_Startup.
func (e *Engine) cmdPhysicalSetDeactivated(params []byte) []byte {
	if len(params) != 1 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if !e.physicallyPresent() {
		return tpm.NewResponse(tpm.RCBadPresence)
	}
	e.perm.Deactivated = params[0] != 0
	return e.ok()
}
