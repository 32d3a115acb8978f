package explain

import (
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/glossary"
)

// TestChineseTerms checks every Chinese text of the catalog, each message
// rendered with its fields, and every topic, against the glossary: no
// rejected variant of a term, no English sentence.
func TestChineseTerms(t *testing.T) {
	for id := msgID(0); id < numMsgs; id++ {
		var kv []any
		for _, f := range fields(catalog[id].zh) {
			v, ok := sample[f] // catalog_test.go: typical values
			if !ok {
				t.Fatalf("no sample for field %s", f)
			}
			kv = append(kv, f, v)
		}
		text := tidy(render(ZH, id, kv...))
		for _, p := range glossary.Check(text) {
			t.Errorf("message %d: %q: found %q, use %s", id, p.Line, p.Found, p.Want)
		}
	}
	texts := []string{List(ZH)}
	for _, name := range Topics() {
		text, ok := Topic(ZH, name)
		if !ok {
			t.Fatalf("no topic %q", name)
		}
		texts = append(texts, text)
	}
	for _, text := range texts {
		for _, p := range glossary.Check(text) {
			t.Errorf("topic %s: %q: found %q, use %s", strings.SplitN(text, "\n", 2)[0], p.Line, p.Found, p.Want)
		}
	}
}

// TestChineseTopicWidths: a topic's Chinese lines fit an 80-column
// terminal, as the English ones are written to (a C prototype, in both
// languages the same, may be longer).
func TestChineseTopicWidths(t *testing.T) {
	for _, name := range Topics() {
		text, _ := Topic(ZH, name)
		for _, line := range strings.Split(text, "\n") {
			if w := width(line); w > 80 && hasHan(line) {
				t.Errorf("topic %s: a line of %d columns: %s", name, w, line)
			}
		}
	}
}
