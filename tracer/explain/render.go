package explain

import (
	"fmt"
	"strings"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/internal/escape"
)

// msg is one message in both languages. Templates name their fields in
// braces, {file}; both texts of a message use the same fields.
type msg struct{ en, zh string }

func (m msg) in(l Lang) string {
	if l == ZH {
		return m.zh
	}
	return m.en
}

// local is a field value that reads differently in each language.
type local interface{ in(Lang) string }

// sub is a message used as a field of another.
type sub struct {
	id msgID
	kv []any
}

func (s sub) in(l Lang) string { return render(l, s.id, s.kv...) }

func t(id msgID, kv ...any) sub { return sub{id, kv} }

// count is a number with its unit: "1 page", "2 pages", "2 页".
type count struct {
	n         uint64
	one, many msgID
}

func (c count) in(l Lang) string {
	id := c.many
	if c.n == 1 {
		id = c.one
	}
	return render(l, id, "n", c.n)
}

func pages(n uint64) count      { return count{n, mPage1, mPages} }
func nbytes(n uint64) count     { return count{n, mByte1, mBytes} }
func minorFlt(n uint64) count   { return count{n, mMinor1, mMinorN} }
func faultCount(n uint64) count { return count{n, mFault1, mFaultN} }
func majorFlt(n uint64) count   { return count{n, mMajor1, mMajorN} }

// list joins values: "a, b and c", "a、b和c".
type list []any

func (ls list) in(l Lang) string {
	s := make([]string, len(ls))
	for i, v := range ls {
		s[i] = value(l, v)
	}
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	head := strings.Join(s[:len(s)-1], catalog[mListSep].in(l))
	return render(l, mListAnd, "a", head, "b", s[len(s)-1])
}

// hex is an address, printed as strace prints one.
type hex uint64

// name is text that came from outside: a path, a program's name. It is
// escaped as strace escapes strings (escape.String: \n, \33, \302\233),
// keeping printable UTF-8, when a message is rendered, so that no name
// can end a note's line, forge a timeline line or send the terminal an
// escape sequence, whichever renderer shows the note. Every field that
// holds such text is a name (fileName returns one).
type name string

func (n name) in(Lang) string { return escape.String(string(n)) }

func value(l Lang, v any) string {
	switch v := v.(type) {
	case string:
		return v
	case local:
		return v.in(l)
	case hex:
		return fmt.Sprintf("%#x", uint64(v))
	}
	return fmt.Sprint(v)
}

// strict makes render mark fields passed to a message that does not use
// them; tests turn it on. A field a message uses but is not given always
// stays as its placeholder, so that tests see it.
var strict bool

// render fills message id's template in language l with kv, pairs of
// field name and value.
func render(l Lang, id msgID, kv ...any) string {
	tmpl := catalog[id].in(l)
	var b strings.Builder
	used := make([]bool, len(kv)/2)
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		name, found := tmpl[i+1:i+j], false
		for k := 0; k+1 < len(kv); k += 2 {
			if kv[k] == name {
				b.WriteString(value(l, kv[k+1]))
				used[k/2], found = true, true
				break
			}
		}
		if !found {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	if strict {
		for k, u := range used {
			if !u {
				fmt.Fprintf(&b, "{unused %v}", kv[2*k])
			}
		}
	}
	return b.String()
}

// fields returns the field names a template uses, in order of first use.
func fields(tmpl string) []string {
	var out []string
	seen := map[string]bool{}
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return out
		}
		if name := tmpl[i+1 : i+j]; !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		tmpl = tmpl[i+j+1:]
	}
}

// tidy drops a space between two wide characters, which Chinese does not
// put there: "1 页 映射到" becomes "1 页映射到" when a field's value ends in
// Chinese; the space between Chinese and Latin text or digits stays.
func tidy(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	r := []rune(s)
	out := r[:0:0]
	for i, c := range r {
		if c == ' ' && i > 0 && i+1 < len(r) && cells.RuneWidth(r[i-1]) == 2 && cells.RuneWidth(r[i+1]) == 2 {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// MaxWidth is how wide, in terminal cells, a message may be with typical
// values: short enough to read at a glance under a call. Notes are not cut
// to it: a note is one line, whole, and a renderer writing to a terminal
// wraps it to the terminal's width (internal/cells).
const MaxWidth = 94

// width is how many terminal cells s takes: CJK characters and
// full-width punctuation take two.
func width(s string) int { return cells.Width(s) }
