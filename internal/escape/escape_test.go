package escape

import (
	"math/rand/v2"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "dd.txt", `"dd.txt"`},
		{"c escapes", "a\nb\tc\rd\ve\ff", `"a\nb\tc\rd\ve\ff"`},
		{"quotes and backslash", `"q" \`, `"\"q\" \\"`},
		{"escape sequence", "\x1b[31mred", `"\33[31mred"`},
		{"padded before a digit", "\x1b1", `"\0331"`},
		{"high byte", "\xff", `"\377"`},
		// strace prints every byte above 0x7e in octal, UTF-8 or not.
		{"utf-8", "数", `"\346\225\260"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Quote([]byte(tc.in)); got != tc.want {
				t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "/tmp/dd.txt", "/tmp/dd.txt"},
		{"newline forging a line", "x\n12345 0.0 openat(AT_FDCWD, \"y\") = 3", `x\n12345 0.0 openat(AT_FDCWD, \"y\") = 3`},
		{"tab and cr", "a\tb\rc", `a\tb\rc`},
		{"escape sequence", "\x1b[31mred\x1b[0m", `\33[31mred\33[0m`},
		{"osc title and bell", "\x1b]0;pwned\a", `\33]0;pwned\7`},
		{"padded before a digit", "\x1b1", `\0331`},
		{"nul before 8", "\x008", `\08`},
		{"del", "a\x7fb", `a\177b`},
		{"quotes and backslash as strace", `my "file"\x`, `my \"file\"\\x`},
		{"invalid utf-8", "a\xffb", `a\377b`},
		{"truncated utf-8", "\xe6\x95", `\346\225`},
		// Printable UTF-8 stays readable.
		{"chinese", "数据/映射.txt", "数据/映射.txt"},
		{"accents and symbols", "café €½ ✓", "café €½ ✓"},
		{"replacement char is printable", "\uFFFD", "\uFFFD"},
		// C1 controls: some terminals obey U+009B as CSI.
		{"c1 csi", "a\u009b31mb", `a\302\23331mb`},
		{"c1 nel", "\u0085", `\302\205`},
		// A bidi override makes "txt.exe" read as "exe.txt".
		{"bidi override", "a\u202Etxt.exe", `a\342\200\256txt.exe`},
		{"bidi isolate", "\u2066x\u2069", `\342\201\246x\342\201\251`},
		{"zero width space", "a\u200bb", `a\342\200\213b`},
		{"byte order mark", "\ufeffx", `\357\273\277x`},
		{"line separator", "a\u2028b", `a\342\200\250b`},
		{"no-break space", "a\u00a0b", `a\302\240b`},
		{"ideographic space", "数\u3000据", `数\343\200\200据`},
		{"private use", "\ue000", `\356\200\200`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := String(tc.in); got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", `unknown command "copi"`, `unknown command "copi"`},
		{"quotes and backslash kept", `a "b" \c`, `a "b" \c`},
		{"raw name", "cannot copy /tmp/x\n12345 0.0 y\x1b[31m: no such file", `cannot copy /tmp/x\n12345 0.0 y\33[31m: no such file`},
		{"chinese", "没有文件 数据.txt", "没有文件 数据.txt"},
		{"c1", "\u009b", `\302\233`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Message(tc.in); got != tc.want {
				t.Errorf("Message(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNothingActive checks String and Message over every byte and over
// random strings: what comes out is valid UTF-8 of printable runes only,
// so nothing in it moves the cursor, ends a line or starts a control
// sequence.
func TestNothingActive(t *testing.T) {
	ins := []string{}
	for c := 0; c < 256; c++ {
		ins = append(ins, string([]byte{byte(c)}), string([]byte{byte(c), '1'}))
	}
	for r := rune(0x80); r < 0x3000; r++ {
		ins = append(ins, string(r))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		ins = append(ins, string(b))
	}
	for _, in := range ins {
		for _, out := range []string{String(in), Message(in), Quote([]byte(in))} {
			if !utf8.ValidString(out) {
				t.Fatalf("escaping %q gave invalid UTF-8 %q", in, out)
			}
			for _, r := range out {
				if !unicode.IsPrint(r) {
					t.Fatalf("escaping %q left %U in %q", in, r, out)
				}
			}
		}
	}
}

func TestUnquote(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", `"dd.txt"`, "dd.txt", true},
		{"empty", `""`, "", true},
		{"c escapes", `"a\nb\t\"\\"`, "a\nb\t\"\\", true},
		// Go's strconv.Unquote refuses these: octal with one or two digits.
		{"short octal", `"\33[31m\0"`, "\x1b[31m\x00", true},
		{"padded octal", `"\0331"`, "\x1b1", true},
		{"high octal", `"\377\200"`, "\xff\x80", true},
		{"hex", `"\x00\xab"`, "\x00\xab", true},
		{"not quoted", `0x7ffc0000`, "", false},
		{"cut", `"abc"...`, "", false},
		{"inner quote", `"a"b"`, "", false},
		{"dangling backslash", `"a\"`, "", false},
		{"bad escape", `"\q"`, "", false},
		{"octal too big", `"\400"`, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Unquote(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Unquote(%s) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestUnquoteQuote checks that Unquote undoes Quote for every byte, every
// byte before a digit, and random byte strings.
func TestUnquoteQuote(t *testing.T) {
	var ins []string
	for c := 0; c < 256; c++ {
		ins = append(ins, string([]byte{byte(c)}), string([]byte{byte(c), '7'}), string([]byte{byte(c), '8'}))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		b := make([]byte, rng.IntN(16))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		ins = append(ins, string(b))
	}
	for _, in := range ins {
		q := Quote([]byte(in))
		got, ok := Unquote(q)
		if !ok || got != in {
			t.Fatalf("Unquote(Quote(%q)) = Unquote(%s) = %q, %v", in, q, got, ok)
		}
	}
}
