package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// pickList is a filterable, scrollable list with a cursor: the building block of the Boards
// screen's two panes and the Bus screen's lists.
type pickList struct {
	items  []listItem
	shown  []int // indices into items that pass the filter
	cursor int   // index into shown
	filter string
}

// listItem is one row: the id the screen acts on and the text shown.
type listItem struct {
	id    string
	label string
}

func newPickList(items []listItem) pickList {
	l := pickList{items: items}
	l.applyFilter()
	return l
}

func (l *pickList) setFilter(f string) {
	l.filter = f
	l.applyFilter()
}

func (l *pickList) applyFilter() {
	cur, hadCur := l.selected()
	l.shown = l.shown[:0]
	f := strings.ToLower(l.filter)
	for i, it := range l.items {
		if f == "" || strings.Contains(strings.ToLower(it.id+" "+it.label), f) {
			l.shown = append(l.shown, i)
		}
	}
	l.cursor = 0
	if hadCur {
		l.selectID(cur.id)
	}
}

// selectID puts the cursor on the item with that id if it is shown.
func (l *pickList) selectID(id string) {
	for i, idx := range l.shown {
		if l.items[idx].id == id {
			l.cursor = i
		}
	}
}

func (l pickList) selected() (listItem, bool) {
	if l.cursor < 0 || l.cursor >= len(l.shown) {
		return listItem{}, false
	}
	return l.items[l.shown[l.cursor]], true
}

func (l *pickList) move(delta int) {
	if len(l.shown) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+delta, 0), len(l.shown)-1)
}

// view draws height rows of at most width cells, the cursor row marked with "›" (visible
// without colour too) and styled.
func (l pickList) view(st *Styles, width, height int, focused bool) string {
	if len(l.shown) == 0 {
		return st.Dim.Render("(nothing matches)")
	}
	first := scrollStart(l.cursor, len(l.shown), height)
	var rows []string
	for i := first; i < min(first+height, len(l.shown)); i++ {
		it := l.items[l.shown[i]]
		text := ansi.Truncate(it.label, width-2, "…")
		if i == l.cursor {
			marker := "›"
			if !focused {
				marker = "·"
			}
			rows = append(rows, st.Selected.Render(marker+" "+text))
			continue
		}
		rows = append(rows, "  "+text)
	}
	return strings.Join(rows, "\n")
}

// scrollStart is the first row to draw so that the cursor row is visible, kept near the middle
// once the list is longer than the window.
func scrollStart(cursor, n, height int) int {
	if n <= height || height <= 0 {
		return 0
	}
	return min(max(cursor-height/2, 0), n-height)
}
