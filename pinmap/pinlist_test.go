package pinmap

import "testing"

func TestFindingPinList(t *testing.T) {
	tests := []struct {
		f    Finding
		want string
	}{
		{Finding{}, ""},
		{Finding{ModulePins: []int{1, 3}}, "module 1, 3"},
		{Finding{BoardPins: []int{2}}, "board 2"},
		{Finding{ModulePins: []int{4}, BoardPins: []int{7, 9}}, "module 4; board 7, 9"},
	}
	for _, tt := range tests {
		if got := tt.f.PinList(); got != tt.want {
			t.Errorf("%+v.PinList() = %q, want %q", tt.f, got, tt.want)
		}
	}
}
