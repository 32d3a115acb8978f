package scenarios_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
)

// pitfallCase is one pitfall: the root's calls, and the line the plan
// reports after checking what the body recorded.
type pitfallCase struct {
	name  string
	calls []string
	out   string
}

func pitfallCases() []pitfallCase {
	page := strconv.Itoa(os.Getpagesize())
	pageHex := "0x" + strconv.FormatInt(int64(os.Getpagesize()), 16)
	return []pitfallCase{{
		name: "zero-length",
		calls: []string{
			`openat(AT_FDCWD, "DIR/data.txt", O_RDWR) = 3`,
			`mmap(NULL, 0, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = -1 EINVAL (Invalid argument)`,
			`close(3) = 0`,
		},
		out: `mmap(NULL, 0, ...): EINVAL`,
	}, {
		name: "munmap-offset",
		calls: []string{
			`openat(AT_FDCWD, "DIR/data.txt", O_RDWR) = 3`,
			`mmap(NULL, ` + strconv.Itoa(2*os.Getpagesize()) + `, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
			`munmap(ADDR+1, 4) = -1 EINVAL (Invalid argument)`,
			`munmap(ADDR+PAGE, ` + page + `) = 0`,
			`munmap(ADDR, ` + page + `) = 0`,
			`close(3) = 0`,
		},
		out: `munmap(p+1, 4): EINVAL; munmap(p+` + page + `, ` + page + `): success; munmap(p, ` + page + `): success`,
	}, {
		name: "shared-readonly",
		calls: []string{
			`openat(AT_FDCWD, "DIR/data.txt", O_RDONLY) = 3`,
			`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = -1 EACCES (Permission denied)`,
			`close(3) = 0`,
		},
		out: `mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of an O_RDONLY fd: EACCES`,
	}, {
		name: "private-readonly",
		calls: []string{
			`openat(AT_FDCWD, "DIR/data.txt", O_RDONLY) = 3`,
			`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = ADDR`,
			`munmap(ADDR, 4) = 0`,
			`close(3) = 0`,
		},
		out: `mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE) of an O_RDONLY fd: success; read back "abc"; data.txt unchanged: true`,
	}, {
		name: "offset",
		calls: []string{
			`openat(AT_FDCWD, "DIR/data.txt", O_RDWR) = 3`,
			`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0x3e8) = -1 EINVAL (Invalid argument)`,
			`mmap(NULL, 6, PROT_READ|PROT_WRITE, MAP_SHARED, 3, ` + pageHex + `) = ADDR`,
			`munmap(ADDR, 6) = 0`,
			`close(3) = 0`,
		},
		out: `mmap at offset 1000: EINVAL; at offset ` + page + `: success, the mapping begins with "page 1"`,
	}, {
		name: "past-eof",
		calls: []string{
			`openat(AT_FDCWD, "DIR/empty.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
			`fork() = P1`,
			`wait4(P1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGBUS}], 0, NULL) = P1`,
			`munmap(ADDR, 4) = 0`,
			`close(3) = 0`,
		},
		out: `mmap of an empty file: success; the child's store: killed by SIGBUS`,
	}, {
		name: "after-close",
		calls: []string{
			`openat(AT_FDCWD, "DIR/after-close.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			`ftruncate(3, 4) = 0`,
			`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
			`close(3) = 0`,
			`munmap(ADDR, 4) = 0`,
		},
		out: `close(fd) after mmap: success; read back "abc"; after-close.txt holds "abc\x00"`,
	}, {
		name: "write-only",
		calls: []string{
			`openat(AT_FDCWD, "DIR/write-only.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			`ftruncate(3, 4) = 0`,
			`mmap(NULL, 4, PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
			`munmap(ADDR, 4) = 0`,
			`close(3) = 0`,
		},
		out: `mmap(PROT_WRITE, MAP_SHARED): success; read back "abc"; write-only.txt holds "abc\x00"`,
	}}
}

// rootEnd is how the root of every pitfalls run ends.
var rootEnd = []string{`exit_group(0) = ?`, `+++ exited with 0 +++`}

// sigbusChild is past-eof's child: its store is its last act.
var sigbusChild = []string{`--- SIGBUS ---`, `+++ killed by SIGBUS +++`}

func TestPitfalls(t *testing.T) {
	for _, tc := range pitfallCases() {
		t.Run(tc.name, func(t *testing.T) {
			o := run(t, "pitfalls", tc.name)
			wantOK(t, o)
			want := [][]string{append(tc.calls, rootEnd...)}
			children := 0
			if tc.name == "past-eof" {
				want = append(want, sigbusChild)
				children = 1
				wantKilledBySIGBUS(t, o)
			}
			wantTimelines(t, o, want...)
			wantAllGone(t, o, children)
			wantFilesInDir(t, o)
			wantOut(t, o, tc.out)
		})
	}
}

// wantKilledBySIGBUS checks the trace shows the first child killed by
// SIGBUS, and the root exiting 0 all the same.
func wantKilledBySIGBUS(t *testing.T, o outcome) {
	t.Helper()
	ps := runProcs(o)
	if len(ps) < 2 {
		t.Fatalf("no child in the run")
	}
	var killed, rootExited bool
	for _, e := range o.rec.events {
		if e.Kind != tracer.Exit || !e.Leader {
			continue
		}
		switch e.Pid {
		case ps[1]:
			killed = e.KilledBy == syscall.SIGBUS
		case ps[0]:
			rootExited = e.KilledBy == 0 && e.ExitCode == 0
		}
	}
	if !killed || !rootExited {
		t.Errorf("child killed by SIGBUS: %v, root exited 0: %v\n%s", killed, rootExited, o.timeline)
	}
}

// TestPitfallsAll runs every pitfall, in the catalogue's order, in one
// process (and past-eof's child).
func TestPitfallsAll(t *testing.T) {
	o := run(t, "pitfalls")
	wantOK(t, o)
	var root, out []string
	for _, tc := range pitfallCases() {
		root = append(root, tc.calls...)
		out = append(out, tc.out)
	}
	wantTimelines(t, o, append(root, rootEnd...), sigbusChild)
	wantAllGone(t, o, 1)
	wantFilesInDir(t, o)
	wantOut(t, o, out...)
	// One report line each, in the order they ran.
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(o.out), "\n") {
		names = append(names, strings.Fields(l)[0])
	}
	if got := strings.Join(names, " "); got != "zero-length munmap-offset shared-readonly private-readonly offset past-eof after-close write-only" {
		t.Errorf("report lines for %s", got)
	}
}

// TestPitfallsSelect runs named pitfalls in the order given, each once.
func TestPitfallsSelect(t *testing.T) {
	cases := map[string]pitfallCase{}
	for _, tc := range pitfallCases() {
		cases[tc.name] = tc
	}
	o := run(t, "pitfalls", "offset", "zero-length", "offset")
	wantOK(t, o)
	root := append(append([]string{}, cases["offset"].calls...), cases["zero-length"].calls...)
	wantTimelines(t, o, append(root, rootEnd...))
	wantAllGone(t, o, 0)
	if n := strings.Count(o.out, "\n"); n != 2 {
		t.Errorf("%d report lines, want 2:\n%s", n, o.out)
	}
}

func TestPitfallsUnknown(t *testing.T) {
	err := planError(t, "pitfalls", "offset", "bogus")
	wantUsageError(t, err, `no pitfall "bogus"`)
	for _, tc := range pitfallCases() {
		if !strings.Contains(err.Error(), tc.name) {
			t.Errorf("the usage error does not list %s: %v", tc.name, err)
		}
	}
}
