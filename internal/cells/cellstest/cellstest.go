// Package cellstest checks wrapped text for tests: that the lines of a
// wrapped note fit and, joined, give the note back with no word split.
package cellstest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mmtrace/mmtrace/internal/cells"
)

// The kinsoku sets, written out here rather than taken from package
// cells, so that a check does not share the code it checks.
const (
	closing = "，。、：；）！？”’》」』】"
	opening = "（“‘《「『【"
)

// CheckWrap says why lines are not text wrapped to width cells, or nil
// when they are: every line fits; the lines, in order, are the text, each
// break at a run of spaces or between two characters where one is wide
// and none is a closing mark starting a line or an opening one ending it;
// and a word (text between spaces, with no wide character in it, and the
// punctuation that may not be parted from it) is cut only when it is wider
// than the width.
func CheckWrap(text string, lines []string, width int) error {
	rest := strings.TrimLeft(text, " ")
	for i, l := range lines {
		if w := cells.Width(l); w > width {
			return fmt.Errorf("line %d is %d cells wide, more than %d: %q", i+1, w, width, l)
		}
		if !strings.HasPrefix(rest, l) {
			return fmt.Errorf("line %d %q is not the text that follows: %q", i+1, l, rest)
		}
		rest = rest[len(l):]
		if i == len(lines)-1 {
			break
		}
		if trimmed := strings.TrimLeft(rest, " "); len(trimmed) < len(rest) {
			rest = trimmed // broken at spaces
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(l)
		next, _ := utf8.DecodeRuneInString(rest)
		switch {
		case strings.ContainsRune(closing, next):
			return fmt.Errorf("line %d starts with closing punctuation: %q", i+2, lines[i+1])
		case strings.ContainsRune(opening, prev):
			return fmt.Errorf("line %d ends with opening punctuation: %q", i+1, l)
		case cells.RuneWidth(prev) == 2 || cells.RuneWidth(next) == 2:
			// Between wide characters, or a wide and a narrow one.
		default:
			word := wordAround(text, len(text)-len(rest))
			if cells.Width(word) <= width {
				return fmt.Errorf("the word %q is split after line %d %q, though it fits in %d cells", word, i+1, l, width)
			}
		}
	}
	if strings.TrimSpace(rest) != "" {
		return fmt.Errorf("text left after the last line: %q", rest)
	}
	return nil
}

// wordAround is the run of text around byte offset at that holds no space
// and no wide character, with the closing marks after it and the opening
// ones before it.
func wordAround(s string, at int) string {
	stop := func(r rune) bool { return r == ' ' || cells.RuneWidth(r) == 2 }
	start := at
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if stop(r) {
			break
		}
		start -= n
	}
	end := at
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if stop(r) {
			break
		}
		end += n
	}
	// Punctuation that may not be parted from the word goes with it:
	// "MAP_SHARED：" is one unit, and so is "（fork".
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !strings.ContainsRune(closing, r) {
			break
		}
		end += n
	}
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if !strings.ContainsRune(opening, r) {
			break
		}
		start -= n
	}
	return s[start:end]
}
