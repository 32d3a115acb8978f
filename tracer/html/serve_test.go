package html_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer/html"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// served starts serving an empty recorder's page on loopback.
func served(t *testing.T) (*html.Recorder, *html.Server) {
	t.Helper()
	rec := html.New(html.Options{Model: model.New(), Title: "t"})
	srv, err := html.Serve(rec, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return rec, srv
}

// raw sends req as it is on a new connection and returns all the answer.
func raw(t *testing.T, srv *html.Server, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(srv.URL(), "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	return string(b)
}

// TestServeAnswers: what the server answers to each request, from an
// http.Client and from raw bytes: the page, the routes it does not have,
// the methods it does not take, the guard, bad requests.
func TestServeAnswers(t *testing.T) {
	_, srv := served(t)
	get := func(path string) *http.Response {
		t.Helper()
		resp, err := http.Get(srv.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp, err := http.Get(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(string(body), `"live":true`) || !strings.HasSuffix(strings.TrimSpace(string(body)), "</html>") {
		t.Errorf("GET /: %s %v\n%.300s", resp.Status, resp.Header, body)
	}
	if r := get("?x=1"); r.StatusCode != 200 {
		t.Errorf("GET /?x=1: %s", r.Status)
	}
	for _, path := range []string{"nothing", "events/", "index.html"} {
		if r := get(path); r.StatusCode != 404 {
			t.Errorf("GET /%s: %s, want 404", path, r.Status)
		}
	}
	if r := get("next"); r.StatusCode != 405 || r.Header.Get("Allow") != "POST" {
		t.Errorf("GET /next: %s, Allow %q", r.Status, r.Header.Get("Allow"))
	}
	r, err := http.Post(srv.URL(), "text/plain", strings.NewReader("x"))
	if err != nil || r.StatusCode != 405 || r.Header.Get("Allow") != "GET" {
		t.Errorf("POST /: %v %v", r.Status, err)
	}
	// Not in step mode: Next is refused.
	r, err = http.Post(srv.URL()+"next", "", nil)
	if err != nil || r.StatusCode != 409 {
		t.Errorf("POST /next without --step: %v %v", r.Status, err)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(srv.URL(), "http://"), "/")
	for _, c := range []struct{ req, want string }{
		// A name other than a loopback one: a page elsewhere that rebinds it.
		{"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "HTTP/1.1 403 Forbidden\r\n"},
		{"GET / HTTP/1.1\r\nHost: localhost:1\r\n\r\n", "HTTP/1.1 200 OK\r\n"},
		{"GET / HTTP/1.1\r\nHost: [::1]:1\r\n\r\n", "HTTP/1.1 200 OK\r\n"},
		// A POST from another site's page.
		{"POST /run HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://example.com\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 403 Forbidden\r\n"},
		{"POST /run HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host + "\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 409 Conflict\r\n"},
		// Not HTTP, or not a request this server answers.
		{"GET /\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
		{"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
		{"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
		{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
		{"GET / HTTP/2.0\r\nHost: " + host + "\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n"},
		{"GET / HTTP/1.1\r\nHost: " + host + "\r\nX: " + strings.Repeat("x", 70<<10) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
		{"GET / HTTP/1.1\r\nHost: " + host + "\r\nbad header\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
	} {
		got := raw(t, srv, c.req)
		if !strings.HasPrefix(got, c.want) || !strings.Contains(got, "\r\nConnection: close\r\n") {
			t.Errorf("%.80q: got %.200q, want %q", c.req, got, c.want)
		}
	}
}

// TestServeEvents: the event stream sends the batches so far and the end;
// a page that reconnects gets what it had not had, whatever number it says.
func TestServeEvents(t *testing.T) {
	rec, srv := served(t)
	rec.Close()
	stream := func(lastID string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL()+"events", nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("GET /events: %s %v", resp.Status, resp.Header)
		}
		var ids []string
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
				ids = append(ids, id)
			}
			if sc.Text() == "event: end" {
				return strings.Join(ids, ",") + ";end"
			}
		}
		return strings.Join(ids, ",") + ";no end"
	}
	for _, c := range []struct{ last, want string }{
		{"", "1;end"},
		{"1", ";end"},
		{"7", ";end"},
		{"-5", "1;end"},
		{"x", "1;end"},
	} {
		if got := stream(c.last); got != c.want {
			t.Errorf("Last-Event-ID %q: ids;end %q, want %q", c.last, got, c.want)
		}
	}
}

// TestServeClose: Close ends a stream still waiting for records, and the
// server answers no more.
func TestServeClose(t *testing.T) {
	_, srv := served(t)
	resp, err := http.Get(srv.URL() + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	if l, err := br.ReadString('\n'); err != nil || l != "retry: 1000\n" {
		t.Fatalf("the stream starts with %q, %v", l, err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := io.ReadAll(br); err != nil && err != io.ErrUnexpectedEOF {
		t.Logf("the stream ended with %v", err)
	}
	if _, err := http.Get(srv.URL()); err == nil {
		t.Errorf("answered after Close")
	}
}
