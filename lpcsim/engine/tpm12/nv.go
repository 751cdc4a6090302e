package tpm12

import (
	"bytes"
	"encoding/binary"

	"tpmbench/tpm"
)

// nvCapacity is the NV space of the model in bytes.
const nvCapacity = 2048

// areas lists the defined NV areas in slot order (the order NV_LIST
// reports). e.nv has nil holes where areas were deleted; a new area takes
// the first hole, as in libtpms.
func (e *Engine) areas() []*nvArea {
	var out []*nvArea
	for _, a := range e.nv {
		if a != nil {
			out = append(out, a)
		}
	}
	return out
}

func (e *Engine) findNV(index uint32) *nvArea {
	for _, a := range e.areas() {
		if a.pub.Index == index {
			return a
		}
	}
	return nil
}

func (e *Engine) nvUsed() uint32 {
	var n uint32
	for _, a := range e.areas() {
		n += a.pub.DataSize
	}
	return n
}

func (e *Engine) addNV(a *nvArea) {
	for i, x := range e.nv {
		if x == nil {
			e.nv[i] = a
			return
		}
	}
	e.nv = append(e.nv, a)
}

// nvAccess applies the checks that start to matter once nvLocked is TRUE:
// disabled/deactivated, and the count of writes without an owner.
func (e *Engine) nvAccess(write bool) tpm.RC {
	if !e.perm.NVLocked {
		return tpm.RCSuccess
	}
	if rc := e.checkState(checkDisabled | checkDeactivated); rc != tpm.RCSuccess {
		return rc
	}
	if write && !e.owned {
		if e.nvWrites >= maxNoOwnerNVWrites {
			return tpm.RCMaxNVWrites
		}
		e.nvWrites++
	}
	return tpm.RCSuccess
}

func (e *Engine) cmdNVDefineSpace(params []byte) []byte {
	pub, _, err := tpm.ParseNVDefineSpaceRequest(params)
	if err != nil {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if pub.Index == tpm.NVIndexLock {
		// TPM_NV_INDEX_LOCK: from now on NV authorisation is enforced.
		e.perm.NVLocked = true
		return e.ok()
	}
	if e.perm.NVLocked {
		if e.owned {
			return tpm.NewResponse(tpm.RCAuthFail) // an owner must authorise
		}
		if !e.physicallyPresent() {
			return tpm.NewResponse(tpm.RCBadPresence)
		}
	}
	old := e.findNV(pub.Index)
	if old != nil && pub.DataSize == 0 {
		if rc := e.nvAccess(true); rc != tpm.RCSuccess {
			return tpm.NewResponse(rc)
		}
		e.deleteNV(old)
		return e.ok()
	}
	if pub.Permission&(tpm.NVPerAuthWrite|tpm.NVPerOwnerWrite|tpm.NVPerPPWrite) == 0 {
		return tpm.NewResponse(tpm.RCPerNoWrite)
	}
	// Return codes as libtpms gives them: index 0 is refused, a new area of
	// size 0 is a parameter-size error (the D bit is not checked).
	if pub.Index == tpm.NVIndex0 {
		return tpm.NewResponse(tpm.RCBadIndex)
	}
	if pub.DataSize == 0 {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	if rc := e.nvAccess(true); rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	free := nvCapacity - e.nvUsed()
	if old != nil {
		free += old.pub.DataSize
	}
	if pub.DataSize > free {
		return tpm.NewResponse(tpm.RCNoSpace)
	}
	// Defining an existing index again replaces it: the new area takes a
	// slot before the old one is freed.
	e.addNV(&nvArea{pub: pub, data: bytes.Repeat([]byte{0xFF}, int(pub.DataSize))})
	if old != nil {
		e.deleteNV(old)
	}
	return e.ok()
}

func (e *Engine) deleteNV(a *nvArea) {
	for i, x := range e.nv {
		if x == a {
			e.nv[i] = nil
		}
	}
}

// nvPermission checks an unauthorised read or write of an area: owner and
// auth permissions need a session the model does not have; PP permissions
// need physical presence. Only enforced once nvLocked is TRUE.
func (e *Engine) nvPermission(a *nvArea, write bool) tpm.RC {
	if !e.perm.NVLocked {
		return tpm.RCSuccess
	}
	auth, pp := tpm.NVPerAuthRead|tpm.NVPerOwnerRead, tpm.NVPerPPRead
	if write {
		auth, pp = tpm.NVPerAuthWrite|tpm.NVPerOwnerWrite, tpm.NVPerPPWrite
	}
	if a.pub.Permission&auth != 0 {
		return tpm.RCAuthConflict
	}
	if a.pub.Permission&pp != 0 && !e.physicallyPresent() {
		return tpm.RCBadPresence
	}
	return tpm.RCSuccess
}

func (e *Engine) cmdNVReadValue(params []byte) []byte {
	p, ok := u32Params(params, 3)
	if !ok {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	a := e.findNV(p[0])
	if a == nil {
		return tpm.NewResponse(tpm.RCBadIndex)
	}
	if rc := e.nvAccess(false); rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	if rc := e.nvPermission(a, false); rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	off, size := uint64(p[1]), uint64(p[2])
	if off+size > uint64(len(a.data)) {
		return tpm.NewResponse(tpm.RCNoSpace)
	}
	return tpm.NewResponse(tpm.RCSuccess, tpm.Sized(a.data[off:off+size]))
}

func (e *Engine) cmdNVWriteValue(params []byte) []byte {
	if len(params) < 12 || uint64(binary.BigEndian.Uint32(params[8:])) != uint64(len(params)-12) {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	index, off := binary.BigEndian.Uint32(params), uint64(binary.BigEndian.Uint32(params[4:]))
	data := params[12:]
	a := e.findNV(index)
	if a == nil {
		return tpm.NewResponse(tpm.RCBadIndex)
	}
	if rc := e.nvPermission(a, true); rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	if a.pub.WriteDefine || a.pub.WriteSTClear {
		return tpm.NewResponse(tpm.RCAreaLocked)
	}
	if off+uint64(len(data)) > uint64(len(a.data)) {
		return tpm.NewResponse(tpm.RCNoSpace)
	}
	if a.pub.Permission&tpm.NVPerWriteAll != 0 && len(data) != 0 && (off != 0 || len(data) != len(a.data)) {
		return tpm.NewResponse(tpm.RCNotFullWrite)
	}
	if rc := e.nvAccess(true); rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	if len(data) == 0 {
		// A zero-length write sets the write locks the area asked for.
		a.pub.WriteDefine = a.pub.Permission&tpm.NVPerWriteDefine != 0
		a.pub.WriteSTClear = a.pub.Permission&tpm.NVPerWriteSTClear != 0
		return e.ok()
	}
	copy(a.data[off:], data)
	return e.ok()
}
