package explain

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// TestFaultNotes checks the fault note for each kind of change the model
// reports: what the counts say, the disk, and where the pages went, by
// what backs the mapping that gained them. What the kernel does in each
// case is checked against a real run in tracer/annotate's
// TestFaultClaims; this is the wording, in both languages.
func TestFaultNotes(t *testing.T) {
	file := func(path string, shared bool) model.Mapping {
		return model.Mapping{Start: addr, End: addr + page, Prot: unix.PROT_READ | unix.PROT_WRITE, Shared: shared, Path: path}
	}
	anon := model.Mapping{Start: addr, End: addr + 100*page, Prot: unix.PROT_READ | unix.PROT_WRITE, Anon: true}
	shanon := model.Mapping{Start: addr, End: addr + page, Prot: unix.PROT_READ | unix.PROT_WRITE, Anon: true, Shared: true}
	devzero := model.Mapping{Start: addr, End: addr + page, Prot: unix.PROT_READ | unix.PROT_WRITE, Shared: true, Path: "/dev/zero"}
	gain := func(mp model.Mapping, cache, anon uint64) model.Gain {
		return model.Gain{Map: mp, Pages: model.Pages{Cache: cache, Anon: anon}}
	}
	tests := []struct {
		name string
		ch   model.Change
		want map[Lang][]string
		not  []string
	}{{
		name: "no fault, no note",
		ch:   model.Change{MappedIn: 3},
	}, {
		name: "minor faults need no I/O",
		ch:   model.Change{MinFlt: 4096},
		want: both([]string{"took 4096 minor page faults since its previous call, served without I/O"},
			[]string{"自上一次系统调用以来，次缺页 4096 次，无需 I/O"}),
		not: []string{"already in memory", "disk", "磁盘", "次要", "主要"},
	}, {
		name: "a major fault with the disk read unknown says no more than not in memory",
		ch:   model.Change{MajFlt: 1},
		want: both([]string{"took 1 major page fault since its previous call",
			"major: the page was not in memory and had to be brought in or allocated in the page cache"},
			[]string{"自上一次系统调用以来，主缺页 1 次", "主缺页：页不在内存中，必须调入，或在页缓存中新分配"}),
		not: []string{"read nothing", "from disk", "read_bytes"},
	}, {
		name: "a major fault with read_bytes unchanged read nothing",
		ch:   model.Change{MinFlt: 2, MajFlt: 3, ReadKnown: true},
		want: both([]string{"took 2 minor page faults and 3 major page faults since its previous call",
			"this process read nothing from disk (read_bytes unchanged)"},
			[]string{"自上一次系统调用以来，次缺页 2 次，主缺页 3 次", "本进程没有从磁盘读入任何数据（read_bytes 未变）"}),
	}, {
		name: "a major fault with read_bytes grown read the disk",
		ch:   model.Change{MajFlt: 1, ReadKnown: true, ReadBytes: 4096, ReadCalls: 1},
		want: both([]string{"this process read 4 KiB from disk (read_bytes)"}, []string{"本进程从磁盘读入了 4 KiB（read_bytes）"}),
	}, {
		name: "read_bytes compared over several calls says over how many",
		ch:   model.Change{MajFlt: 1, ReadKnown: true, ReadBytes: 8192, ReadCalls: 5},
		want: both([]string{"this process read 8 KiB from disk over its last 5 calls (read_bytes)"},
			[]string{"本进程在最近 5 次系统调用期间从磁盘读入了 8 KiB（read_bytes）"}),
	}, {
		name: "anonymous private memory gains zero-filled pages",
		ch:   model.Change{MinFlt: 100, MappedIn: 102, Lessons: true, Gains: []model.Gain{gain(anon, 0, 100)}, Rest: 2},
		want: both([]string{"anonymous memory: 100 pages mapped in, freshly zero-filled",
			"elsewhere (program, libraries, stack, heap): 2 pages mapped in"},
			[]string{"匿名内存：映射进 100 页，新分配并清零", "其他部分（程序、库、栈、堆）：映射进 2 页"}),
	}, {
		name: "after a major fault anonymous pages may come back from swap: not said zero-filled",
		ch:   model.Change{MajFlt: 1, Lessons: true, Gains: []model.Gain{gain(anon, 0, 1)}},
		want: en("anonymous memory: 1 page mapped in"),
		not:  []string{"zero-filled"},
	}, {
		name: "shared anonymous memory and /dev/zero: shared memory, zeroed at its first touch by anyone",
		ch:   model.Change{MinFlt: 2, Lessons: true, Gains: []model.Gain{gain(shanon, 1, 0), gain(devzero, 1, 0)}},
		want: both([]string{"anonymous memory: 1 page of shared memory mapped in (zero-filled at the first touch by any sharer)",
			"the /dev/zero mapping: 1 page of shared memory mapped in"},
			[]string{"匿名内存：映射进 1 页共享内存（共享它的进程第一次访问时分配并清零）", "/dev/zero 映射：映射进 1 页共享内存"}),
	}, {
		name: "a shared file mapping maps the page cache",
		ch:   model.Change{MinFlt: 1, Lessons: true, Gains: []model.Gain{gain(file("/tmp/dd.txt", true), 16, 0)}},
		want: both([]string{"dd.txt: 16 pages of the page cache mapped in"}, []string{"dd.txt：映射进页缓存中的 16 页"}),
	}, {
		name: "a private file mapping: copies on write and the page cache",
		ch:   model.Change{MinFlt: 3, Lessons: true, Gains: []model.Gain{gain(file("/tmp/fork.txt", false), 2, 1)}},
		want: both([]string{"fork.txt: 1 page copied on write (this process's own copy; the file is unchanged) and 2 pages of the page cache mapped in"},
			[]string{"fork.txt：写时复制了 1 页（本进程自己的副本，文件不变）和映射进页缓存中的 2 页"}),
	}, {
		name: "faults that gave the lesson's mappings nothing",
		ch:   model.Change{MinFlt: 5, MappedIn: 7, Lessons: true, Rest: 7},
		want: both([]string{"the mappings it made with mmap gained no page", "elsewhere (program, libraries, stack, heap): 7 pages mapped in"},
			[]string{"它用 mmap 建立的映射没有多出任何页", "其他部分（程序、库、栈、堆）：映射进 7 页"}),
	}, {
		name: "a process with no mapping of its own: its resident pages",
		ch:   model.Change{MinFlt: 5, MappedIn: 7},
		want: both([]string{"its resident pages grew by 7 pages"}, []string{"它的常驻内存增加了 7 页"}),
		not:  []string{"elsewhere", "mmap"},
	}, {
		name: "four mappings: three lines and a count",
		ch: model.Change{MinFlt: 4, Lessons: true, Gains: []model.Gain{gain(file("/a", true), 1, 0), gain(file("/b", true), 1, 0),
			gain(file("/c", true), 1, 0), gain(file("/d", true), 1, 0)}},
		want: both([]string{"a: 1 page", "c: 1 page", "1 more of the mappings it made gained pages"}, []string{"它建立的映射中另有 1 个多出了页"}),
		not:  []string{"d: 1 page"},
	}}
	for _, tc := range tests {
		for _, lang := range []Lang{EN, ZH} {
			t.Run(tc.name+"/"+lang.String(), func(t *testing.T) {
				x := New(lang, model.New())
				x.called[P] = true // "since its previous call"
				notes := x.Notes(&tracer.Event{Kind: tracer.CallEnter, Pid: P, Tid: P}, tc.ch)
				text := strings.Join(notes, " ")
				if tc.want == nil && tc.not == nil && len(notes) > 0 {
					t.Errorf("want no note, got\n%s", text)
				}
				for _, w := range tc.want[lang] {
					if !strings.Contains(text, w) {
						t.Errorf("the note lacks %q:\n%s", w, strings.Join(notes, "\n"))
					}
				}
				for _, w := range tc.not {
					if strings.Contains(text, w) {
						t.Errorf("the note says %q:\n%s", w, strings.Join(notes, "\n"))
					}
				}
				for _, l := range notes {
					if strings.ContainsAny(l, "{}") || strings.Contains(l, "\n") {
						t.Errorf("a bad line: %q", l)
					}
				}
				// Counts, the major fault and the disk, three mappings, a
				// count of the others, the rest of the process: at most 7.
				if len(notes) > 7 {
					t.Errorf("%d lines:\n%s", len(notes), strings.Join(notes, "\n"))
				}
			})
		}
	}
}

// TestFaultsSince: the first fault note of a process counts since the
// trace began, or since the fork for a child the trace saw made; later
// ones since its previous call.
func TestFaultsSince(t *testing.T) {
	m := model.New()
	x := New(EN, m)
	enter := func(pid int) string {
		return strings.Join(x.Notes(&tracer.Event{Kind: tracer.CallEnter, Pid: pid, Tid: pid}, model.Change{MinFlt: 3}), " ")
	}
	if s := enter(P); !strings.Contains(s, "since the trace began") {
		t.Errorf("first note: %s", s)
	}
	if s := enter(P); !strings.Contains(s, "since its previous call") {
		t.Errorf("second note: %s", s)
	}
	x.Notes(spawn(P, C), model.Change{})
	if s := enter(C); !strings.Contains(s, "took 3 minor page faults since the fork") {
		t.Errorf("child's first note: %s", s)
	}
}
