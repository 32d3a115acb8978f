package tracer_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// TestMessages traces say.c with Config.Messages, with the seccomp filter,
// without it, and with write among the calls shown: each line it writes
// to stdout or stderr comes as one Message, whole however many writes
// made it, in its place among the calls, attributed to the process that
// wrote it; no write to fd 1 or 2 shows as a call; a write to another fd
// does when write is shown; and the program's stdout was /dev/null.
func TestMessages(t *testing.T) {
	bin := buildC(t, "say.c")
	withWrite := filter.Default()
	withWrite.Add("write")
	long := strings.Repeat("x", 9999)
	modes := []struct {
		name string
		cfg  tracer.Config
	}{
		{"seccomp", tracer.Config{Messages: true}},
		{"plain", tracer.Config{Messages: true, NoSeccomp: true}},
		{"write shown", tracer.Config{Messages: true, Filter: withWrite}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rec, tl, res := runTraced(t, m.cfg, bin)
			if res.Status() != 0 {
				t.Fatalf("exit status %d\n%s", res.Status(), tl)
			}
			// The timeline as one line per event: "pid kind what".
			var got []string
			parent := res.Pid
			child := 0
			started := false // past the loader's calls: at the program's own open
			for _, e := range rec.events {
				if !started {
					started = e.Kind == tracer.CallExit && e.Call.Name == "openat" && strings.Contains(e.Call.String(), "hostname")
					if !started {
						if e.Kind == tracer.Message {
							t.Errorf("a message before the program's first call: %q", e.Text)
						}
						continue
					}
				}
				who := "parent"
				if e.Pid != parent {
					who = "child"
				}
				switch e.Kind {
				case tracer.Message:
					text := e.Text
					if strings.HasPrefix(text, "xxx") {
						text = fmt.Sprintf("x*%d", len(text))
					}
					got = append(got, fmt.Sprintf("%s fd%d %s", who, e.FD, text))
				case tracer.CallExit:
					if e.Call.Name == "write" {
						if e.Call.Args[0] == 1 || e.Call.Args[0] == 2 {
							t.Errorf("a write to fd %d shows as a call: %s", e.Call.Args[0], e.Call)
						}
						got = append(got, who+" "+e.Call.String())
						continue
					}
					if e.Call.Name == "openat" && strings.Contains(e.Call.String(), "/dev/null") {
						continue // the write's fd
					}
					name := e.Call.Name
					if name == "clone" {
						name = "fork" // glibc's fork
					}
					got = append(got, who+" "+name)
				case tracer.CallEnter:
					if e.Call.Name == "exit_group" {
						got = append(got, who+" exit_group")
					}
				case tracer.Spawn:
					child = e.Child
					got = append(got, "spawn")
				case tracer.Exit:
					got = append(got, who+" exit")
				}
			}
			if child == 0 {
				t.Fatalf("no child:\n%s", tl)
			}
			want := []string{
				"parent openat",
				"parent fd1 first line",
				"parent fd2 stdout is /dev/null: yes",
				"parent fd1 two lines",
				"parent fd1 and a third",
			}
			if m.name == "write shown" {
				// The fd is the lowest free one, which depends on what
				// the test inherited (3 in the arm64 guest, 4 here).
				want = append(want, `parent write(FD, "not a message\n", 14) = 14`)
			}
			want = append(want, "parent close", "parent close", "spawn", "parent fork")
			// The child's line and exit may come before or after the
			// parent's fork returns and its wait4 starts: only their own
			// order is fixed, checked below.
			var gotParent, gotChild []string
			for _, g := range got {
				if strings.HasPrefix(g, "child ") {
					gotChild = append(gotChild, g)
				} else {
					gotParent = append(gotParent, writeFD.ReplaceAllString(g, "parent write(FD, "))
				}
			}
			want = append(want, "parent wait4",
				fmt.Sprintf("parent fd1 x*%d", 4096),
				fmt.Sprintf("parent fd1 x*%d", 4096),
				fmt.Sprintf("parent fd1 x*%d", len(long)-2*4096),
				"parent exit_group",
				"parent fd1 no newline",
				"parent exit")
			if strings.Join(gotParent, "\n") != strings.Join(want, "\n") {
				t.Errorf("the parent's events:\n%s\nwant:\n%s", strings.Join(gotParent, "\n"), strings.Join(want, "\n"))
			}
			wantChild := []string{"child fd1 child says", "child exit_group", "child exit"}
			if strings.Join(gotChild, "\n") != strings.Join(wantChild, "\n") {
				t.Errorf("the child's events:\n%s\nwant:\n%s", strings.Join(gotChild, "\n"), strings.Join(wantChild, "\n"))
			}
		})
	}
}

// writeFD is the fd of a shown write in TestMessages' lines.
var writeFD = regexp.MustCompile(`^parent write\(\d+, `)
