// Package cells measures text in terminal cells and wraps it to a width.
//
// A terminal shows most characters in one cell and East Asian wide and
// fullwidth characters (Chinese, Japanese kana, Hangul, fullwidth
// punctuation such as ，。（）) in two; combining marks and zero-width
// characters take none. Wrapping counts cells, not bytes or runes, so a
// Chinese note fills a projected 80-column terminal exactly as an English
// one does.
//
// Lines break at spaces, and in Chinese between two characters, following
// the kinsoku rules: no line starts with closing punctuation (。，、）」…)
// and none ends with opening punctuation (（「…). A break between two
// Chinese characters may split a word (彼/此), so it is taken only when no
// space or punctuation break leaves the line at least two thirds full.
// A word wider than the whole line (a long path) is the one thing cut
// inside: after a '/' or '-' when there is one far enough in, else at the
// width.
//
// The table is our own, a few lines of ranges from Unicode's
// EastAsianWidth.txt (W and F) and the general categories of the unicode
// package: enough for the languages mmtrace writes, with no dependency.
package cells

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wide are the ranges of East Asian Wide (W) and Fullwidth (F) characters
// a timeline may hold: CJK ideographs and punctuation, kana, Hangul,
// fullwidth forms and the common emoji blocks.
var wide = [][2]rune{
	{0x1100, 0x115f},   // Hangul Jamo leading consonants
	{0x231a, 0x231b},   // ⌚⌛
	{0x2329, 0x232a},   // 〈〉 angle brackets
	{0x23e9, 0x23ec},   // ⏩…
	{0x23f0, 0x23f0},   // ⏰
	{0x23f3, 0x23f3},   // ⏳
	{0x25fd, 0x25fe},   // ◽◾
	{0x2614, 0x2615},   // ☔☕
	{0x2648, 0x2653},   // zodiac
	{0x26a1, 0x26a1},   // ⚡
	{0x26bd, 0x26be},   // ⚽⚾
	{0x26c4, 0x26c5},   // ⛄⛅
	{0x26d4, 0x26d4},   // ⛔
	{0x26ea, 0x26ea},   // ⛪
	{0x26f2, 0x26f5},   // ⛲…
	{0x26fa, 0x26fd},   // ⛺…
	{0x2705, 0x2705},   // ✅
	{0x270a, 0x270b},   // ✊✋
	{0x2728, 0x2728},   // ✨
	{0x274c, 0x274c},   // ❌
	{0x2753, 0x2755},   // ❓…
	{0x2757, 0x2757},   // ❗
	{0x2795, 0x2797},   // ➕➖➗
	{0x27b0, 0x27b0},   // ➰
	{0x27bf, 0x27bf},   // ➿
	{0x2b1b, 0x2b1c},   // ⬛⬜
	{0x2b50, 0x2b50},   // ⭐
	{0x2b55, 0x2b55},   // ⭕
	{0x2e80, 0x303e},   // CJK radicals, ideographic description, CJK symbols and punctuation
	{0x3041, 0x33ff},   // kana, bopomofo, Hangul compatibility jamo, kanbun, CJK strokes, enclosed CJK
	{0x3400, 0x4dbf},   // CJK extension A
	{0x4e00, 0x9fff},   // CJK unified ideographs
	{0xa000, 0xa4cf},   // Yi
	{0xa960, 0xa97f},   // Hangul Jamo extended A
	{0xac00, 0xd7a3},   // Hangul syllables
	{0xf900, 0xfaff},   // CJK compatibility ideographs
	{0xfe10, 0xfe19},   // vertical forms
	{0xfe30, 0xfe6f},   // CJK compatibility forms, small form variants
	{0xff01, 0xff60},   // fullwidth forms
	{0xffe0, 0xffe6},   // fullwidth signs
	{0x16fe0, 0x16fe4}, // ideographic symbols
	{0x17000, 0x18cff}, // Tangut
	{0x1b000, 0x1b2ff}, // kana supplement and extensions, Nushu
	{0x1f004, 0x1f004}, // 🀄
	{0x1f0cf, 0x1f0cf}, // 🃏
	{0x1f18e, 0x1f18e}, // 🆎
	{0x1f191, 0x1f19a}, // 🆑…
	{0x1f200, 0x1f2ff}, // enclosed ideographic supplement
	{0x1f300, 0x1f64f}, // pictographs, emoticons
	{0x1f680, 0x1f6ff}, // transport and map symbols
	{0x1f7e0, 0x1f7eb}, // coloured circles and squares
	{0x1f90c, 0x1f9ff}, // supplemental symbols and pictographs
	{0x1fa70, 0x1faff}, // symbols and pictographs extended A
	{0x20000, 0x2fffd}, // CJK extensions B to F, compatibility supplement
	{0x30000, 0x3fffd}, // CJK extensions G and H
}

// RuneWidth is how many cells r takes: 2 for wide and fullwidth
// characters, 0 for combining marks, format and control characters, 1
// for the rest.
func RuneWidth(r rune) int {
	switch {
	case r < 0x20 || r == 0x7f:
		return 0
	case r < 0x300:
		return 1 // ASCII and Latin: the common case, no search
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf), r >= 0x1160 && r <= 0x11ff:
		// Marks combine with the character before; format characters
		// (zero-width space, joiners, bidi controls) show nothing;
		// medial and final jamo join the leading one.
		return 0
	}
	lo, hi := 0, len(wide)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case r < wide[m][0]:
			hi = m
		case r > wide[m][1]:
			lo = m + 1
		default:
			return 2
		}
	}
	return 1
}

// Width is how many cells s takes on one line of a terminal. s holds no
// escape sequences: colour is added after text is measured.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += RuneWidth(r)
	}
	return n
}

// noLineStart are characters a line may not begin with: closing
// punctuation, Chinese and ASCII.
const noLineStart = "，。、：；）！？”’》」』】〕〉〗｝．,.:;)!?]}%"

// noLineEnd are characters a line may not end with: opening punctuation.
const noLineEnd = "（“‘《「『【〔〈〖｛([{"

// closes says r may not begin a line.
func closes(r rune) bool { return strings.ContainsRune(noLineStart, r) }

// opens says r may not end a line.
func opens(r rune) bool { return strings.ContainsRune(noLineEnd, r) }

// ideograph says r is a wide letter: a Chinese character, kana, Hangul.
// Between two of these a break may split a word.
func ideograph(r rune) bool { return RuneWidth(r) == 2 && unicode.IsLetter(r) }

// Wrap cuts s into lines of at most width cells. It breaks at spaces (the
// spaces go) and between wide characters where kinsoku allows, never
// inside a word that fits on a line. Joining the lines with a space where
// a space was, and with nothing where wide characters met, gives s back
// (less runs of spaces at the breaks). A width below 1 is taken as 1.
func Wrap(s string, width int) []string {
	if width < 1 {
		width = 1
	}
	var out []string
	for Width(s) > width {
		cut := breakAt(s, width)
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// breakAt finds where the first line of s, wider than width, ends: the
// line is s[:cut], less trailing spaces, and the rest starts at s[cut:].
func breakAt(s string, width int) (cut int) {
	// The last break of each kind that fits, and how wide the line
	// before it is.
	strong, strongCol := -1, 0 // a space, punctuation, wide next to narrow
	weak := -1                 // between two ideographs
	soft, softCol := -1, 0     // after '/' or '-' inside a long word
	col := 0
	text := false // a character other than a space came before
	var prev rune
	prevAt := 0 // where prev starts
	for i, r := range s {
		rw := RuneWidth(r)
		if i > 0 && text {
			switch {
			case r == ' ':
				if prev != ' ' {
					strong, strongCol = i, col
				}
			case prev == ' ':
				// A break is at the space itself.
			case closes(r) || opens(prev), rw == 0:
				// Kinsoku: not here. Nor before a combining mark.
			case ideograph(prev) && ideograph(r):
				weak = i
			case RuneWidth(prev) == 2 || RuneWidth(r) == 2:
				strong, strongCol = i, col
			case prev == '/' || prev == '-' || prev == '_':
				soft, softCol = i, col
			}
		}
		if col+rw > width {
			switch {
			case strong > weak && strong > 0, weak > 0 && strongCol*3 >= width*2:
				return strong
			case weak > 0:
				return weak
			case soft > 0 && softCol*2 >= width:
				return soft
			case i == 0:
				// Not even one character fits: it gets its line.
				_, n := utf8.DecodeRuneInString(s)
				return n
			case closes(r) && prevAt > 0:
				// A word wider than the line, cut where a closing mark
				// would start the next: one character earlier.
				return prevAt
			}
			return i // a word wider than the line: cut at the width
		}
		if r != ' ' {
			text = true
		}
		col += rw
		prev, prevAt = r, i
	}
	return len(s)
}

// Fit wraps one line of a plain-text message to width cells, keeping its
// shape: continuation lines are indented as far as the line's text
// ("  child 1 copied bytes [0, 4096)" goes on two spaces in), or, for a
// line laid out in two columns ("past-eof          mmap of an empty
// file: success"), as far as its second column: the text after the first
// run of two or more spaces.
// A line that fits, or a width below 1, leaves the line as it is.
func Fit(line string, width int) []string {
	if width < 1 || Width(line) <= width {
		return []string{line}
	}
	body := strings.TrimLeft(line, " ")
	indent := len(line) - len(body)
	head, text := line[:indent], body
	if gap := strings.Index(body, "  "); gap > 0 {
		end := gap + len(body[gap:]) - len(strings.TrimLeft(body[gap:], " "))
		if end < len(body) {
			head, text = line[:indent+end], body[end:]
		}
	}
	hang := Width(head)
	if width-hang < width/3 {
		// A second column too far right to leave room: indent as the
		// line's text instead.
		head, text, hang = line[:indent], body, indent
	}
	lines := Wrap(text, width-hang)
	pad := strings.Repeat(" ", hang)
	for i := range lines {
		if i == 0 {
			lines[i] = head + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}

// Writer passes text on to another writer with every line fitted to a
// width (see Fit). It holds a partial line until its end; Flush writes
// it as it is.
type Writer struct {
	w       io.Writer
	width   int
	partial []byte
}

// NewWriter returns a writer fitting lines to width cells on w; a width
// below 1 passes text on unchanged.
func NewWriter(w io.Writer, width int) *Writer { return &Writer{w: w, width: width} }

// Write fits each whole line in p and writes it.
func (w *Writer) Write(p []byte) (int, error) {
	if w.width < 1 {
		return w.w.Write(p)
	}
	n := len(p)
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return n, nil
		}
		line := string(w.partial[:i])
		w.partial = w.partial[i+1:]
		if _, err := io.WriteString(w.w, strings.Join(Fit(line, w.width), "\n")+"\n"); err != nil {
			return n, err
		}
	}
}

// Flush writes a partial line, unfitted.
func (w *Writer) Flush() error {
	if len(w.partial) == 0 {
		return nil
	}
	_, err := w.w.Write(w.partial)
	w.partial = w.partial[:0]
	return err
}
