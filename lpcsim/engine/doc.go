// Package engine groups the TPM engines that sit behind the simulated TIS
// FIFO: tpm12 (a built-in TPM 1.2 model), tpm20 (a built-in minimal TPM 2.0)
// and swtpm (a real swtpm process). Each satisfies
//
//	Execute(locality int, cmd []byte) (rsp []byte, err error)
//	Reset() error
//
// where err reports only transport-level failures; TPM errors are return
// codes inside rsp.
package engine
