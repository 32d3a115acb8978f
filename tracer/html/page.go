package html

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strconv"
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
	size := 0
	for _, c := range chunks {
		size += len(c) + 2
	}
	var packed []byte
	if size > packAbove {
		packed = r.pack(r.strList, r.recs, done)
	}
	r.mu.Unlock()
	var data bytes.Buffer
	if packed == nil {
		data.WriteString(`{"done":`)
		data.WriteString(strconv.FormatBool(done))
		data.WriteString(`,"b":[`)
		for i, c := range chunks {
			if i > 0 {
				data.WriteString(",\n")
			}
			data.Write(c)
		}
		data.WriteString("]}")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := writePage(bw, r.meta(false), r.opt.Lang, data.Bytes(), packed); err != nil {
		return err
	}
	return bw.Flush()
}

// packAbove is the size of the trace's data (as JSON) above which the
// page holds it packed (see pack: varints, gzip, base64): a browser reads
// a big page's text slowly (some 150 ms a megabyte here), and decodes
// JSON's text slower than it inflates bytes. A smaller page keeps its
// data as plain JSON, there to read.
var packAbove = 256 << 10 // a variable for the tests

// writePage writes the page around the trace's data: one JSON object,
// {"done": bool, "b": [batch, ...]}, or when packed is not nil, that.
func writePage(w *bufio.Writer, m meta, lang explain.Lang, data, packed []byte) error {
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
			return nil
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
			if err := writeData(w, data, packed); err != nil {
				return err
			}
		}
		page = page[i+j+2:]
	}
}

// writeData writes the element that holds the trace's data: the JSON as
// it is (HTML-safe: the strings have <, > and & escaped), or the packed
// trace compressed.
func writeData(w *bufio.Writer, data, packed []byte) error {
	if packed == nil {
		w.WriteString(`<script id="mmtrace-data" type="application/json">`)
		w.Write(data)
		w.WriteString("</script>")
		return nil
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	if _, err := zw.Write(packed); err != nil {
		return fmt.Errorf("compressing the page's data: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compressing the page's data: %w", err)
	}
	w.WriteString(`<script id="mmtrace-data" type="text/plain" data-encoding="packed gzip base64">`)
	enc := base64.NewEncoder(base64.StdEncoding, w)
	enc.Write(z.Bytes())
	enc.Close()
	w.WriteString("</script>")
	return nil
}
