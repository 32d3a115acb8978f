// Package escape prints strings that came from outside mmtrace — a traced
// program's paths and output, a file name a user typed — so that no byte
// of them can act on the terminal or the page that shows them: a newline
// in a file name must not start a forged timeline line, an ESC must not
// reach the terminal as the start of a control sequence.
//
// It escapes as strace does (string_quote in strace's util.c, without -x):
// C escapes for \t \n \v \f \r \" \\, printable ASCII as is, and every
// other byte in octal, \33 for ESC, \377 for 0xff. Quote is exactly that,
// for the call lines, which must read as strace's. String, for the names
// in notes, tables and pictures, differs in one way: it keeps printable
// non-ASCII UTF-8 (a Chinese file name stays readable), while strace
// prints every byte above 0x7e in octal.
//
// One implementation serves the tracer's decoders (tracer/sys), its
// renderers, the scenarios and the command line, which is why it is not
// in tracer/sys: scenarios must not depend on the tracer.
package escape

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// mode says what to leave as it is.
type mode uint8

const (
	// keepUTF8 leaves a valid UTF-8 sequence as it is when its rune is
	// printable (unicode.IsPrint): letters, marks, digits, punctuation,
	// symbols. Not printable, and escaped byte by byte in octal: the C0
	// and C1 controls (U+0080–U+009F, which some terminals obey as ESC
	// sequences), DEL, the format characters (Cf: the bidi overrides
	// U+202A–U+202E and isolates U+2066–U+2069 that make a name read
	// backwards, zero-width spaces and joiners, U+FEFF), the line and
	// paragraph separators U+2028 and U+2029, every space but U+0020 (a
	// no-break or ideographic space would pass for a plain one),
	// private-use and unassigned code points, and invalid UTF-8.
	keepUTF8 mode = 1 << iota
	// keepQuotes leaves " and \ as they are: for a message mmtrace wrote
	// itself, where they are its own punctuation.
	keepQuotes
)

// Quote renders b between double quotes as strace does by default: C
// escapes for \t \n \v \f \r \" \\, printable ASCII as is, and every other
// byte in octal, padded to three digits only when the next byte is an
// octal digit (so "\0" then "1" prints as \0001, not \01).
func Quote(b []byte) string {
	var s strings.Builder
	s.Grow(len(b) + 2)
	s.WriteByte('"')
	write(&s, b, 0)
	s.WriteByte('"')
	return s.String()
}

// String renders s, a name from outside (a path, a program's name, what a
// program wrote), for a note, a table, a tooltip or a track name: Quote's
// escapes, without the quotes, keeping printable non-ASCII UTF-8 as it is.
// "a\nb" prints as a\nb, "\x1b[31m" as \33[31m, "数据.txt" as itself.
func String(s string) string {
	if printable(s, keepUTF8) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	write(&b, []byte(s), keepUTF8)
	return b.String()
}

// Message renders a one-line message that mmtrace composed but that may
// hold a name from outside, raw (an error that quotes a path): whatever a
// terminal could act on is escaped as String escapes it, and the rest,
// quotes and backslashes included, is left as it is.
func Message(s string) string {
	if printable(s, keepUTF8|keepQuotes) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	write(&b, []byte(s), keepUTF8|keepQuotes)
	return b.String()
}

// printable says whether write would copy s unchanged.
func printable(s string, m mode) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			if m&keepQuotes == 0 {
				return false
			}
			i++
		case c >= ' ' && c < 0x7f:
			i++
		case c >= utf8.RuneSelf && m&keepUTF8 != 0:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !kept(r, n) {
				return false
			}
			i += n
		default:
			return false
		}
	}
	return true
}

// kept says whether keepUTF8 keeps rune r, decoded from n bytes.
func kept(r rune, n int) bool {
	return !(r == utf8.RuneError && n <= 1) && unicode.IsPrint(r)
}

// write appends b to s, escaped as mode m says.
func write(s *strings.Builder, b []byte, m mode) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '"', '\\':
			if m&keepQuotes == 0 {
				s.WriteByte('\\')
			}
			s.WriteByte(c)
			continue
		case '\f':
			s.WriteString(`\f`)
			continue
		case '\n':
			s.WriteString(`\n`)
			continue
		case '\r':
			s.WriteString(`\r`)
			continue
		case '\t':
			s.WriteString(`\t`)
			continue
		case '\v':
			s.WriteString(`\v`)
			continue
		}
		if c >= ' ' && c < 0x7f {
			s.WriteByte(c)
			continue
		}
		if c >= utf8.RuneSelf && m&keepUTF8 != 0 {
			if r, n := utf8.DecodeRune(b[i:]); kept(r, n) {
				s.Write(b[i : i+n])
				i += n - 1
				continue
			}
		}
		pad := i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '7'
		s.WriteByte('\\')
		if pad || c>>6 != 0 {
			s.WriteByte('0' + c>>6)
		}
		if pad || c>>3 != 0 {
			s.WriteByte('0' + (c>>3)&7)
		}
		s.WriteByte('0' + c&7)
	}
}

// Unquote undoes Quote: it reads a string strace printed, between its
// double quotes, with the escapes Quote writes and the \xNN of strace's
// hexadecimal form, and returns the bytes it stands for. ok is false when
// s is not one such string; a caller that may hold strace's "..." after
// the closing quote (a string cut at -s) takes it off first.
func Unquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	s = s[1 : len(s)-1]
	if !strings.ContainsAny(s, `\"`) {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			return "", false // an unescaped quote ends the string early
		}
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		if i == len(s) {
			return "", false
		}
		switch c = s[i]; c {
		case '"', '\\':
			b = append(b, c)
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'v':
			b = append(b, '\v')
		case 'x':
			if i+2 >= len(s) {
				return "", false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			b = append(b, hi<<4|lo)
			i += 2
		default:
			// One to three octal digits: Quote writes three only when
			// the next byte is itself an octal digit.
			if c < '0' || c > '7' {
				return "", false
			}
			v := uint(c - '0')
			for n := 1; n < 3 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; n++ {
				i++
				v = v<<3 | uint(s[i]-'0')
			}
			if v > 0xff {
				return "", false
			}
			b = append(b, byte(v))
		}
	}
	return string(b), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
