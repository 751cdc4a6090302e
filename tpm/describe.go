package tpm

import (
	"encoding/binary"
	"fmt"
)

// DescribeCommand names a request for logs and decoders, with the
// parameters that identify it: "TPM_GetCapability(TPM_CAP_PROPERTY,
// TPM_CAP_PROP_MANUFACTURER)", "TSC_PhysicalPresence(CMD_ENABLE)",
// "TPM2_GetCapability(TPM_PROPERTIES, 0x105, 8)". Malformed input is
// described as such, never rejected.
func DescribeCommand(b []byte) string {
	c, err := ParseCommand(b)
	if err != nil {
		return fmt.Sprintf("malformed command (% X)", clip(b))
	}
	if c.Tag.Is20() {
		return c.CommandCode().String() + describeParams2(c)
	}
	return c.Ordinal().String() + describeParams(c)
}

func describeParams(c Command) string {
	p := c.Params
	switch c.Ordinal() {
	case OrdGetCapability:
		g, err := ParseGetCapabilityRequest(p)
		if err != nil {
			return "(malformed)"
		}
		sub, ok := g.SubCapUint32()
		switch {
		case !ok:
			return "(" + g.Cap.String() + ")"
		case g.Cap == CapProperty:
			return fmt.Sprintf("(%v, %v)", g.Cap, Prop(sub))
		case g.Cap == CapFlag && sub == CapFlagPermanent:
			return fmt.Sprintf("(%v, PERMANENT)", g.Cap)
		case g.Cap == CapFlag && sub == CapFlagVolatile:
			return fmt.Sprintf("(%v, VOLATILE)", g.Cap)
		case g.Cap == CapOrd:
			return fmt.Sprintf("(%v, %v)", g.Cap, Ordinal(sub))
		}
		return fmt.Sprintf("(%v, 0x%X)", g.Cap, sub)
	case OrdStartup:
		if len(p) == 2 {
			return fmt.Sprintf("(%s)", map[uint16]string{1: "ST_CLEAR", 2: "ST_STATE", 3: "ST_DEACTIVATED"}[binary.BigEndian.Uint16(p)])
		}
	case OrdTSCPhysicalPresence:
		if len(p) == 2 {
			return "(" + PhysicalPresence(binary.BigEndian.Uint16(p)).String() + ")"
		}
	case OrdPhysicalSetDeactivated:
		if len(p) == 1 {
			return fmt.Sprintf("(%v)", p[0] != 0)
		}
	case OrdPCRRead, OrdExtend, OrdGetRandom, OrdNVReadValue, OrdNVWriteValue:
		if len(p) >= 4 {
			return fmt.Sprintf("(0x%X)", binary.BigEndian.Uint32(p))
		}
	case OrdNVDefineSpace:
		if pub, _, err := ParseNVDefineSpaceRequest(p); err == nil {
			perm := pub.Permission.String()
			if perm == "" {
				perm = "no permissions"
			}
			return fmt.Sprintf("(0x%08X, %d bytes, %s)", pub.Index, pub.DataSize, perm)
		}
	}
	return ""
}

var cap2Names = map[Cap2]string{
	Cap2Algs: "ALGS", Cap2Handles: "HANDLES", Cap2Commands: "COMMANDS", Cap2PPCommands: "PP_COMMANDS",
	Cap2AuditCommands: "AUDIT_COMMANDS", Cap2PCRs: "PCRS", Cap2TPMProperties: "TPM_PROPERTIES",
	Cap2PCRProperties: "PCR_PROPERTIES", Cap2ECCCurves: "ECC_CURVES",
}

// String returns the capability name without its TPM_CAP_ prefix, as
// tpm2-tools spells it, e.g. "TPM_PROPERTIES".
func (c Cap2) String() string {
	if n, ok := cap2Names[c]; ok {
		return n
	}
	return fmt.Sprintf("TPM_CAP 0x%X", uint32(c))
}

func describeParams2(c Command) string {
	switch c.CommandCode() {
	case CCGetCapability:
		if g, err := ParseGetCapabilityRequest2(c.Params); err == nil {
			return fmt.Sprintf("(%v, 0x%X, %d)", g.Capability, g.Property, g.Count)
		}
	case CCStartup, CCShutdown:
		if len(c.Params) == 2 {
			return fmt.Sprintf("(%s)", map[uint16]string{0: "SU_CLEAR", 1: "SU_STATE"}[binary.BigEndian.Uint16(c.Params)])
		}
	case CCPCRRead:
		if sel, err := ParsePCRReadRequest2(c.Params); err == nil {
			s := "("
			for i, x := range sel {
				if i > 0 {
					s += ", "
				}
				s += fmt.Sprintf("%v:%v", x.Hash, x.PCRs())
			}
			return s + ")"
		}
	}
	return ""
}

// DescribeResponse names a response's code: "TPM_SUCCESS (0x0)",
// "TPM_DISABLED (0x7)", "TPM_RC_INITIALIZE (0x100)".
func DescribeResponse(b []byte) string {
	r, err := ParseResponse(b)
	if err != nil {
		return fmt.Sprintf("malformed response (% X)", clip(b))
	}
	if r.Tag.Is20() {
		return RC2(r.Code).String()
	}
	return RC(r.Code).String()
}

func clip(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}
