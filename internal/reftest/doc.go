// Package reftest finds the project's reference outputs of real TPM tools and
// its real LPC captures for the tests, and reads the swtpm traces among the
// reference outputs.
//
// Both sets live outside the repository. Each is found through an environment
// variable (TPMBENCH_REFERENCE, TPMBENCH_CAPTURES) or, when that is unset, as
// a directory shared/reference or shared/captures found by searching upward
// from the test's working directory. Tests that need them skip when they are
// absent.
package reftest
