package html

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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
	srv  *http.Server
	url  string
	// loopback: bound to a loopback address, where only this machine
	// connects; then the Host a request names must be too, so that a web
	// page elsewhere cannot reach the trace through a name it rebinds.
	loopback bool
	port     string
	done     chan struct{}
	mu       sync.Mutex // guards gate
}

// Serve starts serving rec's page on addr ("127.0.0.1:0": loopback, a
// free port).
func Serve(rec *Recorder, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	s := &Server{rec: rec, ln: ln, done: make(chan struct{})}
	tcp := ln.Addr().(*net.TCPAddr)
	s.loopback = tcp.IP.IsLoopback()
	s.port = strconv.Itoa(tcp.Port)
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1" // reachable here; others use the machine's name
	}
	s.url = "http://" + net.JoinHostPort(host, s.port) + "/"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("POST /next", s.release(""))
	mux.HandleFunc("POST /run", s.release("c"))
	s.srv = &http.Server{Handler: s.guard(mux), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		s.srv.Serve(ln)
	}()
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
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	<-s.done
	return err
}

// guard refuses requests that did not come from a page of this server:
// on loopback, a Host that is not a loopback name (DNS rebinding); a POST
// whose Origin is another site's.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if s.loopback {
			host, _, err := net.SplitHostPort(req.Host)
			if err != nil {
				host = req.Host
			}
			ip := net.ParseIP(host)
			if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				http.Error(w, "mmtrace serves this machine only", http.StatusForbidden)
				return
			}
		}
		if o := req.Header.Get("Origin"); req.Method == http.MethodPost && o != "" && o != "http://"+req.Host {
			http.Error(w, "not from this page", http.StatusForbidden)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, req)
	})
}

func (s *Server) page(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	// The records come as events.
	writePage(bw, s.rec.meta(true), s.rec.opt.Lang, []byte(`{"done":false,"b":[]}`), nil)
	bw.Flush()
}

// events streams the batches: those recorded so far, then each as it
// comes, then "end". A page that reconnects says the last batch it had
// (Last-Event-ID) and gets the rest.
func (s *Server) events(w http.ResponseWriter, req *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	from, _ := strconv.Atoi(req.Header.Get("Last-Event-ID"))
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
		fl.Flush()
		if done {
			return
		}
		select {
		case <-notify:
		case <-req.Context().Done():
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
func (s *Server) release(answer string) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		s.mu.Lock()
		g := s.gate
		s.mu.Unlock()
		if g == nil {
			http.Error(w, "not in step mode (--step)", http.StatusConflict)
			return
		}
		g.Release(answer)
		w.WriteHeader(http.StatusNoContent)
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
