package decode

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Signal is one LPC line the decoder looks at. Its value is also the bit
// position of the line in a normalised sample byte: LAD3..LAD0 form the low
// nibble, so sample&0x0F is the LAD nibble with LAD3 as bit 3.
type Signal uint8

// The lines a decoder uses. LAD0..LAD3, LCLK and LFRAME# are required;
// LRESET# and SERIRQ are optional and read as high (inactive) when the capture
// does not have them.
const (
	LAD0 Signal = iota
	LAD1
	LAD2
	LAD3
	LCLK
	LFRAME
	LRESET
	SERIRQ
	numSignals
)

// Bit masks of the lines in a normalised sample byte.
const (
	ladMask    = 0x0F
	lclkBit    = 1 << LCLK
	lframeBit  = 1 << LFRAME
	lresetBit  = 1 << LRESET
	serirqBit  = 1 << SERIRQ
	optionalOn = lresetBit | serirqBit // level of optional lines the capture lacks
)

var signalNames = [numSignals]string{"lad0", "lad1", "lad2", "lad3", "lclk", "lframe#", "lreset#", "serirq"}

// String returns the canonical lower-case name ("lad0", "lclk", "lframe#").
func (s Signal) String() string {
	if s < numSignals {
		return signalNames[s]
	}
	return "signal(" + strconv.Itoa(int(s)) + ")"
}

func (s Signal) required() bool { return s <= LFRAME }

// canonicalName folds a channel name to the form used for matching: lower
// case, without '#', '_n', '-n', '_l' or '_b' active-low markers, spaces or
// brackets, so "LFRAME#", "lframe_n", "LFRAME" and "LAD[0]" match "lframe"
// and "lad0".
func canonicalName(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("#", "", "[", "", "]", "", " ", "", "(", "", ")", "").Replace(n)
	for _, suf := range []string{"_n", "-n", "_l", "_b", "_"} {
		n = strings.TrimSuffix(n, suf)
	}
	return n
}

// shortName drops a VCD scope path: "board.LCLK" → "LCLK".
func shortName(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && i+1 < len(name) {
		return name[i+1:]
	}
	return name
}

// signalByName returns the signal a channel name stands for: "LFRAME#",
// "lframe_n", "lad[0]", and with a prefix ending in '_' ("mod_LAD0").
func signalByName(name string) (Signal, bool) {
	c := canonicalName(shortName(name))
	for s := Signal(0); s < numSignals; s++ {
		if c == canonicalName(signalNames[s]) {
			return s, true
		}
	}
	if i := strings.LastIndexByte(c, '_'); i >= 0 {
		c = c[i+1:]
		for s := Signal(0); s < numSignals; s++ {
			if c == canonicalName(signalNames[s]) {
				return s, true
			}
		}
	}
	return 0, false
}

// scopeKey holds the "scope=" entry of Overrides.
const scopeKey Signal = 0xFF

// Channels says which capture channel carries each signal. An entry of -1
// means the capture does not have that line.
type Channels [numSignals]int

// Overrides maps signals to capture channels chosen by the user, taking
// precedence over matching by name. Build one with ParseChannels.
type Overrides map[Signal]string

// ParseChannels parses a --channels value such as "lad0=2,lclk=4,lframe#=LF".
// Each value is a capture channel name or, when no channel has that name, a
// channel index counted from 0 (bit i of a sigrok sample unit, the i-th
// declared variable bit of a VCD file). VCD channel names carry their scope
// ("module.LCLK"); a name without scope picks the first scope that has it,
// and "scope=module" matches signals by name only within that scope.
func ParseChannels(spec string) (Overrides, error) {
	o := Overrides{}
	if strings.TrimSpace(spec) == "" {
		return o, nil
	}
	for item := range strings.SplitSeq(spec, ",") {
		k, v, ok := strings.Cut(item, "=")
		if !ok || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("decode: channel mapping %q: want SIGNAL=CHANNEL, e.g. lclk=4", item)
		}
		if strings.TrimSpace(k) == "scope" {
			o[scopeKey] = strings.TrimSpace(v)
			continue
		}
		s, ok := signalByName(k)
		if !ok {
			return nil, fmt.Errorf("decode: channel mapping %q: unknown signal %q (known: %s)", item, k, strings.Join(signalNames[:], ", "))
		}
		if _, dup := o[s]; dup {
			return nil, fmt.Errorf("decode: channel mapping %q: %s mapped twice", item, s)
		}
		o[s] = strings.TrimSpace(v)
	}
	return o, nil
}

// resolve maps signals to channel indexes: overrides first, then names.
// width is the number of channel slots (index < width); names[i] may be ""
// for a disabled channel.
func resolve(names []string, width int, o Overrides) (Channels, error) {
	var ch Channels
	for i := range ch {
		ch[i] = -1
	}
	scope := o[scopeKey]
	if err := checkScope(scope, names); err != nil {
		return ch, err
	}
	for s, v := range o {
		if s == scopeKey {
			continue
		}
		idx := -1
		for i, n := range names {
			if n != "" && n == v {
				idx = i
				break
			}
		}
		for i, n := range names {
			if idx < 0 && n != "" && shortName(n) == v {
				idx = i
			}
		}
		if idx < 0 {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n >= width {
				return ch, fmt.Errorf("decode: --channels %s=%s: no channel named %q and not an index 0..%d; channels: %s", s, v, v, width-1, listNames(names))
			}
			idx = n
		}
		ch[s] = idx
	}
	for i, n := range names {
		if scope != "" && !strings.HasPrefix(n, scope+".") {
			continue
		}
		s, ok := signalByName(n)
		if !ok || ch[s] >= 0 || o[s] != "" {
			continue
		}
		ch[s] = i
	}
	var missing []string
	for s := Signal(0); s < numSignals; s++ {
		if s.required() && ch[s] < 0 {
			missing = append(missing, s.String())
		}
	}
	if len(missing) > 0 {
		return ch, fmt.Errorf("decode: capture has no channel for %s (channels: %s); map them with --channels, e.g. --channels lad0=0,lad1=1,lad2=2,lad3=3,lclk=4,lframe=5", strings.Join(missing, ", "), listNames(names))
	}
	seen := map[int]Signal{}
	for s := Signal(0); s < numSignals; s++ {
		if c := ch[s]; c >= 0 {
			if prev, dup := seen[c]; dup {
				return ch, fmt.Errorf("decode: channel %d is mapped to both %s and %s", c, prev, s)
			}
			seen[c] = s
		}
	}
	return ch, nil
}

// checkScope refuses a "scope=" mapping that names no scope of the capture,
// listing the scopes it has.
func checkScope(scope string, names []string) error {
	if scope == "" {
		return nil
	}
	var scopes []string
	for _, n := range names {
		if strings.HasPrefix(n, scope+".") {
			return nil
		}
		if i := strings.LastIndexByte(n, '.'); i > 0 && !slices.Contains(scopes, n[:i]) {
			scopes = append(scopes, n[:i])
		}
	}
	if len(scopes) == 0 {
		return fmt.Errorf("decode: --channels scope=%s: the capture's channels have no scopes (channels: %s); leave scope= out", scope, listNames(names))
	}
	return fmt.Errorf("decode: --channels scope=%s: the capture has no scope %q (scopes: %s)", scope, scope, strings.Join(scopes, ", "))
}

func listNames(names []string) string {
	parts := make([]string, 0, len(names))
	for i, n := range names {
		if n == "" {
			n = "(disabled)"
		}
		parts = append(parts, fmt.Sprintf("%d=%s", i, n))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
