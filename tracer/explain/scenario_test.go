package explain_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// annotate is the sink the lead's pipeline will be: it applies each event
// to the model, then asks an explainer per language for its notes, and
// keeps a timeline of calls and notes for each language.
type annotate struct {
	m        *model.Model
	x        [2]*explain.Explainer
	timeline [2]strings.Builder
	t        *testing.T
}

func newAnnotate(t *testing.T) *annotate {
	m := model.New()
	return &annotate{m: m, x: [2]*explain.Explainer{explain.New(explain.EN, m), explain.New(explain.ZH, m)}, t: t}
}

func (a *annotate) Event(e *tracer.Event) {
	ch := a.m.Apply(e)
	var head string
	switch e.Kind {
	case tracer.CallExit:
		head = fmt.Sprintf("%d %s", e.Pid, e.Call)
	case tracer.Signal:
		head = fmt.Sprintf("%d --- %v %s ---", e.Pid, e.Signal, e.Siginfo.String())
	case tracer.Exit:
		head = fmt.Sprintf("%d +++ exited %d / killed by %v +++", e.Pid, e.ExitCode, e.KilledBy)
	case tracer.CallEnter:
		head = fmt.Sprintf("%d %s(...", e.Pid, e.Call.Name)
	default:
		head = fmt.Sprintf("%d event %d", e.Pid, e.Kind)
	}
	for i, x := range a.x {
		notes := x.Notes(e, ch)
		if e.Kind == tracer.CallEnter && len(notes) == 0 {
			continue
		}
		tl := &a.timeline[i]
		tl.WriteString(head + "\n")
		for _, n := range notes {
			tl.WriteString("    " + n + "\n")
			if strings.ContainsAny(n, "{}") {
				a.t.Errorf("a placeholder is left under %s: %s", head, n)
			}
			if strings.ContainsAny(n, "\n\r") {
				a.t.Errorf("a note of more than one line under %s: %q", head, n)
			}
		}
		if len(notes) > 3 {
			a.t.Errorf("%d lines under %s:\n%s", len(notes), head, strings.Join(notes, "\n"))
		}
	}
}

func (a *annotate) Flush() error { return nil }

// runScenario traces scenario name with the annotating sink.
func runScenario(t *testing.T, name string, args ...string) *annotate {
	t.Helper()
	plan, _ := testutil.PlanScenario(t, name, args...)
	a := newAnnotate(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cfg tracer.Config
	if len(plan.Trace) > 0 {
		cfg.Filter = filter.Default()
		for _, name := range plan.Trace {
			cfg.Filter.Add(name)
		}
	}
	res, err := tracer.New(cfg, a).Run(ctx, plan.Spec())
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skipf("ptrace not permitted: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if plan.After != nil {
		if err := plan.After(res.Status()); err != nil {
			t.Errorf("the scenario's outcome: %v", err)
		}
	}
	return a
}

func TestScenarios(t *testing.T) {
	tests := []struct {
		scenario string
		args     []string
		en, zh   []string
	}{{
		scenario: "write",
		en: []string{
			"fd 3 now refers to dd.txt, opened read-write",
			"O_TRUNC emptied it",
			"dd.txt is now 4 bytes long: a mapping of it can touch 1 page",
			"1 page of dd.txt at 0x", "from offset 0 (4 bytes rounded up to pages)",
			"MAP_SHARED: stores reach dd.txt itself and every process mapping it",
			"its stores are in dd.txt already, up to its end (4 bytes): munmap loses nothing",
			"fd 3 (dd.txt) closed",
		},
		zh: []string{
			"文件描述符 3 现在指向 dd.txt（以读写方式打开）",
			"把 dd.txt 从偏移 0 起的 1 页映射到 0x", "（4 字节向上取整为整页）",
			"MAP_SHARED：写入直接进入 dd.txt 本身",
			"关闭了文件描述符 3（dd.txt）",
		},
	}, {
		scenario: "fork-private",
		en: []string{
			"MAP_PRIVATE: reads see fork.txt; a store gets a private copy of the page (copy-on-write)",
			"inherits fds 3 (fork.txt); program, libraries, stack: copy-on-write",
			"copy-on-write (MAP_PRIVATE): fork.txt (1 page): each process that stores gets its own copy",
			"which exited with status 0",
			"any private copies made by stores are dropped: fork.txt never saw them",
		},
		zh: []string{
			"MAP_PRIVATE：读到的是 fork.txt 的内容",
			"继承了文件描述符 3（fork.txt）；程序、库、栈按写时复制共享",
			"写时复制（MAP_PRIVATE）：fork.txt（1 页）：每个写入的进程都会得到自己的一份副本",
			"它以状态 0 退出",
		},
	}, {
		scenario: "fork-shared",
		en: []string{
			": fork.txt (1 page): stores are seen by all",
			"exited with status 0; its stores to fork.txt are in the file",
		},
		zh: []string{"共享：fork.txt（1 页）：写入彼此可见"},
	}, {
		scenario: "pitfalls",
		en: []string{
			// zero-length
			"length 0: a mapping needs at least one byte (any other length is rounded up to whole pages)",
			// munmap-offset
			"1 is not page-aligned: it is 1 byte into the page at 0x",
			"munmap takes any page-aligned address, not only mmap's",
			// shared-readonly
			"fd 3 was opened read-only, yet MAP_SHARED with PROT_WRITE asks that stores reach data.txt",
			"a mapping may not allow more than the open: open O_RDWR, drop PROT_WRITE, or use MAP_PRIVATE",
			// private-readonly: the notes' myth
			"works although fd 3 is read-only: stores go to private copies, never to data.txt; no bus error",
			// offset
			"offset 1000 is not a multiple of the page size",
			"1000 lies in the page at offset 0: map from 0 and add 1000 to the address",
			// past-eof
			"empty.txt is 0 bytes long: no page of the file backs this mapping, touching it raises SIGBUS",
			"0 bytes into the mapping of empty.txt, which is 0 bytes long",
			"no page of the file backs it: O_TRUNC emptied the file, and no ftruncate gave it a size",
			"killed by SIGBUS: it touched 0x",
			", killed by SIGBUS: it touched 0x",
			// after-close
			"fd 3 (after-close.txt) closed; the mapping at 0x",
		},
		zh: []string{
			"长度为 0：映射至少要 1 字节",
			"没有按页对齐：它位于 0x",
			"fd 3 是只读打开的，而 MAP_SHARED 加 PROT_WRITE 要求把写入落到 data.txt 上",
			"尽管 fd 3 是只读的，照样成功：写入只进私有副本，不会写回 data.txt；也不会有总线错误",
			"偏移 1000 不是页大小",
			"empty.txt 长度为 0：这个映射没有任何文件页对应，一访问就会 SIGBUS",
			"位于 empty.txt 映射内偏移 0 字节处，而该文件只有 0 字节",
			"没有文件页对应这个地址：O_TRUNC 把文件清空了",
			"被 SIGBUS 杀死：它访问的 0x",
			"处的映射照常可用：映射自己持有对文件的",
		},
	}, {
		scenario: "devzero",
		en: []string{
			"/dev/zero has no size and reads as zeros",
			"/dev/zero is a character device, not a regular file: it has no size to set",
			"the notes' program exits on this error; mapping /dev/zero needs no size at all",
			"MAP_SHARED of /dev/zero is shared anonymous memory",
			": the /dev/zero mapping (1 page): stores are seen by all",
		},
		zh: []string{
			"/dev/zero 是字符设备，不是普通文件，没有可以设置的大小",
			"以 MAP_SHARED 映射 /dev/zero 就是共享匿名内存",
		},
	}, {
		scenario: "anon",
		en: []string{
			"of zeroed memory at 0x", "no file (fd -1)",
			"MAP_SHARED|MAP_ANONYMOUS: children forked from now on share these pages",
			": anonymous memory (1 page): stores are seen by all",
		},
		zh: []string{"共享：匿名内存（1 页）"},
	}, {
		scenario: "copy",
		args:     []string{"-n", "3"},
		en: []string{
			"inherits fds 3 (src.bin) and 4 (dst.bin); program, libraries, stack: copy-on-write",
			": dst.bin (6 pages) and src.bin (6 pages): stores are seen by all",
			"page faults since the fork",
			"MAP_SHARED, PROT_READ: it reads src.bin's own pages",
			"exited with status 0; its stores to dst.bin are in the file",
			"which exited with status 0",
		},
		zh: []string{"自 fork 以来，", "子进程", "继承了文件描述符 3（src.bin）和 4（dst.bin）"},
	}}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			if _, ok := scenarios.Lookup(tc.scenario); !ok {
				t.Skipf("no scenario %s yet", tc.scenario)
			}
			args := tc.args
			if tc.scenario == "copy" {
				// Three parts of whole pages, the last with a remainder.
				dir := t.TempDir()
				src := filepath.Join(dir, "src.bin")
				if err := os.WriteFile(src, bytes.Repeat([]byte("0123456789abcdef"), 5*4096/16+6), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append([]string{src, filepath.Join(dir, "dst.bin")}, args...)
			}
			a := runScenario(t, tc.scenario, args...)
			for i, want := range [][]string{tc.en, tc.zh} {
				tl := a.timeline[i].String()
				for _, w := range want {
					if !strings.Contains(tl, w) {
						t.Errorf("the %s timeline lacks %q:\n%s", []string{"English", "Chinese"}[i], w, tl)
					}
				}
			}
			if testing.Verbose() {
				t.Logf("\n%s\n%s", a.timeline[0].String(), a.timeline[1].String())
			}
		})
	}
}
