package svg

import (
	"encoding/xml"
	"strings"
	"testing"
)

// TestEscLikeXML: esc prints what xml.EscapeText prints, for markup,
// control characters, invalid UTF-8, surrogates and the edges of XML's
// character ranges.
func TestEscLikeXML(t *testing.T) {
	inputs := []string{
		"", "plain", `a"b'c&d<e>f`, "tab\there\nnl\rcr", "\x00\x01\x1f\x7f",
		"\xff\xfe", "ok\xc3", "中文 é", "\ufffd\ufffe\uffff", "\U00010000\U0010ffff",
		"\ud7ff\ue000", string([]byte{0xed, 0xa0, 0x80}), `open("/tmp/f", O_RDONLY) = 3`,
	}
	for b := 0; b < 256; b++ {
		inputs = append(inputs, "x"+string([]byte{byte(b)})+"y")
	}
	for _, r := range []rune{0x9, 0xa, 0xd, 0x1f, 0x20, 0xd7ff, 0xe000, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x10ffff} {
		inputs = append(inputs, string(r))
	}
	for _, in := range inputs {
		var want strings.Builder
		if err := xml.EscapeText(&want, []byte(in)); err != nil {
			t.Fatal(err)
		}
		if got := esc(in); got != want.String() {
			t.Errorf("esc(%q) = %q, xml.EscapeText gives %q", in, got, want.String())
		}
	}
}
