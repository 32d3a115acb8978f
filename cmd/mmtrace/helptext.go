package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

// setHelp makes fs's --help and -h print head, then the flags of command
// cmd in l, to w: stdout, as help asked for is output and not an error
// (pflag would print it to the flag set's output, stderr, where the parse
// errors go).
func setHelp(fs *pflag.FlagSet, w io.Writer, cmd string, l explain.Lang, head string) {
	fs.Usage = func() {
		fmt.Fprintf(w, "%s\n%s\n%s", head, heading(l, "Flags:"), flagUsages(fs, helpWidth, cmd, l))
	}
}

// flagUsages lists fs's flags, those of command cmd, in l for a terminal
// width cells wide: each flag with its placeholder, then its description,
// wrapped under itself. Under zh the description is flagZH's.
//
// pflag's own listing (PrintDefaults, FlagUsagesWrapped) shows a type
// name where a flag takes no value of its own (-t, --absolute-timestamps
// count), "[=true|false]" after every switch, and a default the
// description may already give; and its one column for all descriptions
// leaves too little room at 80 columns.
func flagUsages(fs *pflag.FlagSet, width int, cmd string, l explain.Lang) string {
	type row struct{ left, text string }
	var rows []row
	col := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, text := pflag.UnquoteUsage(f)
		switch f.Value.Type() {
		case "bool", "count":
			name = "" // a switch: -t, -tt, --stable
		default:
			if !strings.Contains(f.Usage, "`") {
				name = strings.ToUpper(name)
			}
		}
		if name != "" {
			left += " " + name
		}
		defaultText, said := " (default\u00a0%s)", "default" // no break inside
		if l == explain.ZH {
			if zh, ok := flagTextZH(cmd, f); ok {
				text = zh
			}
			// Chinese breaks a line between 默认 and a number anyway,
			// and a no-break space would start the next line.
			defaultText, said = "（默认 %s）", "默认"
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "[]" &&
			f.Value.Type() != "bool" && !strings.Contains(text, said) {
			if l == explain.ZH && strings.HasSuffix(text, "）") {
				// One parenthesis: （1 到 1000，默认 5）.
				text = strings.TrimSuffix(text, "）") + "，" + strings.TrimPrefix(fmt.Sprintf(defaultText, f.DefValue), "（")
			} else {
				text += fmt.Sprintf(defaultText, f.DefValue)
			}
		}
		rows = append(rows, row{left, text})
		col = max(col, cells.Width(left)+3)
	})
	// A long flag name takes its own line rather than push every
	// description right.
	const maxCol = 30
	col = min(col, maxCol)
	var b strings.Builder
	pad := strings.Repeat(" ", col)
	for _, r := range rows {
		b.WriteString(r.left)
		lines := cells.Wrap(r.text, width-col)
		if w := cells.Width(r.left); w+2 <= col {
			b.WriteString(strings.Repeat(" ", col-w))
		} else {
			b.WriteString("\n" + pad)
		}
		b.WriteString(strings.Join(lines, "\n"+pad))
		b.WriteString("\n")
	}
	return b.String()
}

// joinLines joins the lines of a paragraph as the text reads: with a
// space between two words, with none where Chinese meets Chinese or
// fullwidth punctuation (映射它，+ 再通过: 映射它，再通过), which a line
// break split and a space would split again.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(l)
			if !(wide(last) && wide(first)) && !fullwidthPunct(last) && !fullwidthPunct(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func wide(r rune) bool           { return cells.RuneWidth(r) == 2 }
func fullwidthPunct(r rune) bool { return wide(r) && !unicode.IsLetter(r) }

// refill lays text out for a terminal width cells wide, each line behind
// indent. Lines are joined into paragraphs and wrapped again, so a text
// written for another width reads as well here. A blank line ends a
// paragraph; so does a line indented as a list item: "  NAME  text" (a
// run of two spaces after NAME), whose lines go on under its text.
func refill(text, indent string, width int) string {
	var b strings.Builder
	type para struct {
		head string // the indent and a list item's name column
		text []string
	}
	var cur *para
	flush := func() {
		if cur == nil {
			return
		}
		pad := indent + strings.Repeat(" ", cells.Width(cur.head))
		for i, l := range cells.Wrap(joinLines(cur.text), width-cells.Width(pad)) {
			if i == 0 {
				b.WriteString(indent + cur.head + l + "\n")
			} else {
				b.WriteString(pad + l + "\n")
			}
		}
		cur = nil
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		body := strings.TrimLeft(line, " ")
		lead := len(line) - len(body)
		switch {
		case body == "":
			flush()
			b.WriteString("\n")
			continue
		case cur != nil && lead == cells.Width(cur.head):
			cur.text = append(cur.text, body) // the paragraph goes on
			continue
		}
		flush()
		cur = &para{head: line[:lead], text: []string{body}}
		if gap := strings.Index(body, "  "); lead > 0 && gap > 0 {
			// A list item: the name, the gap, the text.
			rest := strings.TrimLeft(body[gap:], " ")
			cur.head = line[:len(line)-len(rest)]
			cur.text = []string{rest}
		}
	}
	flush()
	return b.String()
}
