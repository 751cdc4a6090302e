package tis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"

	"tpmbench/lpcsim/tisdev"
	"tpmbench/tis"
)

// errReadFailed is what deadBus answers: the read itself failed, so no register value exists.
var errReadFailed = errors.New("read refused by the platform")

// deadBus is the simulated bench's bus with every read failing, as a mapping of the TIS window
// that the platform refuses would; writes still reach the simulator.
type deadBus struct{ tis.Bus }

func (deadBus) Read8(uint32) (uint8, error)   { return 0, errReadFailed }
func (deadBus) Read32(uint32) (uint32, error) { return 0, errReadFailed }

// TestReportIdentityOnlyWhenRead: DID_VID and its halves are reported only when they were read.
// A probe whose first read fails has read nothing: the JSON has null for did_vid, vendor_id and
// device_id, and the text shows no ID at all. A bus where nothing answers has read DID_VID
// (all ones) but found no TPM, so there is no vendor or device ID. A TPM that answers but whose
// TPM_ACCESS never becomes valid has all three.
func TestReportIdentityOnlyWhenRead(t *testing.T) {
	neverValid := tisdev.SLB9635()
	neverValid.Faults.NeverValid = true
	tests := []struct {
		name     string
		bus      func(t *testing.T) tis.Bus
		wantErr  error
		json     map[string]any // did_vid, vendor_id, device_id: nil means null
		text     []string       // the text contains these
		notInTxt []string       // and none of these
	}{
		{
			name:     "first read fails",
			bus:      func(t *testing.T) tis.Bus { return deadBus{scenarioBench(t, "default").Host} },
			wantErr:  errReadFailed,
			json:     map[string]any{"did_vid": nil, "vendor_id": nil, "device_id": nil},
			text:     []string{"DID_VID not read"},
			notInTxt: []string{"0x00000000", "VID 0x", "DID 0x"},
		},
		{
			name:     "nothing answers",
			bus:      func(t *testing.T) tis.Bus { return scenarioBench(t, "fault-open-lad2").Host },
			wantErr:  tis.ErrNoTPM,
			json:     map[string]any{"did_vid": "0xffffffff", "vendor_id": nil, "device_id": nil},
			text:     []string{"DID_VID = 0xffffffff"},
			notInTxt: []string{"0x00000000", "VID 0x", "DID 0x"},
		},
		{
			name:     "access never valid",
			bus:      func(t *testing.T) tis.Bus { return deviceBench(t, neverValid).Host },
			wantErr:  tis.ErrNotValid,
			json:     map[string]any{"did_vid": "0x000b15d1", "vendor_id": "0x000015d1", "device_id": "0x0000000b"},
			text:     []string{"(VID 0x15d1)", "(DID 0x000b)"},
			notInTxt: []string{"not read"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bus := tt.bus(t)
			synctest.Test(t, func(t *testing.T) {
				_, rep, err := tis.Probe(context.Background(), bus, tis.Options{})
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				var js bytes.Buffer
				if err := rep.WriteJSON(&js); err != nil {
					t.Fatal(err)
				}
				var fields map[string]any
				if err := json.Unmarshal(js.Bytes(), &fields); err != nil {
					t.Fatal(err)
				}
				for k, want := range tt.json {
					if v, ok := fields[k]; !ok || v != want {
						t.Errorf("JSON %s = %v (present %v), want %v", k, v, ok, want)
					}
				}
				var text strings.Builder
				rep.WriteText(&text)
				for _, s := range tt.text {
					if !strings.Contains(text.String(), s) {
						t.Errorf("the text lacks %q:\n%s", s, text.String())
					}
				}
				for _, s := range tt.notInTxt {
					if strings.Contains(text.String(), s) {
						t.Errorf("the text shows %q:\n%s", s, text.String())
					}
				}
			})
		})
	}
}

// TestReportJSONRoundTrip: a report read back from its JSON keeps the registers that were read
// and the nulls of those that were not.
func TestReportJSONRoundTrip(t *testing.T) {
	id := tis.Hex32(0x001A15D1)
	tests := []tis.Report{
		{},
		{DIDVID: &id},
		{DIDVID: &id, VendorID: new(tis.Hex32(0x15D1)), DeviceID: new(tis.Hex32(0x1A))},
	}
	for i, in := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			var js bytes.Buffer
			if err := in.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			var out tis.Report
			if err := json.Unmarshal(js.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				name    string
				in, out *tis.Hex32
			}{{"did_vid", in.DIDVID, out.DIDVID}, {"vendor_id", in.VendorID, out.VendorID}, {"device_id", in.DeviceID, out.DeviceID}} {
				if (f.in == nil) != (f.out == nil) || f.in != nil && *f.in != *f.out {
					t.Errorf("%s: wrote %v, read back %v\n%s", f.name, f.in, f.out, js.String())
				}
			}
		})
	}
}
