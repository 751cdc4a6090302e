package scenario

import "testing"

func TestBareBench(t *testing.T) {
	s, err := Load("bare")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := b.Host.Read32(0xF00)
	if v != 0x000B15D1 {
		t.Errorf("DID_VID = %#x, want 0x000b15d1", v)
	}
	t.Logf("wires %v powered %v", b.Wires, b.Powered())
}
