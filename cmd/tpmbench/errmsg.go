package main

import (
	"slices"
	"strings"
)

// packagePrefixes are the prefixes tpmbench's packages start their error messages with.
var packagePrefixes = []string{"boards", "pinmap", "lpcsim", "scenario", "tisdev", "tpm12", "tpm20", "swtpm",
	"decode", "tis", "devmem", "tpm", "bringup"}

// cliMessage says an error message once: where one package's error wraps another's, the
// package prefixes pile up ("pinmap: boards: no module ..."); it keeps only the innermost one,
// with every other part (file:line, what was being done) in place. A message with one prefix or
// none is returned as it is. A message of several lines (errors.Join: one per problem in a
// file) is trimmed line by line, so no line loses its prefix to another's. The YAML parser's
// own "yaml: " after "not valid YAML: " is dropped, as the scenario and board loaders do.
func cliMessage(msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = strings.Replace(onePrefix(l), yamlSaid+"yaml: ", yamlSaid, 1)
	}
	return strings.Join(lines, "\n")
}

// yamlSaid starts the message of a file that does not parse as YAML.
const yamlSaid = "not valid YAML: "

// onePrefix keeps the innermost package prefix of a one-line message.
func onePrefix(msg string) string {
	parts := strings.Split(msg, ": ")
	var prefixes []int
	for i, p := range parts[:len(parts)-1] {
		if slices.Contains(packagePrefixes, p) {
			prefixes = append(prefixes, i)
		}
	}
	if len(prefixes) < 2 {
		return msg
	}
	drop := prefixes[:len(prefixes)-1]
	out := make([]string, 0, len(parts)-len(drop))
	for i, p := range parts {
		if !slices.Contains(drop, i) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ": ")
}
