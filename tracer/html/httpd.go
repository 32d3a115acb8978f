package html

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"time"
)

// The live page needs four answers (the page, its event stream, Next and
// Run), one request per connection. They are served here over plain
// HTTP/1.1 rather than by net/http: net/http brings crypto/tls, x509 and
// their package initialisation into every run of mmtrace, --serve or not,
// about 4 MB of binary and 1.5 MB of mmtrace's resident memory (issue 15).

// Limits on what a client may send: the request line and headers within
// headLimit bytes and headTimeout (as net/http's ReadHeaderTimeout), so
// that a client elsewhere (--serve=ADDR) cannot hold a connection open by
// sending slowly or without end.
const (
	headLimit   = 64 << 10
	headTimeout = 10 * time.Second
)

// request is what the handlers read of a request.
type request struct {
	method string
	path   string // without the query
	host   string // the Host header
	header textproto.MIMEHeader
	// gone is closed when the client closes its side of the connection,
	// or the server closes it (net/http's request context).
	gone <-chan struct{}
}

// response writes an answer: the status line and headers at the first
// write, then the body; the connection closes after it (Connection:
// close), which ends the body.
type response struct {
	bw     *bufio.Writer
	header textproto.MIMEHeader
	wrote  bool
	err    error
}

func (w *response) writeHeader(status int) {
	if w.wrote {
		return
	}
	w.wrote = true
	fmt.Fprintf(w.bw, "HTTP/1.1 %d %s\r\n", status, statusText[status])
	w.header.Set("Connection", "close")
	w.header.Set("X-Content-Type-Options", "nosniff")
	for _, k := range slices.Sorted(maps.Keys(w.header)) {
		for _, v := range w.header[k] {
			fmt.Fprintf(w.bw, "%s: %s\r\n", k, v)
		}
	}
	w.bw.WriteString("\r\n")
}

func (w *response) Write(p []byte) (int, error) {
	w.writeHeader(200)
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.bw.Write(p)
	w.err = err
	return n, err
}

// flush sends what was written so far.
func (w *response) flush() error {
	w.writeHeader(200)
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	return w.err
}

// fail answers with status and a one-line text.
func (w *response) fail(status int, text string) {
	w.header.Set("Content-Type", "text/plain; charset=utf-8")
	w.writeHeader(status)
	w.bw.WriteString(text + "\n")
}

var statusText = map[int]string{
	200: "OK",
	204: "No Content",
	400: "Bad Request",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	409: "Conflict",
	431: "Request Header Fields Too Large",
	505: "HTTP Version Not Supported",
}

// conns serves the connections a listener accepts with handle, one
// request each, and ends them all on close.
type conns struct {
	ln     net.Listener
	handle func(*response, *request)
	mu     sync.Mutex
	open   map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup // the handlers running
	done   chan struct{}  // closed when accept has returned
}

func serveConns(ln net.Listener, handle func(*response, *request)) *conns {
	cs := &conns{ln: ln, handle: handle, open: map[net.Conn]struct{}{}, done: make(chan struct{})}
	go cs.accept()
	return cs
}

func (cs *conns) accept() {
	defer close(cs.done)
	var delay time.Duration
	for {
		c, err := cs.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors, say: wait a little and go on,
			// as net/http does.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		cs.mu.Lock()
		if cs.closed {
			cs.mu.Unlock()
			c.Close()
			return
		}
		cs.open[c] = struct{}{}
		cs.wg.Add(1)
		cs.mu.Unlock()
		go cs.serve(c)
	}
}

func (cs *conns) serve(c net.Conn) {
	defer func() {
		cs.mu.Lock()
		delete(cs.open, c)
		cs.mu.Unlock()
		c.Close()
		cs.wg.Done()
	}()
	w := &response{bw: bufio.NewWriter(c), header: textproto.MIMEHeader{}}
	c.SetReadDeadline(time.Now().Add(headTimeout))
	lr := &io.LimitedReader{R: c, N: headLimit}
	br := bufio.NewReader(lr)
	req, status := readRequest(br)
	if status != 0 {
		if lr.N <= 0 {
			status = 431
		}
		w.fail(status, statusText[status])
		w.bw.Flush()
		return
	}
	c.SetReadDeadline(time.Time{})
	// Whatever the client sends after its headers (a body, which no
	// answer here reads) is read and dropped until it closes its side.
	lr.N = 1 << 62 // the body is not limited, only dropped
	gone := make(chan struct{})
	req.gone = gone
	go func() {
		io.Copy(io.Discard, br)
		close(gone)
	}()
	cs.handle(w, req)
	w.flush()
}

// readRequest reads a request's line and headers; status is not 0 when
// they are not a request this server answers.
func readRequest(br *bufio.Reader) (*request, int) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return nil, 400
	}
	method, rest, ok1 := strings.Cut(line, " ")
	target, proto, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || method == "" || !strings.HasPrefix(target, "/") {
		return nil, 400
	}
	if proto != "HTTP/1.1" && proto != "HTTP/1.0" {
		return nil, 505
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, 400
	}
	path, _, _ := strings.Cut(target, "?")
	hosts := h.Values("Host")
	if len(hosts) > 1 || (len(hosts) == 0 && proto == "HTTP/1.1") {
		return nil, 400 // RFC 9112: exactly one Host in HTTP/1.1
	}
	r := &request{method: method, path: path, header: h}
	if len(hosts) == 1 {
		r.host = hosts[0]
	}
	return r, 0
}

// close stops accepting; the handlers have until wait to end by
// themselves, after which their connections are closed.
func (cs *conns) close(wait time.Duration) error {
	err := cs.ln.Close()
	cs.mu.Lock()
	cs.closed = true
	cs.mu.Unlock()
	<-cs.done
	ended := make(chan struct{})
	go func() {
		cs.wg.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(wait):
		cs.mu.Lock()
		for c := range cs.open {
			c.Close()
		}
		cs.mu.Unlock()
		<-ended
	}
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}
