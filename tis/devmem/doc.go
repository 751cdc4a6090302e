// Package devmem maps the TPM's TIS register window (0xFED40000-0xFED44FFF) from /dev/mem and
// reads and writes it with exact-width accesses, for probing a TPM that no kernel driver owns.
//
// It is the only package of the module that maps physical memory or uses unsafe. Every
// register access goes through four small non-inlined helpers (accessors.go): the Go compiler
// merges adjacent byte loads into one wider load, drops a store that is overwritten, and
// answers a read that follows a write from the written value, all of which are wrong for
// device registers. Calls to non-inlined functions are emitted in order, one access each.
// 32-bit reads use atomic.LoadUint32 (one aligned load); writes are plain stores, because an
// atomic store is a locked bus cycle.
//
// Open refuses, and says how to fix it, when the process is not root, when the kernel is locked
// down, when there is no /dev/mem (a container, or a kernel built without CONFIG_DEVMEM), or when
// a kernel driver owns the TPM. Force skips only the driver check. Both mappings go through the
// same check and the same open and mmap of the System's /dev/mem, so a failure there is
// explained the same way for both.
//
// Besides the TIS window it maps one page read-only: the Intel TXT public registers at
// 0xFED30000, for TXT.ERRORCODE and the status registers (OpenTXT). That page has no write
// method and is mapped without write permission.
package devmem
