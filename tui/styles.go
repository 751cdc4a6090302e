package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles holds every style the screens use, so a theme is one value.
type Styles struct {
	// Tab is an inactive screen name in the tab bar.
	Tab lipgloss.Style
	// ActiveTab is the shown screen's name in the tab bar.
	ActiveTab lipgloss.Style
	// Heading is a section title inside a screen.
	Heading lipgloss.Style
	// Selected is the row under the cursor.
	Selected lipgloss.Style
	// Focused is the heading of the focused pane.
	Focused lipgloss.Style
	// Dim is secondary text.
	Dim lipgloss.Style
	// OK is a good outcome: a check passed, a probe completed.
	OK lipgloss.Style
	// Info is a finding worth knowing.
	Info lipgloss.Style
	// Warning is a finding that works with a caveat, or a state worth a look.
	Warning lipgloss.Style
	// Error is a failure or a finding that will not work.
	Error lipgloss.Style
	// Disabled is an option that cannot be used here.
	Disabled lipgloss.Style
	// Help styles the help bar.
	Help help.Styles
}

// DefaultStyles returns the styles for a dark or light terminal background. Colours are
// downsampled, or dropped when NO_COLOR is set, by the renderer when the frame is written.
func DefaultStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B79CFF"))
	dim := ld(lipgloss.Color("#7A7A7A"), lipgloss.Color("#8A8A8A"))
	return Styles{
		Tab:       lipgloss.NewStyle().Foreground(dim).Padding(0, 1),
		ActiveTab: lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1),
		Heading:   lipgloss.NewStyle().Bold(true),
		Selected:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		Focused:   lipgloss.NewStyle().Bold(true).Underline(true).Foreground(accent),
		Dim:       lipgloss.NewStyle().Foreground(dim),
		OK:        lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#17803D"), lipgloss.Color("#5FD787"))),
		Info:      lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#1F5FAF"), lipgloss.Color("#87AFFF"))),
		Warning:   lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#9A6700"), lipgloss.Color("#FFD75F"))),
		Error:     lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#C4161C"), lipgloss.Color("#FF5F5F"))),
		Disabled:  lipgloss.NewStyle().Foreground(dim).Faint(true),
		Help:      help.DefaultStyles(isDark),
	}
}

// signalColor gives each LPC signal group a colour of its own, so the wires in the header
// drawing can be told apart; the drawing stays readable without colour.
func signalColor(signal string) color.Color {
	switch signal {
	case "LCLK":
		return lipgloss.Color("#FFAF00")
	case "LFRAME#":
		return lipgloss.Color("#AF87FF")
	case "LRESET#":
		return lipgloss.Color("#FF5FAF")
	case "LAD0", "LAD1", "LAD2", "LAD3":
		return lipgloss.Color("#5FAFFF")
	case "SERIRQ":
		return lipgloss.Color("#5FD7AF")
	case "+3V3", "+3V3SB":
		return lipgloss.Color("#FF5F5F")
	case "+5V":
		return lipgloss.Color("#FF0000")
	case "GND":
		return lipgloss.Color("#A8A8A8")
	default:
		return lipgloss.Color("#D0D0D0")
	}
}
