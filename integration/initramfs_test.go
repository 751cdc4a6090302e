package integration

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
)

// Mode bits of the newc cpio format (the ones of stat(2)).
const (
	cpioDir     = 0o040000
	cpioRegular = 0o100000
	cpioCharDev = 0o020000
)

// cpioWriter writes a newc ("070701") cpio archive, the format the kernel unpacks as initramfs.
type cpioWriter struct {
	w   io.Writer
	ino int
	err error
}

// entry writes one member. rdev is major<<8|minor for device nodes.
func (c *cpioWriter) entry(name string, mode uint32, rdev int, data []byte) {
	if c.err != nil {
		return
	}
	c.ino++
	nlink := 1
	if mode&cpioDir != 0 {
		nlink = 2
	}
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		c.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev>>8, rdev&0xff, len(name)+1, 0)
	var b bytes.Buffer
	b.WriteString(hdr)
	b.WriteString(name)
	b.WriteByte(0)
	pad(&b)
	b.Write(data)
	pad(&b)
	_, c.err = c.w.Write(b.Bytes())
}

// pad fills b with NULs to a multiple of four bytes, as newc aligns headers and data.
func pad(b *bytes.Buffer) {
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
}

// close writes the trailer.
func (c *cpioWriter) close() error {
	c.entry("TRAILER!!!", 0, 0, nil)
	return c.err
}

// baseInitramfs is the gzip-compressed archive every boot shares: busybox, tpmbench, the /init
// script and the directories /init mounts on.
func baseInitramfs(busybox, tpmbench, initScript string) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	c := &cpioWriter{w: zw}
	for _, d := range []string{"bin", "dev", "proc", "sys"} {
		c.entry(d, cpioDir|0o755, 0, nil)
	}
	c.entry("dev/console", cpioCharDev|0o600, 5<<8|1, nil)
	for _, f := range []struct{ src, dst string }{
		{busybox, "bin/busybox"}, {tpmbench, "bin/tpmbench"}, {initScript, "init"},
	} {
		data, err := os.ReadFile(f.src)
		if err != nil {
			return nil, fmt.Errorf("integration: initramfs: %w", err)
		}
		c.entry(f.dst, cpioRegular|0o755, 0, data)
	}
	if err := c.close(); err != nil {
		return nil, fmt.Errorf("integration: writing the initramfs: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("integration: compressing the initramfs: %w", err)
	}
	return out.Bytes(), nil
}

// step is one command the guest runs: its output comes back under name.
type step struct {
	name string
	argv []string
}

// stepsArchive is the per-boot cpio holding /steps, the script /init sources. The kernel unpacks
// it after the base archive (concatenated archives are allowed), so the boot's steps need no
// rebuild of the large part.
func stepsArchive(steps []step) ([]byte, error) {
	var script strings.Builder
	for _, s := range steps {
		script.WriteString("step " + shellQuote(s.name))
		for _, a := range s.argv {
			script.WriteString(" " + shellQuote(a))
		}
		script.WriteString("\n")
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	c := &cpioWriter{w: zw}
	c.entry("steps", cpioRegular|0o644, 0, []byte(script.String()))
	if err := c.close(); err != nil {
		return nil, fmt.Errorf("integration: writing the steps archive: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("integration: compressing the steps archive: %w", err)
	}
	return out.Bytes(), nil
}

// shellQuote quotes s for the guest's sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
