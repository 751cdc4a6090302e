// Package archtest holds no code: its test enforces the package rules of the design, so that a
// change that breaks them fails in CI instead of in review.
package archtest
