package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/cells"
)

// setHelp makes fs's --help and -h print head, then the flags, to w:
// stdout, as help asked for is output and not an error (pflag would print
// it to the flag set's output, stderr, where the parse errors go).
func setHelp(fs *pflag.FlagSet, w io.Writer, head string) {
	fs.Usage = func() {
		fmt.Fprintf(w, "%s\nFlags:\n%s", head, flagUsages(fs, helpWidth))
	}
}

// flagUsages lists fs's flags for a terminal width cells wide: each flag
// with its placeholder, then its description, wrapped under itself.
//
// pflag's own listing (PrintDefaults, FlagUsagesWrapped) shows a type
// name where a flag takes no value of its own (-t, --absolute-timestamps
// count), "[=true|false]" after every switch, and a default the
// description may already give; and its one column for all descriptions
// leaves too little room at 80 columns.
func flagUsages(fs *pflag.FlagSet, width int) string {
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
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "[]" &&
			f.Value.Type() != "bool" && !strings.Contains(text, "default") {
			text += " (default\u00a0" + f.DefValue + ")" // no break inside
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
		for i, l := range cells.Wrap(strings.Join(cur.text, " "), width-cells.Width(pad)) {
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
