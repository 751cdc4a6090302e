package devmem

import (
	"fmt"
	"os"
	"syscall"
)

// mapTXT maps the TXT page from path (/dev/mem) with PROT_READ only, so no code path can write
// TXT registers. O_SYNC asks the kernel for an uncached mapping.
func mapTXT(path string) (*TXTSpace, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_SYNC, 0)
	if err != nil {
		return nil, fmt.Errorf("devmem: opening %s read-only for the TXT page %#x: %w (run it on the machine itself as root: a container or a kernel built without CONFIG_DEVMEM has no /dev/mem)",
			path, TXTBase, err)
	}
	defer f.Close() // the mapping stays valid after the file is closed
	b, err := syscall.Mmap(int(f.Fd()), TXTBase, TXTSize, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("devmem: mapping the TXT page %#x-%#x read-only from %s: %w (a kernel with CONFIG_IO_STRICT_DEVMEM refuses ranges a driver claimed: boot with iomem=relaxed)",
			TXTBase, TXTBase+TXTSize-1, path, err)
	}
	return &TXTSpace{mem: b, closer: munmapper(b)}, nil
}

// munmapper unmaps a mapping made by syscall.Mmap.
type munmapper []byte

func (m munmapper) Close() error {
	if err := syscall.Munmap(m); err != nil {
		return fmt.Errorf("devmem: unmapping the TXT page: %w", err)
	}
	return nil
}
