package pinmap

import (
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"tpmbench/boards"
)

// wirevizColours maps signals to WireViz colour codes (IEC 60757 abbreviations).
var wirevizColours = map[boards.Signal]string{
	boards.LCLK: "YE", boards.LFRAME: "GN", boards.LRESET: "VT",
	boards.LAD0: "BU", boards.LAD1: "TQ", boards.LAD2: "GY", boards.LAD3: "WH",
	boards.SERIRQ: "PK", boards.LPCPD: "BN", boards.CLKRUN: "VTWH",
	boards.V3V3: "RD", boards.V3V3SB: "OG", boards.V5: "RDWH", boards.GND: "BK",
}

type wvConnector struct {
	Type                 string   `yaml:"type"`
	Subtype              string   `yaml:"subtype"`
	Pins                 []int    `yaml:"pins,flow"`
	PinLabels            []string `yaml:"pinlabels,flow"`
	HideDisconnectedPins bool     `yaml:"hide_disconnected_pins"`
	Notes                string   `yaml:"notes,omitempty"`
}

type wvCable struct {
	WireCount int      `yaml:"wirecount"`
	Colors    []string `yaml:"colors,flow"`
	Labels    []string `yaml:"wirelabels,flow"`
	Category  string   `yaml:"category"`
	Notes     string   `yaml:"notes,omitempty"`
}

type wvHarness struct {
	Connectors  map[string]wvConnector  `yaml:"connectors"`
	Cables      map[string]wvCable      `yaml:"cables"`
	Connections [][]map[string]flowInts `yaml:"connections"`
}

// flowInts is a list of pin numbers written on one line.
type flowInts []int

// MarshalYAML writes the list in flow style: [1, 2, 3].
func (f flowInts) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range f {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(v)})
	}
	return n, nil
}

func wvSide(c *boards.Connector, note string) wvConnector {
	wc := wvConnector{
		Type:                 c.Name,
		Subtype:              fmt.Sprintf("%s %dx%d %.2f mm", c.Geometry.Gender, c.Geometry.Rows, c.Geometry.Cols, c.Geometry.PitchMM),
		HideDisconnectedPins: true,
		Notes:                note,
	}
	for _, p := range c.Pins {
		wc.Pins = append(wc.Pins, p.Number)
		wc.PinLabels = append(wc.PinLabels, p.Name())
	}
	return wc
}

// WriteWireViz writes the wiring as a WireViz harness: the two connectors (all pins listed,
// unconnected ones hidden), one bundle with a wire per connection coloured by signal, and the
// connections. Each wire is labelled with its signal. Pins the connectors lack are left out.
func (r *Report) WriteWireViz(w io.Writer) error {
	var mp, bp, idx []int
	var colours, labels []string
	for _, wire := range r.Wiring.Wires {
		if _, ok := r.Setup.Module.Pin(wire.ModulePin); !ok {
			continue
		}
		if _, ok := r.Setup.Header.Pin(wire.BoardPin); !ok {
			continue
		}
		mp = append(mp, wire.ModulePin)
		bp = append(bp, wire.BoardPin)
		idx = append(idx, len(idx)+1)
		c, ok := wirevizColours[boards.Signal(wire.Signal)]
		if !ok {
			c = "GYWH"
		}
		colours = append(colours, c)
		labels = append(labels, wire.Signal)
	}
	var never []int
	for _, p := range r.Setup.Header.Pins {
		if p.Never != "" {
			never = append(never, p.Number)
		}
	}
	boardNote := ""
	if len(never) > 0 {
		boardNote = "never connect pins " + joinInts(never)
	}
	h := wvHarness{
		Connectors: map[string]wvConnector{
			"Module": wvSide(r.Setup.Module, "module "+r.Setup.Module.ID),
			"Board":  wvSide(r.Setup.Header, joinNonEmpty("board "+r.Setup.Target(), boardNote)),
		},
		Cables: map[string]wvCable{
			"W1": {WireCount: len(idx), Colors: colours, Labels: labels, Category: "bundle", Notes: "keep wires short (under about 10 cm)"},
		},
		Connections: [][]map[string]flowInts{{{"Module": flowInts(mp)}, {"W1": flowInts(idx)}, {"Board": flowInts(bp)}}},
	}
	if len(idx) == 0 {
		h.Connections = nil
	}
	if _, err := fmt.Fprintf(w, "# WireViz harness for %s, made by tpmbench.\n# Render with: wireviz FILE.yaml\n", r.Title()); err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(h); err != nil {
		return fmt.Errorf("pinmap: writing WireViz YAML: %w", err)
	}
	return enc.Close()
}

func joinNonEmpty(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}
