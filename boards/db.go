package boards

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed data/*.yaml
var builtinFS embed.FS

// DB is a loaded, validated set of connectors and boards.
type DB struct {
	connectors []*Connector // sorted by id
	boards     []*Board     // sorted by id
	conn       map[string]*Connector
	board      map[string]*Board // by id and alias
}

// ErrNotFound is matched (errors.Is) by a lookup of an unknown id.
var ErrNotFound = errors.New("not found")

// NotFoundError names an unknown id, close matches, and every known id of the kind asked for.
type NotFoundError struct {
	What    string   // "connector", "board", "module", "connector or board"
	ID      string   // the id asked for
	Suggest []string // known ids close to ID
	Known   []string // all known ids of that kind
	Hint    string   // what to do instead, when known
}

// Error names the id, close matches and the known ids.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "boards: no %s %q", e.What, e.ID)
	if e.Hint != "" {
		fmt.Fprintf(&b, ": %s", e.Hint)
	}
	if len(e.Suggest) > 0 {
		fmt.Fprintf(&b, "; did you mean %s?", strings.Join(e.Suggest, " or "))
	}
	fmt.Fprintf(&b, " (known: %s)", strings.Join(e.Known, ", "))
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Builtin parses the data files embedded in the binary.
func Builtin() ([]*File, error) {
	names, err := fs.Glob(builtinFS, "data/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("boards: listing built-in data: %w", err)
	}
	var files []*File
	var errs []error
	for _, name := range names {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("boards: reading built-in %s: %w", name, err)
		}
		f, err := ParseFile("boards/"+name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	return files, errors.Join(errs...)
}

// ReadDir parses every *.yaml and *.yml file in dir (not its subdirectories), in name order.
func ReadDir(dir string) ([]*File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("boards: reading the directory of extra board files: %w", err)
	}
	var files []*File
	var errs []error
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		name := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("boards: %w", err))
			continue
		}
		f, err := ParseFile(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 && len(errs) == 0 {
		return nil, fmt.Errorf("boards: %s holds no .yaml or .yml files", dir)
	}
	return files, errors.Join(errs...)
}

// Open returns the built-in database extended by the files in dir; dir "" means built-in only.
func Open(dir string) (*DB, error) {
	files, err := Builtin()
	if err != nil {
		return nil, err
	}
	if dir != "" {
		more, err := ReadDir(dir)
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	return New(files...)
}

// New checks the files against each other (unique ids, every board's connector exists) and
// builds the database.
func New(files ...*File) (*DB, error) {
	db := &DB{conn: map[string]*Connector{}, board: map[string]*Board{}}
	where := map[string]string{} // id -> "file:line" of its definition
	var errs []error
	claim := func(id, file string, line int) bool {
		if prev, dup := where[id]; dup {
			errs = append(errs, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("id %q is already used at %s; pick another id", id, prev)})
			return false
		}
		where[id] = fmt.Sprintf("%s:%d", file, line)
		return true
	}
	for _, f := range files {
		for _, c := range f.Connectors {
			if claim(c.ID, c.File, c.Line) {
				db.conn[c.ID] = c
				db.connectors = append(db.connectors, c)
			}
		}
	}
	for _, f := range files {
		for _, b := range f.Boards {
			if !claim(b.ID, b.File, b.Line) {
				continue
			}
			for _, a := range b.Aliases {
				if claim(a, b.File, b.Line) {
					db.board[a] = b
				}
			}
			if _, ok := db.conn[b.Connector]; !ok {
				errs = append(errs, &ParseError{File: b.File, Line: b.Line, Msg: fmt.Sprintf("board %s: connector %q is not defined%s", b.ID, b.Connector, didYouMean(b.Connector, db.connectorIDs("")))})
				continue
			}
			db.board[b.ID] = b
			db.boards = append(db.boards, b)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(db.connectors, func(a, b *Connector) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(db.boards, func(a, b *Board) int { return strings.Compare(a.ID, b.ID) })
	return db, nil
}

func didYouMean(id string, known []string) string {
	if s := Suggest(id, known); len(s) > 0 {
		return fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return ""
}

// Connectors returns every connector, sorted by id.
func (db *DB) Connectors() []*Connector { return slices.Clone(db.connectors) }

// Boards returns every board, sorted by id.
func (db *DB) Boards() []*Board { return slices.Clone(db.boards) }

func (db *DB) connectorIDs(role string) []string {
	var ids []string
	for _, c := range db.connectors {
		if role == "" || c.Role == role {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (db *DB) boardIDs() []string {
	var ids []string
	for _, b := range db.boards {
		ids = append(ids, b.ID)
	}
	return ids
}

// Connector returns the connector with that id.
func (db *DB) Connector(id string) (*Connector, error) {
	if c, ok := db.conn[id]; ok {
		return c, nil
	}
	known := db.connectorIDs("")
	return nil, &NotFoundError{What: "connector", ID: id, Suggest: Suggest(id, known), Known: known}
}

// Module returns the module connector with that id; a board header is refused.
func (db *DB) Module(id string) (*Connector, error) {
	known := db.connectorIDs(RoleModule)
	c, ok := db.conn[id]
	switch {
	case ok && c.Role != RoleModule:
		return nil, &NotFoundError{What: "module", ID: id, Known: known, Hint: id + " is a board header; name the TPM module first"}
	case !ok:
		if _, isBoard := db.board[id]; isBoard {
			return nil, &NotFoundError{What: "module", ID: id, Known: known, Hint: id + " is a board; name the TPM module first, then the board"}
		}
		return nil, &NotFoundError{What: "module", ID: id, Suggest: Suggest(id, known), Known: known}
	}
	return c, nil
}

// Board returns the board with that id or alias.
func (db *DB) Board(id string) (*Board, error) {
	if b, ok := db.board[id]; ok {
		return b, nil
	}
	known := db.boardIDs()
	return nil, &NotFoundError{What: "board", ID: id, Suggest: Suggest(id, append(slices.Clone(known), db.aliases()...)), Known: known}
}

func (db *DB) aliases() []string {
	var as []string
	for _, b := range db.boards {
		as = append(as, b.Aliases...)
	}
	return as
}

// Resolve looks up an id that names a connector or a board. A board stands for its
// connector: the board is returned too (nil when id is a connector id).
func (db *DB) Resolve(id string) (*Connector, *Board, error) {
	if c, ok := db.conn[id]; ok {
		return c, nil, nil
	}
	if b, ok := db.board[id]; ok {
		return db.conn[b.Connector], b, nil
	}
	known := append(db.boardIDs(), db.connectorIDs("")...)
	return nil, nil, &NotFoundError{What: "connector or board", ID: id, Suggest: Suggest(id, append(slices.Clone(known), db.aliases()...)), Known: known}
}

// ResolveHeader is Resolve for the board side of a wiring: only boards and headers are
// accepted, and only they are suggested.
func (db *DB) ResolveHeader(id string) (*Connector, *Board, error) {
	c, b, err := db.Resolve(id)
	if err == nil && c.Role != RoleModule {
		return c, b, nil
	}
	known := append(db.boardIDs(), db.connectorIDs(RoleHeader)...)
	if err == nil {
		return nil, nil, &NotFoundError{What: "board or header", ID: id, Known: known, Hint: id + " is a TPM module; name it first, as the module"}
	}
	return nil, nil, &NotFoundError{What: "board or header", ID: id, Suggest: Suggest(id, append(slices.Clone(known), db.aliases()...)), Known: known}
}

// Suggest returns the known names closest to name (edit distance, or one containing the
// other), best first, at most three.
func Suggest(name string, known []string) []string {
	type cand struct {
		s string
		d int
	}
	var cs []cand
	lname := strings.ToLower(name)
	for _, k := range known {
		d := editDistance(lname, strings.ToLower(k))
		limit := max(2, len(k)/3)
		if lname != "" && (strings.Contains(k, lname) || strings.Contains(lname, k)) {
			d = min(d, 1)
		}
		if d <= limit {
			cs = append(cs, cand{k, d})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.d - b.d })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].s)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
