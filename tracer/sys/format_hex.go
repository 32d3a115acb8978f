package sys

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
// quotes included; false if s does not start with one.
func unquote(s string) (b []byte, n int, ok bool) {
	if len(s) < 2 || s[0] != '"' {
		return nil, 0, false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b, i + 1, true
		case c != '\\':
			b = append(b, c)
			continue
		}
		i++
		if i >= len(s) {
			return nil, 0, false
		}
		switch e := s[i]; e {
		case 't':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'v':
			b = append(b, '\v')
		case 'f':
			b = append(b, '\f')
		case 'r':
			b = append(b, '\r')
		case 'x':
			if i+2 >= len(s) {
				return nil, 0, false
			}
			v, okh := hexByte(s[i+1], s[i+2])
			if !okh {
				return nil, 0, false
			}
			b = append(b, v)
			i += 2
		default:
			if e < '0' || e > '7' {
				b = append(b, e) // \" and \\
				continue
			}
			v := 0
			j := i
			for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
				v = v*8 + int(s[j]-'0')
			}
			b = append(b, byte(v))
			i = j - 1
		}
	}
	return nil, 0, false
}

func hexByte(hi, lo byte) (byte, bool) {
	h, ok1 := hexDigit(hi)
	l, ok2 := hexDigit(lo)
	return h<<4 | l, ok1 && ok2
}

func hexDigit(c byte) (byte, bool) {
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
