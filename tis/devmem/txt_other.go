//go:build !linux

package devmem

import (
	"errors"
	"fmt"
	"runtime"
)

// mapTXT fails: reading TXT registers needs Linux's /dev/mem.
func mapTXT(path string) (*TXTSpace, error) {
	return nil, fmt.Errorf("devmem: mapping the TXT page from %s: %w", path,
		errors.New("only supported on Linux, not "+runtime.GOOS))
}
