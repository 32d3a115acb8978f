package sys

import "github.com/mmtrace/mmtrace/internal/escape"

import "strings"

// strings returns a formatted argument with its quoted strings as
// strace's -x and -xx print them: every byte as \xNN, with -xx in every
// string, with -x in a string holding a byte that is neither printable
// ASCII nor whitespace (strace's string_quote). Rewriting the argument's
// text, rather than every formatter, reaches every string the way
// strace's one quoting function does: paths, buffers, argv, and the
// strings inside structures (inet_addr("\x31\x32\x37...") with -xx).
func (o *Options) strings(s string) string {
	if o == nil || o.Hex == 0 || strings.IndexByte(s, '"') < 0 {
		return s
	}
	var out strings.Builder
	out.Grow(len(s) * 2)
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			out.WriteString(s)
			return out.String()
		}
		out.WriteString(s[:i])
		b, n, ok := unquote(s[i:])
		if !ok {
			out.WriteString(s[i:])
			return out.String()
		}
		if o.Hex >= 2 || needsHex(b) {
			out.WriteString(quoteHex(b))
		} else {
			out.WriteString(s[i : i+n])
		}
		s = s[i+n:]
	}
}

// needsHex says whether strace -x prints b in hex: it holds a byte above
// 0x7e, or a control byte other than \t \n \v \f \r.
func needsHex(b []byte) bool {
	for _, c := range b {
		if c > 0x7e || (c < ' ' && (c < '\t' || c > '\r')) {
			return true
		}
	}
	return false
}

// unquote reads the quoted string at the start of s, as quote and
// quoteHex write it, and returns its bytes and the length of its text,
// quotes included; false if s does not start with one. The escapes are
// escape.Unquote's; this finds where the string ends.
func unquote(s string) (b []byte, n int, ok bool) {
	if len(s) < 2 || s[0] != '"' {
		return nil, 0, false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			u, ok := escape.Unquote(s[:i+1])
			if !ok {
				return nil, 0, false
			}
			return []byte(u), i + 1, true
		}
	}
	return nil, 0, false
}
