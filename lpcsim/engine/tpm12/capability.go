package tpm12

import "tpmbench/tpm"

func (e *Engine) cmdGetCapability(params []byte) []byte {
	req, err := tpm.ParseGetCapabilityRequest(params)
	if err != nil {
		return tpm.NewResponse(tpm.RCBadParamSize)
	}
	data, rc := e.capability(req)
	if rc != tpm.RCSuccess {
		return tpm.NewResponse(rc)
	}
	return tpm.NewResponse(tpm.RCSuccess, tpm.Sized(data))
}

func (e *Engine) capability(req tpm.GetCapabilityRequest) ([]byte, tpm.RC) {
	sub, sub32 := req.SubCapUint32()
	switch req.Cap {
	case tpm.CapVersionVal:
		return e.id.VersionInfo.Marshal(), tpm.RCSuccess
	case tpm.CapVersion:
		return tpm.Version{Major: 1, Minor: 1}.Marshal(), tpm.RCSuccess
	case tpm.CapKeyHandle:
		return []byte{0, 0}, tpm.RCSuccess // TPM_KEY_HANDLE_LIST with no handles
	case tpm.CapNVList:
		var l tpm.NVList
		for _, a := range e.areas() {
			l = append(l, a.pub.Index)
		}
		return l.Marshal(), tpm.RCSuccess
	}
	if !sub32 {
		return nil, tpm.RCBadMode
	}
	switch req.Cap {
	case tpm.CapOrd:
		// A real TPM 1.2 implements every ordinal of the specification;
		// the model claims them all, though it runs only a subset.
		return boolByte(tpm.Ordinal(sub).Known()), tpm.RCSuccess
	case tpm.CapFlag:
		return e.flagCap(sub)
	case tpm.CapProperty:
		return e.property(tpm.Prop(sub))
	case tpm.CapNVIndex:
		a := e.findNV(sub)
		if a == nil {
			return nil, tpm.RCBadIndex
		}
		return a.pub.Marshal(), tpm.RCSuccess
	}
	return nil, tpm.RCBadMode
}

func (e *Engine) flagCap(sub uint32) ([]byte, tpm.RC) {
	switch sub {
	case tpm.CapFlagPermanent:
		return e.perm.Marshal(), tpm.RCSuccess
	case tpm.CapFlagVolatile:
		return e.stclear.Marshal(), tpm.RCSuccess
	}
	return nil, tpm.RCBadMode
}

func boolByte(v bool) []byte {
	if v {
		return []byte{1}
	}
	return []byte{0}
}

func u32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

func (e *Engine) property(p tpm.Prop) ([]byte, tpm.RC) {
	switch p {
	case tpm.PropPCR:
		return u32(NumPCRs), tpm.RCSuccess
	case tpm.PropDIR:
		return u32(1), tpm.RCSuccess
	case tpm.PropManufacturer:
		return u32(e.id.Manufacturer), tpm.RCSuccess
	case tpm.PropKeys, tpm.PropMaxKeys:
		return u32(20), tpm.RCSuccess
	case tpm.PropMaxAuthSess, tpm.PropMaxTransSess, tpm.PropMaxSessions:
		return u32(16), tpm.RCSuccess
	case tpm.PropOwner:
		return boolByte(e.owned), tpm.RCSuccess
	case tpm.PropTISTimeout:
		return e.id.Timeouts.Marshal(), tpm.RCSuccess
	case tpm.PropDuration:
		return e.id.Durations.Marshal(), tpm.RCSuccess
	case tpm.PropInputBuffer:
		return u32(tpm.MaxMessageSize), tpm.RCSuccess
	case tpm.PropMaxNVAvailable:
		return u32(nvCapacity - e.nvUsed()), tpm.RCSuccess
	}
	return nil, tpm.RCBadMode
}
