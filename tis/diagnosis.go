package tis

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Symptom is what the driver saw when a probe failed. Its string is stable (used in JSON).
type Symptom string

// Symptoms, from nothing on the bus to a TPM that answers but cannot finish a command.
const (
	SymptomNone         Symptom = ""
	SymptomAllOnes      Symptom = "did_vid_all_ones"
	SymptomAllZeros     Symptom = "did_vid_all_zeros"
	SymptomUnknownID    Symptom = "did_vid_unknown"
	SymptomUnstable     Symptom = "reads_unstable"
	SymptomNotValid     Symptom = "access_never_valid"
	SymptomLocality     Symptom = "locality_not_granted"
	SymptomCommandReady Symptom = "command_ready_never_set"
	SymptomBurstZero    Symptom = "burst_count_stuck_zero"
	SymptomStsValid     Symptom = "sts_valid_never_set"
	SymptomExpect       Symptom = "expect_wrong"
	SymptomNoResponse   Symptom = "data_avail_never_set"
	SymptomBadSize      Symptom = "response_size_lies"
	SymptomTPMError     Symptom = "tpm_error"
	SymptomCanceled     Symptom = "canceled"
	SymptomBusError     Symptom = "bus_error"
	SymptomOptions      Symptom = "bad_options"
)

// Cause is one likely cause of a symptom: a signal or rail to check (canonical names: LCLK,
// LFRAME#, LRESET#, LAD0..LAD3, SERIRQ, +3V3, GND) or "" for a cause that is not one wire, and
// what to look at.
type Cause struct {
	Signal string `json:"signal,omitempty"` // canonical signal or rail name, "" when not one wire
	Why    string `json:"why"`              // what may be wrong and what to look at
}

// Diagnosis explains a failed (or partial) probe: the symptom, one sentence on what it means,
// and the likely causes, most likely first.
type Diagnosis struct {
	Symptom Symptom `json:"symptom"` // what the driver saw
	Summary string  `json:"summary"` // what the symptom means, in one sentence
	Causes  []Cause `json:"causes"`  // likely causes, most likely first
}

// Signals returns the signals named by the causes, in order, without repeats.
func (d Diagnosis) Signals() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range d.Causes {
		if c.Signal != "" && !seen[c.Signal] {
			seen[c.Signal] = true
			out = append(out, c.Signal)
		}
	}
	return out
}

// WriteText prints the diagnosis for a person at the bench.
func (d Diagnosis) WriteText(w io.Writer) {
	fmt.Fprintf(w, "diagnosis: %s\n", d.Summary)
	if len(d.Causes) > 0 {
		fmt.Fprintln(w, "likely causes:")
	}
	for _, c := range d.Causes {
		if c.Signal != "" {
			fmt.Fprintf(w, "  - %s: %s\n", c.Signal, c.Why)
		} else {
			fmt.Fprintf(w, "  - %s\n", c.Why)
		}
	}
}

var ladLines = []string{"LAD0", "LAD1", "LAD2", "LAD3"}

func ladCauses(why string) []Cause {
	out := make([]Cause, 0, 4)
	for _, l := range ladLines {
		out = append(out, Cause{l, why})
	}
	return out
}

func join(parts ...[]Cause) []Cause {
	var out []Cause
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var (
	causeClock    = Cause{"LCLK", "no 33 MHz clock at the module: open, stuck, or a clock pin the board does not drive"}
	causeFrame    = Cause{"LFRAME#", "the TPM never sees a cycle start: LFRAME# open or stuck"}
	causeReset    = Cause{"LRESET#", "the TPM is held in reset (LRESET# stuck low) or never reset (open)"}
	causePower    = Cause{"+3V3", "no 3.3 V at the module (check both +3V and +3VSB pins)"}
	causeGround   = Cause{"GND", "no common ground between board and module"}
	causeBridge   = Cause{"", "the host bridge emits no TPM cycles for 0xFED40000-0xFED44FFF (chipset or BIOS does not decode the TPM range)"}
	causeLength   = Cause{"", "long or loose wires (breadboard): keep them short and solder them"}
	causeBusy     = Cause{"", "the TPM is busy or stuck in a command: power-cycle it (LRESET#)"}
	causeOtherLoc = Cause{"", "another locality holds the TPM (firmware or a kernel driver): relinquish it, or unbind the driver"}
)

// diagnoses is the symptom table: what a symptom means and what to check, most likely first.
var diagnoses = map[Symptom]Diagnosis{
	SymptomAllOnes: {Summary: "DID_VID reads 0xFFFFFFFF: nothing answers the TPM cycles (every cycle aborts, the bus floats high)",
		Causes: join([]Cause{causeClock, causeFrame, causeReset}, ladCauses("LAD line open or stuck: the TPM cannot decode the cycle or drive SYNC"),
			[]Cause{causePower, causeGround, causeBridge})},
	SymptomAllZeros: {Summary: "DID_VID reads 0x00000000: the data lines are held low",
		Causes: join(ladCauses("LAD line stuck low or shorted to ground"), []Cause{causeReset, causePower, causeGround, causeFrame,
			{"", "the host bridge returns zeros for a memory range nobody claims"}})},
	SymptomUnknownID: {Summary: "DID_VID is neither all ones nor a known TPM: bits are moved or lost on the way",
		Causes: join(ladCauses("LAD lines swapped or one line stuck: nibbles arrive with bits moved"), []Cause{causeGround, causeLength})},
	SymptomUnstable: {Summary: "the same register reads back different values: the bus is unreliable",
		Causes: join([]Cause{causeGround, causeLength, causeClock}, ladCauses("intermittent contact on a LAD line"),
			[]Cause{causeFrame, causePower})},
	SymptomNotValid: {Summary: "TPM_ACCESS.tpmRegValidSts never became 1 within TIMEOUT_A",
		Causes: join([]Cause{causeReset, causePower}, ladCauses("LAD line fault corrupting reads of TPM_ACCESS"), []Cause{causeClock, causeGround})},
	SymptomLocality: {Summary: "the locality was never granted (TPM_ACCESS.activeLocality stayed 0 within TIMEOUT_A)",
		Causes: join([]Cause{causeOtherLoc}, ladCauses("the write of requestUse does not arrive intact"), []Cause{causeFrame, causeClock, causeGround, causeLength})},
	SymptomCommandReady: {Summary: "TPM_STS.commandReady never became 1 within TIMEOUT_B",
		Causes: join([]Cause{causeBusy}, ladCauses("writes to TPM_STS do not arrive intact"), []Cause{causeGround, causeLength})},
	SymptomBurstZero: {Summary: "TPM_STS.burstCount stayed 0: the TPM never accepted or offered FIFO bytes",
		Causes: join([]Cause{causeBusy}, ladCauses("status reads corrupted"), []Cause{causeGround, causeLength})},
	SymptomStsValid: {Summary: "TPM_STS.stsValid never became 1 within TIMEOUT_C",
		Causes: join([]Cause{causeBusy}, ladCauses("status reads corrupted"), []Cause{causeGround, causeLength, causeClock})},
	SymptomExpect: {Summary: "TPM_STS.Expect disagreed with the bytes sent: command bytes were lost or added on the way",
		Causes: join(ladCauses("FIFO writes corrupted (swapped or intermittent LAD line)"), []Cause{causeLength, causeGround, causeClock, causeFrame})},
	SymptomNoResponse: {Summary: "TPM_STS.dataAvail never became 1 within the command's duration",
		Causes: join([]Cause{causeBusy}, ladCauses("the command arrived corrupted"), []Cause{causeReset, causeLength, causeGround})},
	SymptomBadSize: {Summary: "a response's size field disagrees with the bytes the TPM offered (retried with responseRetry)",
		Causes: join(ladCauses("FIFO reads corrupted (swapped or intermittent LAD line)"), []Cause{causeLength, causeGround, causeClock})},
	SymptomTPMError: {Summary: "the TPM answered every command but refused one the probe needs",
		Causes: []Cause{{"", "the TPM's state: see the return code; a failed self-test needs a power cycle, a disabled TPM needs enabling"}}},
	SymptomCanceled: {Summary: "the probe was interrupted or the TPM canceled a command",
		Causes: []Cause{{"", "Ctrl-C or a deadline; or the TPM aborted the command (some chips report a cancel as commandReady)"}}},
	SymptomBusError: {Summary: "the register window itself failed (mapping or bridge error)",
		Causes: []Cause{{"", "see the error: /dev/mem access, a bridge or adapter error"}}},
	SymptomOptions: {Summary: "the probe was asked for something the driver refuses; nothing was read from the bus, so nothing is known about the wiring",
		Causes: []Cause{{"", "see the error: use locality 0-3 and a timeout scale within range"}}},
}

// Diagnose returns the diagnosis for an error from this package, or a generic one for other
// errors. It returns a zero Diagnosis for a nil error.
func Diagnose(err error) Diagnosis {
	if err == nil {
		return Diagnosis{}
	}
	s := SymptomBusError
	var e *Error
	if errors.As(err, &e) {
		s = e.Symptom
	}
	d, ok := diagnoses[s]
	if !ok {
		d = Diagnosis{Summary: err.Error()}
	}
	d.Symptom = s
	d.Causes = append([]Cause(nil), d.Causes...)
	return d
}

// String is the one-line summary with the signals to check.
func (d Diagnosis) String() string {
	sig := d.Signals()
	if len(sig) == 0 {
		return d.Summary
	}
	return d.Summary + "; check " + strings.Join(sig, ", ")
}
