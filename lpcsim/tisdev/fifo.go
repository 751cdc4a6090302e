package tisdev

import (
	"encoding/binary"
	"fmt"
)

// Response fields the device writes itself when the engine fails or a
// command is cancelled.
const (
	tagRsp12         = 0x00C4 // TPM_TAG_RSP_COMMAND
	tagRsp20         = 0x8001 // TPM_ST_NO_SESSIONS
	rcFail12         = 0x09   // TPM_FAIL
	rcFailure20      = 0x101  // TPM_RC_FAILURE
	rcCancelled20    = 0x909  // TPM_RC_CANCELLED
	ordContSelfTest  = 0x53   // TPM_ORD_ContinueSelfTest
	ordSelfTestFull  = 0x50   // TPM_ORD_SelfTestFull
	ccSelfTest20     = 0x143  // TPM2_CC_SelfTest
	headerSize       = 10     // tag, paramSize, ordinal or return code
	paramSizeOffset  = 2
	paramSizeEnd     = 6
	commandCodeStart = 6
)

// toIdle drops whatever the FIFO holds.
func (d *Device) toIdle() {
	d.state = StateIdle
	d.sts = 0
	d.wrOff, d.rdOff, d.rspLen = 0, 0, 0
	d.busy, d.hung = 0, false
	d.readying, d.toReady = false, 0
}

// writeSts handles a write of byte i (0-3) of TPM_STS from the active
// locality l. commandCancel during EXECUTION answers TPM_RC_CANCELLED at
// once; the engine has already run the command (it runs synchronously).
func (d *Device) writeSts(l int, i uint16, v uint8) {
	switch i {
	case 0:
		d.writeSts0(l, v)
	case 3:
		if d.p.Family != Family20 {
			return
		}
		if v&Sts3CommandCancel != 0 && d.state == StateExecution {
			d.respond(tagRsp20, rcCancelled20)
			d.complete()
		}
		if v&Sts3ResetEstablishment != 0 && l == 3 {
			d.estab = false
		}
	}
}

// writeSts0 handles commandReady, tpmGo and responseRetry. As in QEMU, a
// write acts only when exactly one of the three bits is set.
func (d *Device) writeSts0(l int, v uint8) {
	switch v & (StsCommandReady | StsGo | StsResponseRetry) {
	case StsCommandReady:
		d.commandReady()
	case StsGo:
		if d.state == StateReception && d.sts&StsExpect == 0 {
			d.execute(l)
		}
	case StsResponseRetry:
		if d.state == StateCompletion {
			d.rdOff = 0
			d.sts = StsValid | StsDataAvail
		}
	}
}

// commandReady moves the FIFO to READY, aborting a command being received
// or executed and releasing a response; with Timing.ReadyAccesses the FIFO
// sits in IDLE for that many accesses first.
func (d *Device) commandReady() {
	switch {
	case d.state == StateReady:
		d.wrOff = 0
	case d.readying:
	case d.p.Timing.ReadyAccesses > 0:
		d.toIdle()
		d.readying, d.toReady = true, d.p.Timing.ReadyAccesses
	default:
		d.toIdle()
		d.ready()
	}
}

// ready enters READY with an empty buffer.
func (d *Device) ready() {
	d.toIdle()
	d.state = StateReady
	d.sts = StsCommandReady
	d.raise(d.active, IntCommandReady)
}

// writeFIFO takes one command byte.
func (d *Device) writeFIFO(v uint8) {
	switch d.state {
	case StateReady:
		d.state = StateReception
		d.sts = StsExpect | StsValid
		d.raise(d.active, IntStsValid)
	case StateReception:
	default:
		return // dropped in IDLE, EXECUTION and COMPLETION
	}
	if d.sts&StsExpect == 0 {
		return // the command is complete; extra bytes are dropped
	}
	if d.wrOff >= BufferSize {
		d.sts = StsValid // overflow: stop expecting
		d.raise(d.active, IntStsValid)
		return
	}
	d.buf[d.wrOff] = v
	d.wrOff++
	if d.wrOff >= paramSizeEnd && uint32(d.wrOff) >= be32(d.buf[paramSizeOffset:paramSizeEnd]) {
		d.sts = StsValid
		d.raise(d.active, IntStsValid)
	}
}

// readFIFO returns the next response byte, or 0xFF when there is none or l
// is not the active locality.
func (d *Device) readFIFO(l int) uint8 {
	if l != d.active || d.state != StateCompletion || d.sts&StsDataAvail == 0 {
		return noData
	}
	b := d.buf[d.rdOff]
	d.rdOff++
	if d.rdOff >= d.rspLen {
		d.sts = StsValid
		d.raise(l, IntStsValid)
	}
	return b
}

// execute runs the received command on the engine (tpmGo). The response
// replaces the command in the buffer; the FIFO stays in EXECUTION for
// Timing.ExecAccesses accesses.
func (d *Device) execute(l int) {
	d.state = StateExecution
	d.sts = StsValid
	d.busy = d.p.Timing.ExecAccesses
	var code uint32
	if d.wrOff >= commandCodeStart+4 {
		code = be32(d.buf[commandCodeStart:])
	}
	rsp, err := d.run(l)
	if err != nil {
		d.err = fmt.Errorf("tisdev: locality %d command 0x%x (%d bytes): %w", l, code, d.wrOff, err)
		if d.p.Faults.HangOnEngineError {
			d.hung = true
			return
		}
		if d.p.Family == Family20 {
			d.respond(tagRsp20, rcFailure20)
		} else {
			d.respond(tagRsp12, rcFail12)
		}
	} else {
		d.rspLen = copy(d.buf[:], rsp)
		d.noteSelfTest(code)
		if delta := d.p.Faults.SizeDelta; delta != 0 && d.rspLen >= paramSizeEnd {
			size := be32(d.buf[paramSizeOffset:]) + uint32(delta)
			binary.BigEndian.PutUint32(d.buf[paramSizeOffset:], size)
		}
	}
	if d.busy == 0 {
		d.complete()
	}
}

// run calls the engine, turning a missing engine, a panic, an empty or an
// oversized response into an error wrapping ErrEngine.
func (d *Device) run(l int) (rsp []byte, err error) {
	if d.eng == nil {
		return nil, fmt.Errorf("%w: no engine behind the FIFO", ErrEngine)
	}
	defer func() {
		if r := recover(); r != nil {
			rsp, err = nil, fmt.Errorf("%w: engine panicked: %v", ErrEngine, r)
		}
	}()
	rsp, err = d.eng.Execute(l, d.buf[:d.wrOff])
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrEngine, err)
	case len(rsp) == 0:
		return nil, fmt.Errorf("%w: empty response", ErrEngine)
	case len(rsp) > BufferSize:
		return nil, fmt.Errorf("%w: %d-byte response does not fit the %d-byte buffer", ErrEngine, len(rsp), BufferSize)
	}
	return rsp, nil
}

// respond puts a header-only response with the given tag and return code in
// the buffer.
func (d *Device) respond(tag uint16, rc uint32) {
	binary.BigEndian.PutUint16(d.buf[0:], tag)
	binary.BigEndian.PutUint32(d.buf[paramSizeOffset:], headerSize)
	binary.BigEndian.PutUint32(d.buf[commandCodeStart:], rc)
	d.rspLen = headerSize
}

// noteSelfTest sets STS.selfTestDone (TIS 1.3 parts only) after a successful
// self-test command, the way QEMU peeks at the traffic.
func (d *Device) noteSelfTest(code uint32) {
	if !d.xfifo() || d.rspLen < headerSize || be32(d.buf[commandCodeStart:]) != 0 {
		return
	}
	switch {
	case d.p.Family == Family20 && code == ccSelfTest20,
		d.p.Family == Family12 && (code == ordContSelfTest || code == ordSelfTestFull):
		d.selfTest = true
	}
}

// complete ends EXECUTION: the response can be read.
func (d *Device) complete() {
	d.state = StateCompletion
	d.rdOff = 0
	d.busy, d.hung = 0, false
	d.sts = StsValid | StsDataAvail
	d.raise(d.active, IntDataAvail|IntStsValid)
}
