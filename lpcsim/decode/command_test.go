package decode

import (
	"strings"
	"testing"

	"tpmbench/tpm"
)

// exchange appends the driver side of one FIFO exchange on locality loc:
// commandReady, the command bytes, tpmGo, a status poll, then the response.
func (w wave) exchange(loc int, cmd, rsp []byte, readRsp int) wave {
	base := uint16(loc) << 12
	w = w.tpmWrite(base|regSTS, 0, stsCmdReady)
	for _, b := range cmd {
		w = w.tpmWrite(base|regDataFIFO, 1, b)
	}
	w = w.tpmWrite(base|regSTS, 0, stsTPMGo).tpmRead(base|regSTS, 3, 0x90)
	for _, b := range rsp[:readRsp] {
		w = w.tpmRead(base|regDataFIFO, 0, b)
	}
	return w.tpmWrite(base|regSTS, 0, stsCmdReady)
}

func TestCommands(t *testing.T) {
	getcap := tpm.GetCapProperty(tpm.Prop(0x115)) // TPM_CAP_PROP_TIS_TIMEOUT
	postinit := tpm.NewResponse(tpm.RC(0x26))
	startup := tpm.Startup(tpm.STClear)
	ok := tpm.NewResponse(0)
	startup2 := tpm.Startup2(tpm.SUClear)
	init2 := tpm.NewResponse2(tpm.RC2(0x100))
	w := wave{}.idle(2).
		exchange(0, getcap, postinit, len(postinit)).
		exchange(0, startup, ok, len(ok)).
		exchange(2, startup2, init2, len(init2)).
		exchange(0, startup, ok, 4) // response cut short by commandReady
	w = w.tpmWrite(regSTS, 0, stsCmdReady).tpmWrite(regDataFIFO, 0, 0x00).tpmWrite(regDataFIFO, 0, 0xC1).tpmWrite(regSTS, 0, stsCmdReady)
	var got []string
	var ops []RegOp
	src, err := openBytes(w.sr(t, srOptions{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Run(src, Handlers{
		Command: func(c *Command) error { got = append(got, c.String()+" ["+c.Status.String()+"]"); return nil },
		RegOp:   func(o RegOp) error { ops = append(ops, o); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"loc0 TPM_GetCapability TPM_CAP_PROPERTY " + tpm.Prop(0x115).String() + " -> TPM_INVALID_POSTINIT (0x26) [answered]",
		"loc0 TPM_Startup TPM_ST_CLEAR -> TPM_SUCCESS (0x0) [answered]",
		"loc2 TPM2_Startup TPM_SU_CLEAR -> TPM_RC_INITIALIZE (0x100) [answered]",
		"loc0 TPM_Startup TPM_ST_CLEAR -> 4 response bytes [partial]",
		"loc0 (2 command bytes) -> cancelled [cancelled]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st.Commands != len(want) || st.RegOps != len(ops) || st.RegOps != st.Kind(TPMRead)+st.Kind(TPMWrite) {
		t.Errorf("stats: %d commands, %d reg ops (%d TPM cycles)", st.Commands, st.RegOps, st.Kind(TPMRead)+st.Kind(TPMWrite))
	}
	if o := ops[1]; o.Name != "DATA_FIFO" || !o.Write || o.Value != getcap[0] || o.Locality != 0 {
		t.Errorf("second op = %v, want a FIFO write of 0x%02X", o, getcap[0])
	}
}

func TestRegisterNames(t *testing.T) {
	tests := []struct {
		off  uint16
		want string
	}{{0x000, "ACCESS"}, {0x018, "STS"}, {0x019, "STS+1"}, {0x01B, "STS+3"}, {0x025, "DATA_FIFO"}, {0x0A0, "XDATA_FIFO"},
		{0xF00, "DID_VID"}, {0xF02, "DID_VID+2"}, {0xF04, "RID"}, {0x030, "INTERFACE_ID"}, {0xF90, "reg 0xF90"}, {0x3000, "ACCESS"}}
	for _, tt := range tests {
		if got := RegisterName(tt.off); got != tt.want {
			t.Errorf("RegisterName(0x%03X) = %q, want %q", tt.off, got, tt.want)
		}
	}
}

func TestMerge(t *testing.T) {
	w := wave{}.tpmRead(0xF00, 0, 0xD1).tpmRead(0xF01, 0, 0x15).tpmRead(0xF02, 0, 0x0B).tpmRead(0xF03, 0, 0x00).
		tpmRead(0x24, 0, 1).tpmRead(0x24, 0, 2).tpmWrite(0x18, 0, 0x40).
		frame(0x5).nib(0x0).nib(addrNibs(0x18, 4)...).nib(0xF, 0xF, 0xF, 0xF, 0xF).frame(0xF, 0xF, 0xF, 0xF).idle(1)
	var ops []RegOp
	src, err := openBytes(w.sr(t, srOptions{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(src, Handlers{RegOp: func(o RegOp) error { ops = append(ops, o); return nil }}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range Merge(ops) {
		got = append(got, a.String())
	}
	want := []string{
		"loc0 read  DID_VID          -> 0x000B15D1",
		"loc0 read  DATA_FIFO        -> 0x01",
		"loc0 read  DATA_FIFO        -> 0x02",
		"loc0 write STS              <- 0x40",
		"loc0 read  STS              -> 0xFF [FAILED]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("accesses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
