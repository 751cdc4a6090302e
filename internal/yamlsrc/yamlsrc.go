// Package yamlsrc holds what the project's YAML loaders (board and connector files, scenarios)
// share about YAML as a source file: refusing aliases and finding the line of a syntax error.
package yamlsrc

import (
	"fmt"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// FirstAlias returns the first alias (*name) under n in file order and how many there are, or
// nil. The loaders refuse aliases: an alias repeats its anchor's node, lines and all, so every
// problem in the anchor would be reported once per use, all at the anchor's line.
func FirstAlias(n *yaml.Node) (first *yaml.Node, count int) {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			if first == nil || n.Line < first.Line || (n.Line == first.Line && n.Column < first.Column) {
				first = n
			}
			count++
			continue
		}
		stack = append(stack, n.Content...)
	}
	return first, count
}

// AliasMsg says that aliases are not supported in files of the named kind (e.g. "scenario
// files"), naming the first alias a and how many the file has, and what to write instead (e.g.
// "each value").
func AliasMsg(a *yaml.Node, count int, kind, instead string) string {
	msg := fmt.Sprintf("aliases (*%s) are not supported in %s; write %s out", a.Value, kind, instead)
	if count > 1 {
		msg += fmt.Sprintf(" (%d aliases in the file, the first here)", count)
	}
	return msg
}

var lineRE = regexp.MustCompile(`line (\d+)`)

// ErrorLine returns the line number a YAML syntax error names, or 0 when it names none.
func ErrorLine(err error) int {
	if err == nil {
		return 0
	}
	m := lineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 1<<30 {
		return 0
	}
	return n
}
