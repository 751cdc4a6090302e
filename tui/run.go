package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"tpmbench/tis/devmem"
)

// Options configure the UI.
type Options struct {
	// BoardsDir adds a directory of the user's own connector and board files (the --boards flag).
	BoardsDir string
	// ConfigDir is where the solder checklist is saved. Empty means the user's config directory
	// (os.UserConfigDir) joined with "tpmbench".
	ConfigDir string
	// Capture is a logic-analyser capture (.sr or VCD) shown on the Bus screen at start.
	Capture string

	system *devmem.System // the machine the hardware probe checks and maps; nil: this one
}

// New builds the root model with every screen the UI has.
func New(opts Options) Model {
	if opts.ConfigDir == "" {
		if dir, err := os.UserConfigDir(); err == nil {
			opts.ConfigDir = filepath.Join(dir, "tpmbench")
		}
	}
	keys := DefaultKeyMap()
	styles := DefaultStyles(true)
	h := help.New()
	h.Styles = styles.Help
	return Model{
		keys:    keys,
		styles:  &styles,
		help:    h,
		screens: newScreens(opts, keys, &styles),
	}
}

// Run runs the UI on the given terminal until the user quits or ctx is cancelled.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	p := tea.NewProgram(New(opts), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	if err != nil && !(errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil) {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}

// newScreens builds the screens in tab order.
func newScreens(opts Options, keys KeyMap, st *Styles) []screen {
	return []screen{
		newBoardsModel(opts.BoardsDir, keys, st),
		newWiringModel(newChecklistStore(opts.ConfigDir), keys, st),
		newProbeModel(opts.system, keys, st),
		newBusModel(opts.Capture, keys, st),
		newActionsModel(keys, st),
	}
}
