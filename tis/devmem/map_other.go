//go:build !linux

package devmem

import (
	"errors"
	"fmt"
	"io"
	"runtime"
)

// mapPhys fails: mapping physical memory needs Linux's /dev/mem.
func (s System) mapPhys(base, size int64, writable bool, what string) ([]byte, io.Closer, error) {
	return nil, nil, fmt.Errorf("devmem: mapping %s (%#x-%#x) from %s: %w", what, base, base+size-1, s.DevMem,
		errors.New("only supported on Linux, not "+runtime.GOOS))
}
