package reftest

import (
	"os"
	"path/filepath"
	"testing"
)

// A set is one of the two outside directories: the environment variable that
// names it and its directory name under shared/.
type set struct {
	env, name, what string
}

var (
	reference = set{env: "TPMBENCH_REFERENCE", name: "reference", what: "reference outputs"}
	captures  = set{env: "TPMBENCH_CAPTURES", name: "captures", what: "real captures"}
)

// find returns the set's directory: the environment variable when set (as
// given, even if it does not exist), else the first shared/<name> directory
// found searching upward from the working directory.
func (s set) find() (string, bool) {
	if d := os.Getenv(s.env); d != "" {
		return d, true
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		cand := filepath.Join(dir, "shared", s.name)
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// dir returns the set's directory for a test. It skips the test when there is
// none, and fails it when the environment variable names something that is
// not a directory (a mistake to report, not to skip over).
func (s set) dir(t testing.TB) string {
	t.Helper()
	d, ok := s.find()
	if !ok {
		t.Skipf("no %s: set %s or place shared/%s beside the checkout", s.what, s.env, s.name)
	}
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Fatalf("%s=%s is not a directory (%v): point it at the %s or unset it", s.env, d, err, s.what)
	}
	return d
}

// Reference returns the directory of reference outputs (TPMBENCH_REFERENCE,
// else shared/reference found searching upward) and whether there is one.
func Reference() (string, bool) { return reference.find() }

// Captures returns the directory of real captures (TPMBENCH_CAPTURES, else
// shared/captures found searching upward) and whether there is one.
func Captures() (string, bool) { return captures.find() }

// ReferenceDir returns the directory of reference outputs, skipping the test
// when there is none.
func ReferenceDir(t testing.TB) string {
	t.Helper()
	return reference.dir(t)
}

// CapturesDir returns the directory of real captures, skipping the test when
// there is none.
func CapturesDir(t testing.TB) string {
	t.Helper()
	return captures.dir(t)
}

// Capture returns the path of the file rel (slash-separated, e.g.
// "lpc/h55/h55_lpc_io_write.sr") in the real captures, skipping the test when
// the captures or that file are absent.
func Capture(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(CapturesDir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real capture %s not present: %v", rel, err)
	}
	return p
}
