// Package integration proves tpmbench on TPM implementations this project did not write: QEMU's
// TIS device (tpm-tis) backed by swtpm, swtpm itself behind the simulator, and the TrouSerS
// tools (tcsd, tpm_version, tpm_nvinfo) on the same swtpm state.
//
// The tests boot Debian's kernel under qemu-system-x86_64 (TCG) with a small initramfs made of
// busybox-static, a statically linked tpmbench and a fixed /init
// (fixtures/integration/init); the commands each boot runs come in a second cpio archive, and
// their exit codes and output come back over the serial console between markers.
//
// They run only when TPMBENCH_INTEGRATION=1 is set, and then fail (never skip) when a program
// they need is missing. scripts/ci-integration-deps installs everything on Debian 12 and unpacks
// the kernel into the user's cache directory (TPMBENCH_KERNEL names another kernel image).
package integration
