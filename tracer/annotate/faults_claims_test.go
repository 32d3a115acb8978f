package annotate_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/annotate"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// facts is what testdata/faults.c measured from inside: the faults its
// case took (getrusage), the bytes it read from disk (/proc/self/io), the
// pages of its mapping in its page tables and how many of those are
// anonymous (/proc/self/pagemap), whether its page had left the page
// cache before (mincore) and whether the file kept its byte.
type facts map[string]int64

// TestFaultClaims runs each kind of page fault in a C program under the
// tracer with faults shown, and checks both what the kernel did, as the
// program measured it, and the note mmtrace printed for those faults,
// in both languages. Each row is a claim the note makes.
func TestFaultClaims(t *testing.T) {
	prog := testutil.BuildC(t, "testdata/faults.c", "-Wall")
	tests := []struct {
		name, kase string
		kernel     facts // what the program must have measured
		skip       func(facts) string
		want       map[explain.Lang][]string
		not        map[explain.Lang][]*regexp.Regexp
	}{{
		// A minor fault is not a page "already in memory": 100 stores
		// into fresh anonymous memory are 100 minor faults, each
		// getting a new zero-filled page.
		name: "stores into fresh anonymous memory are minor: zero-filled pages", kase: "anon100",
		kernel: facts{"minflt": 100, "majflt": 0, "present": 100, "anon": 100},
		want: map[explain.Lang][]string{
			explain.EN: {"minor page faults since its previous call, served without I/O", "anonymous memory: 100 pages mapped in, freshly zero-filled"},
			explain.ZH: {"次缺页", "无需 I/O", "匿名内存：映射进 100 页，新分配并清零"},
		},
		not: map[explain.Lang][]*regexp.Regexp{
			explain.EN: {regexp.MustCompile(`major|already in memory|disk`)},
			explain.ZH: {regexp.MustCompile(`主缺页|磁盘`)},
		},
	}, {
		// A major fault is not a disk read: the page of a new file is
		// allocated in the page cache, reading nothing.
		name: "a store into a just-created file is major and reads nothing", kase: "newfile",
		kernel: facts{"minflt": 0, "majflt": 1, "read_bytes": 0, "present": 1, "anon": 0},
		want: map[explain.Lang][]string{
			explain.EN: {"1 major page fault since its previous call", "major: the page was not in memory and had to be brought in or allocated in the page cache", "this process read nothing from disk (read_bytes unchanged)", "new.txt: 1 page of the page cache mapped in"},
			explain.ZH: {"主缺页 1 次", "本进程没有从磁盘读入任何数据（read_bytes 未变）", "new.txt：映射进页缓存中的 1 页"},
		},
		not: map[explain.Lang][]*regexp.Regexp{
			explain.EN: {regexp.MustCompile(`read \d+.* from disk|read in from disk`)},
			explain.ZH: {regexp.MustCompile(`从磁盘读入 \d`)},
		},
	}, {
		// A major fault that did read: the page was dropped from the
		// page cache, and read_bytes grew by it.
		name: "a load from an evicted page is major and read from disk", kase: "evicted",
		kernel: facts{"majflt": 1, "read_bytes": 4096, "present": 1, "anon": 0},
		skip: func(f facts) string {
			if f["evicted"] != 1 {
				return "POSIX_FADV_DONTNEED left the page in the page cache on this file system"
			}
			return ""
		},
		want: map[explain.Lang][]string{
			explain.EN: {"1 major page fault since its previous call", "this process read 4 KiB from disk", "(read_bytes)", "old.txt: 1 page of the page cache mapped in"},
			explain.ZH: {"主缺页 1 次", "主缺页：页不在内存中，必须调入，或在页缓存中新分配", "从磁盘读入了 4 KiB（read_bytes）", "old.txt：映射进页缓存中的 1 页"},
		},
		not: map[explain.Lang][]*regexp.Regexp{
			explain.EN: {regexp.MustCompile(`read nothing`)},
			explain.ZH: {regexp.MustCompile(`没有从磁盘`)},
		},
	}, {
		// A store into a MAP_PRIVATE file page is a minor fault that
		// copies the page: the copy is anonymous, the file keeps its byte.
		name: "a store into a MAP_PRIVATE file page copies it", kase: "private",
		kernel: facts{"minflt": 1, "majflt": 0, "present": 1, "anon": 1, "unchanged": 1},
		want: map[explain.Lang][]string{
			explain.EN: {"served without I/O", "priv.txt: 1 page copied on write (this process's own copy; the file is unchanged)"},
			explain.ZH: {"无需 I/O", "priv.txt：写时复制了 1 页（本进程自己的副本，文件不变）"},
		},
		not: map[explain.Lang][]*regexp.Regexp{
			explain.EN: {regexp.MustCompile(`major|of the page cache`)},
			explain.ZH: {regexp.MustCompile(`主缺页|页缓存`)},
		},
	}, {
		// Loads from a file in the page cache are minor, and one fault
		// can map many pages (fault-around): the note counts both.
		name: "loads from cached file pages are minor: the page cache, more pages than faults", kase: "cached16",
		kernel: facts{"majflt": 0, "read_bytes": 0, "present": 16, "anon": 0},
		want: map[explain.Lang][]string{
			explain.EN: {"served without I/O", "cached.txt: 16 pages of the page cache mapped in"},
			explain.ZH: {"无需 I/O", "cached.txt：映射进页缓存中的 16 页"},
		},
		not: map[explain.Lang][]*regexp.Regexp{
			explain.EN: {regexp.MustCompile(`major|disk`)},
			explain.ZH: {regexp.MustCompile(`主缺页|磁盘`)},
		},
	}, {
		// After a fork, a store into a private page the parent had
		// touched is a minor fault that gives the child a copy (a new
		// frame, where the frame number shows). The page was mapped
		// before and after, so no page is gained: the note must not
		// call it a new zero-filled page.
		name: "a store after a fork into an inherited private page copies it", kase: "forkcow",
		kernel: facts{"minflt": 1, "majflt": 0, "present": 1, "anon": 1},
		want: map[explain.Lang][]string{
			explain.EN: {"served without I/O", "the mappings it made with mmap gained no page"},
			explain.ZH: {"无需 I/O", "它用 mmap 建立的映射没有多出任何页"},
		},
		not: map[explain.Lang][]*regexp.Regexp{
			explain.EN: {regexp.MustCompile(`major|zero-filled|anonymous memory: 1 page`)},
			explain.ZH: {regexp.MustCompile(`主缺页|清零|匿名内存：映射进`)},
		},
	}}
	for _, tc := range tests {
		for _, lang := range []explain.Lang{explain.EN, explain.ZH} {
			t.Run(tc.kase+"/"+lang.String(), func(t *testing.T) {
				dir := t.TempDir()
				factsPath := filepath.Join(dir, "facts")
				out := traceProgram(t, annotate.Options{Faults: true, FaultsEverywhere: true, Lang: lang}, prog, dir, tc.kase, factsPath)
				got := readFaultFacts(t, factsPath)
				if tc.skip != nil {
					if why := tc.skip(got); why != "" {
						t.Skip(why)
					}
				}
				for k, v := range tc.kernel {
					if got[k] != v {
						t.Errorf("kernel: %s = %d, want %d (all: %v)", k, got[k], v, got)
					}
				}
				if got["moved"] == 0 {
					t.Errorf("kernel: the store left the page in its frame: no copy was made (%v)", got)
				}
				if tc.name == "" {
					t.Fatal("a row without its claim")
				}
				notes := faultNotesUnder(out, func(pid int, line string) bool { return strings.Contains(line, "munmap(") })
				if notes == nil {
					t.Fatalf("no munmap line in the timeline:\n%s", out)
				}
				text := strings.Join(notes, " ")
				for _, w := range tc.want[lang] {
					if !strings.Contains(squeeze(text), squeeze(w)) {
						t.Errorf("the note lacks %q:\n%s", w, text)
					}
				}
				for _, re := range tc.not[lang] {
					if re.MatchString(text) {
						t.Errorf("the note says %q:\n%s", re.FindString(text), text)
					}
				}
				// The note's counts are the process's, over a window from
				// the mmap to the munmap: the case's faults and at most a
				// few more, never fewer; its major faults are the case's.
				minor, major := noteCounts(text, lang)
				if minor < got["minflt"] || major != got["majflt"] {
					t.Errorf("the note counts %d minor and %d major faults; the program measured %d and %d:\n%s",
						minor, major, got["minflt"], got["majflt"], text)
				}
			})
		}
	}
}

// TestFaultClaimsScenarios checks the notes of two scenarios' processes,
// whose counts include the faults of the Go program each is a copy of
// (every fork faults its code and stack in again): the note must give the
// lesson's mapping its one page and the rest to the rest of the process.
//   - fork-shared: the child stores 20 bytes into fork.txt and exits: a
//     child that showed "7 page faults, 81 pages mapped in";
//   - anon: after the child stored into the shared anonymous page, the
//     parent reads it: the page is found in memory, holding the child's
//     bytes (the scenario checks them), a minor fault.
func TestFaultClaimsScenarios(t *testing.T) {
	tests := []struct {
		scenario string
		// at picks the call whose entry the probe reads and under which
		// the note is; vma, the smaps entry of the lesson's mapping.
		at    func(p *exitProbe, e *tracer.Event) bool
		vma   string
		under func(p *exitProbe) func(pid int, line string) bool
		line  map[explain.Lang]string
		not   *regexp.Regexp
	}{{
		scenario: "fork-shared",
		at: func(p *exitProbe, e *tracer.Event) bool {
			return e.Call.Name == "exit_group" && e.Pid != p.root
		},
		vma: "/fork.txt",
		under: func(p *exitProbe) func(int, string) bool {
			return func(pid int, line string) bool {
				return pid == p.pid && strings.Contains(line, "+++ exited with 0 +++")
			}
		},
		line: map[explain.Lang]string{explain.EN: "fork.txt: 1 page of the page cache mapped in", explain.ZH: "fork.txt：映射进页缓存中的 1 页"},
	}, {
		scenario: "anon",
		at: func(p *exitProbe, e *tracer.Event) bool {
			return e.Call.Name == "munmap" && e.Pid == p.root
		},
		vma: "/dev/zero (deleted)",
		under: func(p *exitProbe) func(int, string) bool {
			return func(pid int, line string) bool { return pid == p.pid && strings.Contains(line, "munmap(") }
		},
		line: map[explain.Lang]string{
			explain.EN: "anonymous memory: 1 page of shared memory mapped in",
			explain.ZH: "匿名内存：映射进 1 页共享内存",
		},
		not: regexp.MustCompile(`major|主缺页|disk|磁盘`),
	}}
	for _, tc := range tests {
		for _, lang := range []explain.Lang{explain.EN, explain.ZH} {
			t.Run(tc.scenario+"/"+lang.String(), func(t *testing.T) {
				probe := &exitProbe{file: tc.vma, at: tc.at}
				var buf bytes.Buffer
				tx := text.New(&buf)
				testutil.TraceScenario(t, nil, tc.scenario, nil, probe, annotate.New(annotate.Options{Faults: true, Lang: lang}), tx)
				tx.Close()
				out := buf.String()
				if probe.pid == 0 {
					t.Fatalf("the probed call was not seen:\n%s", out)
				}
				// What the kernel did, read at the same stop from smaps (the
				// model reads pagemap).
				if probe.rssKB != 4 {
					t.Errorf("kernel: the mapping's Rss is %d kB, want 4 (one page)", probe.rssKB)
				}
				if tc.scenario == "fork-shared" && probe.faults < 2 {
					t.Errorf("kernel: the process took %d faults; the test expects the program's own besides the lesson's", probe.faults)
				}
				notes := faultNotesUnder(out, tc.under(probe))
				text := strings.Join(notes, " ")
				rest := map[explain.Lang]*regexp.Regexp{
					explain.EN: regexp.MustCompile(`elsewhere \(program, libraries, stack, heap\): \d+ pages mapped in`),
					explain.ZH: regexp.MustCompile(`其他部分（程序、库、栈、堆）：映射进 \d+ 页`),
				}[lang]
				if !strings.Contains(squeeze(text), squeeze(tc.line[lang])) {
					t.Errorf("the note lacks %q:\n%s", tc.line[lang], text)
				}
				if !rest.MatchString(text) {
					t.Errorf("the note does not give the rest of the pages to the rest of the process:\n%s", text)
				}
				if tc.not != nil && tc.not.MatchString(text) {
					t.Errorf("the note says %q:\n%s", tc.not.FindString(text), text)
				}
				// No line gives the lesson's mapping more than its page.
				name := strings.SplitN(tc.line[lang], ":", 2)[0]
				name = strings.SplitN(name, "：", 2)[0]
				for _, l := range notes {
					if strings.HasPrefix(l, name) && !strings.HasPrefix(squeeze(tc.line[lang]), squeeze(l)) && !strings.Contains(squeeze(l), squeeze(tc.line[lang])) {
						t.Errorf("a line gives %s more than its page: %q", name, l)
					}
				}
				// The counts are the process's, which the kernel gives for
				// a child since its fork.
				if minor, major := noteCounts(text, lang); tc.scenario == "fork-shared" && minor+major != probe.faults {
					t.Errorf("the note counts %d faults, the kernel %d:\n%s", minor+major, probe.faults, text)
				}
			})
		}
	}
}

// TestFaultsLessonOnly: by default a scenario shows only the faults that
// gave its mappings pages; FaultsEverywhere (--faults) shows the others
// too, saying that the mappings gained nothing.
func TestFaultsLessonOnly(t *testing.T) {
	none := regexp.MustCompile(`gained no page`)
	for _, everywhere := range []bool{false, true} {
		out := timeline(t, annotate.Options{Faults: true, FaultsEverywhere: everywhere}, "fork-shared")
		heads := strings.Count(out, "> took ")
		gains := strings.Count(out, "> fork.txt: ")
		switch {
		case !everywhere && (heads != gains || none.MatchString(out)):
			t.Errorf("lesson's faults only: %d fault notes, %d with fork.txt's pages:\n%s", heads, gains, out)
		case everywhere && !none.MatchString(out):
			t.Errorf("every fault: no note of faults elsewhere:\n%s", out)
		}
	}
}

// exitProbe reads, at the entry of the first call at accepts, the
// process's fault count (/proc/PID/stat) and the Rss of its mapping
// whose smaps entry ends with file, independently of the model.
type exitProbe struct {
	file   string
	at     func(p *exitProbe, e *tracer.Event) bool
	root   int
	pid    int
	faults int64
	rssKB  int64
}

func (p *exitProbe) Event(e *tracer.Event) {
	if p.root == 0 {
		p.root = e.Pid
	}
	if e.Kind != tracer.CallEnter || p.pid != 0 || !p.at(p, e) {
		return
	}
	p.pid = e.Pid
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", e.Pid)); err == nil {
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		min, _ := strconv.ParseInt(f[7], 10, 64)
		maj, _ := strconv.ParseInt(f[9], 10, 64)
		p.faults = min + maj
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", e.Pid))
	if err != nil {
		return
	}
	in := false
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-"):
			in = strings.HasSuffix(l, p.file)
		case in && len(f) == 3 && f[0] == "Rss:":
			p.rssKB, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
}

func (p *exitProbe) Flush() error { return nil }

// traceProgram runs prog with args under the tracer (the default calls)
// and the annotator, and returns the timeline.
func traceProgram(t *testing.T, opt annotate.Options, prog string, args ...string) string {
	t.Helper()
	spec := &rawchild.Spec{}
	if err := spec.SetExec(prog, append([]string{prog}, args...), os.Environ()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tx := text.New(&out)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{}, annotate.New(opt), tx).Run(ctx, spec)
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	tx.Close()
	if res.Status() != 0 {
		t.Fatalf("%s %v exited with %d:\n%s", prog, args, res.Status(), out.String())
	}
	return out.String()
}

func readFaultFacts(t *testing.T, path string) facts {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := facts{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		k, v, _ := strings.Cut(l, " ")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("facts line %q", l)
		}
		f[k] = n
	}
	return f
}

// notesUnder returns the notes under the last timeline line that match
// accepts, with their "> " marks taken off; nil if no line matches.
func faultNotesUnder(timeline string, match func(pid int, line string) bool) []string {
	var notes []string
	found := false
	sc := bufio.NewScanner(strings.NewReader(timeline))
	for sc.Scan() {
		line := sc.Text()
		if note, ok := strings.CutPrefix(strings.TrimSpace(line), "> "); ok {
			if found {
				notes = append(notes, note)
			}
			continue
		}
		pid, _ := strconv.Atoi(strings.Fields(line + " x")[0])
		if match(pid, line) {
			found, notes = true, []string{}
		} else if found && notes != nil {
			found = false
		}
	}
	return notes
}

// squeeze drops the spaces, where a long note was wrapped.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

var (
	countsEN = regexp.MustCompile(`took (?:(\d+) minor page faults?)?(?: and )?(?:(\d+) major page faults?)?`)
	minorZH  = regexp.MustCompile(`次缺页 (\d+) 次`)
	majorZH  = regexp.MustCompile(`主缺页 (\d+) 次`)
)

// noteCounts reads the minor and major fault counts a note gives.
func noteCounts(note string, lang explain.Lang) (minor, major int64) {
	num := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	if lang == explain.ZH {
		if m := minorZH.FindStringSubmatch(note); m != nil {
			minor = num(m[1])
		}
		if m := majorZH.FindStringSubmatch(note); m != nil {
			major = num(m[1])
		}
		return minor, major
	}
	if m := countsEN.FindStringSubmatch(note); m != nil {
		return num(m[1]), num(m[2])
	}
	return 0, 0
}
