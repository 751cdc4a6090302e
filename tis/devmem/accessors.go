package devmem

import (
	"sync/atomic"
	"unsafe"
)

// The only code that touches mapped registers. Each helper is one access of exact width and
// must stay a real call: see the package comment for what the compiler does otherwise.

//go:noinline
func load8(p *uint8) uint8 { return *p }

//go:noinline
func store8(p *uint8, v uint8) { *p = v }

//go:noinline
func load32(p *uint32) uint32 { return atomic.LoadUint32(p) }

//go:noinline
func store32(p *uint32, v uint32) { *p = v }

func ptr8(b []byte, off uint32) *uint8 { return &b[off] }

func ptr32(b []byte, off uint32) *uint32 { return (*uint32)(unsafe.Pointer(&b[off])) }
