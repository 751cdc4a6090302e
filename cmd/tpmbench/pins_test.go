package main

import (
	"strings"
	"testing"
)

func TestPinsCommand(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"pins", "apu1d"}, exitOK, []string{"board apu1d", "16   +5V (Vcc)", "NEVER CONNECT", "seen from above", "LCLK  1 | ■   ● | 2  GND"}},
		{[]string{"pins", "asus-tpm-20-1"}, exitOK, []string{"4    KEY (no pin)", "●   x | 4  KEY (no pin)"}},
		{[]string{"pins", "pcengines-debug-9"}, exitOK, []string{"LFRAME#  1 | ■ |", "holes"}},
		{[]string{"pins", "apu1"}, exitUsage, []string{"did you mean apu1c or apu1d"}},
		{[]string{"pins"}, exitUsage, []string{"pins needs a connector or board id (see tpmbench boards)", "usage: tpmbench pins ID"}},
		{[]string{"pins", "apu1d", "apu2"}, exitUsage, []string{"pins takes one argument, got 2"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (%s)", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errOut)
				}
			}
		})
	}
}
