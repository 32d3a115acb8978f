package html

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server serves the page live: the page at /, the records as they come
// at /events (Server-Sent Events), and with step mode /next and /run,
// which release the call the trace waits at.
type Server struct {
	rec  *Recorder
	gate *Gate
	ln   net.Listener
	cs   *conns
	url  string
	// loopback: bound to a loopback address, where only this machine
	// connects; then the Host a request names must be too, so that a web
	// page elsewhere cannot reach the trace through a name it rebinds.
	loopback bool
	port     string
	mu       sync.Mutex // guards gate
}

// Serve starts serving rec's page on addr ("127.0.0.1:0": loopback, a
// free port).
func Serve(rec *Recorder, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	s := &Server{rec: rec, ln: ln}
	tcp := ln.Addr().(*net.TCPAddr)
	s.loopback = tcp.IP.IsLoopback()
	s.port = strconv.Itoa(tcp.Port)
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1" // reachable here; others use the machine's name
	}
	s.url = "http://" + net.JoinHostPort(host, s.port) + "/"
	s.cs = serveConns(ln, s.route)
	return s, nil
}

// SetGate makes the page's Next and Run buttons answer step mode's
// questions through gate; call it before the trace starts.
func (s *Server) SetGate(g *Gate) {
	g.mu.Lock()
	g.onWait = s.rec.setWaiting
	g.mu.Unlock()
	s.mu.Lock()
	s.gate = g
	s.mu.Unlock()
}

// URL is where the page is.
func (s *Server) URL() string { return s.url }

// Loopback says whether only this machine can connect.
func (s *Server) Loopback() bool { return s.loopback }

// Close stops serving: the live pages have had the end of the trace (the
// recorder closed) or are cut off; the connections end within a second.
func (s *Server) Close() error {
	return s.cs.close(time.Second)
}

// route answers a request: the page at /, the events at /events, Next
// and Run at /next and /run (POST); after guard.
func (s *Server) route(w *response, req *request) {
	if !s.guard(w, req) {
		return
	}
	var method string
	var h func(*response, *request)
	switch req.path {
	case "/":
		method, h = "GET", s.page
	case "/events":
		method, h = "GET", s.events
	case "/next":
		method, h = "POST", s.release("")
	case "/run":
		method, h = "POST", s.release("c")
	default:
		w.fail(404, "404 page not found")
		return
	}
	if req.method != method {
		w.header.Set("Allow", method)
		w.fail(405, "method not allowed")
		return
	}
	h(w, req)
}

// guard refuses requests that did not come from a page of this server:
// on loopback, a Host that is not a loopback name (DNS rebinding); a POST
// whose Origin is another site's.
func (s *Server) guard(w *response, req *request) bool {
	if s.loopback {
		host, _, err := net.SplitHostPort(req.host)
		if err != nil {
			host = req.host
		}
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			w.fail(403, "mmtrace serves this machine only")
			return false
		}
	}
	if o := req.header.Get("Origin"); req.method == "POST" && o != "" && o != "http://"+req.host {
		w.fail(403, "not from this page")
		return false
	}
	return true
}

func (s *Server) page(w *response, req *request) {
	w.header.Set("Content-Type", "text/html; charset=utf-8")
	w.header.Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	// The records come as events.
	writePage(bw, s.rec.meta(true), s.rec.opt.Lang, []byte(`{"done":false,"b":[]}`), nil)
	bw.Flush()
}

// events streams the batches: those recorded so far, then each as it
// comes, then "end". A page that reconnects says the last batch it had
// (Last-Event-ID) and gets the rest.
func (s *Server) events(w *response, req *request) {
	w.header.Set("Content-Type", "text/event-stream")
	w.header.Set("Cache-Control", "no-store")
	from, _ := strconv.Atoi(req.header.Get("Last-Event-ID"))
	from = max(from, 0)
	io.WriteString(w, "retry: 1000\n\n")
	waiting := ""
	for {
		r := s.rec
		r.mu.Lock()
		chunks := r.chunks[min(from, len(r.chunks)):]
		done, wait, notify := r.done, r.waiting, r.notify
		r.mu.Unlock()
		var b strings.Builder
		for _, c := range chunks {
			from++
			fmt.Fprintf(&b, "id: %d\ndata: %s\n\n", from, c)
		}
		if wait != waiting {
			waiting = wait
			fmt.Fprintf(&b, "event: wait\ndata: %s\n\n", orNull(wait))
		}
		if done {
			b.WriteString("event: end\ndata: {}\n\n")
		}
		if _, err := io.WriteString(w, b.String()); err != nil {
			return
		}
		if w.flush() != nil || done {
			return
		}
		select {
		case <-notify:
		case <-req.gone:
			return
		}
	}
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// release opens the gate once with answer ("" runs the call, "c" runs to
// the end).
func (s *Server) release(answer string) func(*response, *request) {
	return func(w *response, req *request) {
		s.mu.Lock()
		g := s.gate
		s.mu.Unlock()
		if g == nil {
			w.fail(409, "not in step mode (--step)")
			return
		}
		g.Release(answer)
		w.writeHeader(204)
	}
}

// setWaiting tells the live pages whether the trace waits at a call, and
// which: the last call entered. The records so far go out first.
func (r *Recorder) setWaiting(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waiting = ""
	if on && r.entered != nil {
		c := r.entered.call
		args := c.ArgsText()
		n := 0
		for n < len(args) && args[n] != "" {
			n++
		}
		call := c.Name + "(" + strings.Join(args[:n], ", ")
		if n < len(args) {
			call += ", …"
		}
		b, _ := json.Marshal(map[string]any{
			"p":    r.lab.pid(r.entered.pid),
			"call": r.lab.text(strings.ToValidUTF8(call+")", "\uFFFD"), pidCalls[c.Name]),
		})
		r.waiting = string(b)
	}
	r.encodeLocked()
	r.wakeLocked()
}

// Gate is what step mode (tracer/step) reads its answers from when the
// page may answer too: the lines typed at the terminal, if any, and the
// page's Next (an empty line, "run the call") and Run (c, "run to the
// end"). While the stepper waits for a line the page shows Next.
type Gate struct {
	pr     *io.PipeReader
	pw     *io.PipeWriter
	mu     sync.Mutex
	onWait func(bool)
	closed bool
}

// NewGate returns a gate; terminal, when not nil, is read line by line
// into it.
func NewGate(terminal io.Reader) *Gate {
	pr, pw := io.Pipe()
	g := &Gate{pr: pr, pw: pw}
	if terminal != nil {
		go func() {
			br := bufio.NewReader(terminal)
			for {
				line, err := br.ReadString('\n')
				if line != "" {
					if !strings.HasSuffix(line, "\n") {
						line += "\n"
					}
					if _, werr := io.WriteString(pw, line); werr != nil {
						return
					}
				}
				if err != nil {
					return // the terminal is gone; the page still answers
				}
			}
		}()
	}
	return g
}

// Read is the stepper's: it waits for a line.
func (g *Gate) Read(p []byte) (int, error) {
	g.mu.Lock()
	f := g.onWait
	g.mu.Unlock()
	if f != nil {
		f(true)
		defer f(false)
	}
	return g.pr.Read(p)
}

// Release answers the stepper's question with one line.
func (g *Gate) Release(answer string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return
	}
	// A pipe write waits for a reader: never hold up the server for it.
	go io.WriteString(g.pw, answer+"\n")
}

// Close ends the answers: a stepper waiting runs on to the end.
func (g *Gate) Close() error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	return g.pw.Close()
}
