package html

import (
	"bufio"
	"embed"
	"encoding/json"
	"html"
	"io"
	"strings"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// The page: its markup, style and script, inlined into every page so
// that it needs no network, no other file and no build step.
//
//go:embed assets/page.html assets/style.css assets/app.js
var assets embed.FS

func asset(name string) string {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

// meta is what the page knows of the trace besides its records.
type meta struct {
	V      int    `json:"v"`
	Title  string `json:"title"`
	Lang   string `json:"lang"`
	Stable bool   `json:"stable"`
	Live   bool   `json:"live"`
	Step   bool   `json:"step"`
	Page   uint64 `json:"page"`
}

func (r *Recorder) meta(live bool) meta {
	return meta{
		V: 2, Title: escape.Message(r.opt.Title), Lang: r.opt.Lang.String(), Stable: r.opt.Stable,
		Live: live, Step: r.opt.Step && live, Page: model.PageSize,
	}
}

// WritePage writes the page with everything recorded so far: call it
// after Close for the whole trace.
func (r *Recorder) WritePage(w io.Writer) error {
	r.mu.Lock()
	r.encodeLocked()
	chunks := append([][]byte(nil), r.chunks...)
	done := r.done
	r.mu.Unlock()
	bw := bufio.NewWriterSize(w, 64<<10)
	writePage(bw, r.meta(false), r.opt.Lang, func(w *bufio.Writer) {
		w.WriteString(`{"done":`)
		if done {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
		w.WriteString(`,"b":[`)
		for i, c := range chunks {
			if i > 0 {
				w.WriteString(",\n")
			}
			w.Write(c)
		}
		w.WriteString("]}")
	})
	return bw.Flush()
}

// writePage writes the page around the trace's data, which data writes
// as one JSON object: {"done": bool, "b": [batch, ...]}.
func writePage(w *bufio.Writer, m meta, lang explain.Lang, data func(*bufio.Writer)) {
	page := asset("page.html")
	mj, _ := json.Marshal(m) // HTML-safe: <, > and & escaped
	title := "mmtrace"
	if m.Title != "" {
		title += " · " + m.Title
	}
	for {
		i := strings.Index(page, "{{")
		if i < 0 {
			w.WriteString(page)
			return
		}
		j := strings.Index(page[i:], "}}")
		w.WriteString(page[:i])
		switch page[i+2 : i+j] {
		case "lang":
			if lang == explain.ZH {
				w.WriteString("zh-Hans")
			} else {
				w.WriteString("en")
			}
		case "title":
			w.WriteString(html.EscapeString(title))
		case "css":
			w.WriteString(asset("style.css"))
		case "js":
			w.WriteString(asset("app.js"))
		case "meta":
			w.Write(mj)
		case "data":
			data(w)
		}
		page = page[i+j+2:]
	}
}
