package devmem

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// mapPhys maps size bytes of physical memory at base (page aligned) through the system's
// physical-memory device (/dev/mem). writable maps with PROT_WRITE too and opens the file
// read-write; otherwise the mapping is read-only, so no code path can store through it. O_SYNC
// asks the kernel for an uncached mapping. what names the range in errors ("the TIS window").
// Closing the returned closer unmaps the memory.
func (s System) mapPhys(base, size int64, writable bool, what string) ([]byte, io.Closer, error) {
	flag, prot := os.O_RDONLY, syscall.PROT_READ
	if writable {
		flag, prot = os.O_RDWR, syscall.PROT_READ|syscall.PROT_WRITE
	}
	f, err := os.OpenFile(s.DevMem, flag|os.O_SYNC, 0)
	if err != nil {
		return nil, nil, s.openError(what, err)
	}
	defer f.Close() // the mapping stays valid after the file is closed
	b, err := syscall.Mmap(int(f.Fd()), base, int(size), prot, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, s.mapError(what, base, size, err)
	}
	return b, munmapper(b), nil
}

// munmapper unmaps a mapping made by mapPhys.
type munmapper []byte

// Close unmaps the mapping.
func (m munmapper) Close() error {
	if err := syscall.Munmap(m); err != nil {
		return fmt.Errorf("devmem: unmapping %d bytes: %w", len(m), err)
	}
	return nil
}
