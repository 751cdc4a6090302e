package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBoardsCommand(t *testing.T) {
	out, errOut, code := runCmd(t, "boards")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"apu1d", "alix3d2", "pcengines-lpc-2x10", "pcengines-debug-9", "asus-tpm-20-1", "module", "LPC 2x10 2.54mm key [4]"} {
		if !strings.Contains(out, want) {
			t.Errorf("boards output lacks %q", want)
		}
	}
	if _, _, code := runCmd(t, "boards", "extra"); code != exitUsage {
		t.Errorf("boards with an argument: exit %d, want %d", code, exitUsage)
	}
}

func TestBoardsJSON(t *testing.T) {
	out, errOut, code := runCmd(t, "boards", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Boards []struct {
			ID        string `json:"id"`
			Connector string `json:"connector"`
			Chipset   string `json:"chipset"`
		} `json:"boards"`
		Connectors []struct {
			ID   string `json:"id"`
			Pins []struct {
				Pin        int    `json:"pin"`
				Signal     string `json:"signal"`
				Confidence string `json:"confidence"`
				Never      string `json:"never"`
			} `json:"pins"`
		} `json:"connectors"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	boardConn := map[string]string{}
	for _, b := range got.Boards {
		boardConn[b.ID] = b.Connector
		if b.Chipset == "" {
			t.Errorf("board %s without chipset", b.ID)
		}
	}
	for _, id := range []string{"alix2d", "alix3d2", "apu1c", "apu1d", "apu2", "apu3", "apu4", "apu6"} {
		if boardConn[id] == "" {
			t.Errorf("board %s missing from --json", id)
		}
	}
	for _, c := range got.Connectors {
		if c.ID != "pcengines-lpc-2x10" {
			continue
		}
		if p := c.Pins[15]; p.Pin != 16 || p.Signal != "+5V" || p.Never == "" {
			t.Errorf("pcengines-lpc-2x10 pin 16 = %+v", p)
		}
		return
	}
	t.Error("pcengines-lpc-2x10 missing from --json")
}
