package svg

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/stable"
)

// zh is the picture's own words in Chinese, by their English text (a
// format keeps its verbs, in the same order).
var zh = map[string]string{
	"process":                               "个进程",
	"processes":                             "个进程",
	"%d %s, %d calls, %d failed, %s in all": "%d %s，%d 次调用，%d 次失败，共 %s",
	"%d %s, %d calls, %d failed":            "%d %s，%d 次调用，%d 次失败",
	"time runs left to right, stretched where calls are dense; ≈ marks an idle stretch cut short. Hover a mark for the call and its explanation.": "时间从左到右，调用密集处拉宽；≈ 表示截短的空闲时段。鼠标悬停在标记上可看调用及其解释。",
	"time runs left to right, in the order of the calls. Hover a mark for the call and its explanation.":                                          "时间从左到右，按调用的先后排列。鼠标悬停在标记上可看调用及其解释。",
	"file, MAP_SHARED":               "文件，MAP_SHARED",
	"file, MAP_PRIVATE":              "文件，MAP_PRIVATE",
	"anonymous, shared":              "匿名，共享",
	"anonymous, private":             "匿名，私有",
	"inherited by fork":              "fork 继承的",
	"failed call":                    "失败的调用",
	"signal":                         "信号",
	"fork":                           "fork",
	"exit reaped by wait":            "退出，被 wait 回收",
	"time since start":               "开始后的时间",
	"pid %d":                         "进程 %d",
	"child of %s":                    "%s 的子进程",
	"still running":                  "仍在运行",
	"%d page faults":                 "%d 次缺页",
	"exited with %d":                 "以状态 %d 退出",
	"killed by %s":                   "被 %s 信号终止",
	"killed by %s (core dumped)":     "被 %s 信号终止（已生成核心转储）",
	"detached: runs on untraced":     "已脱离：继续运行，不再跟踪",
	"%s wrote: %s":                   "%s 写道：%s",
	"%s %s at %s":                    "%s %s，时间 %s",
	"%s %s":                          "%s %s",
	"in":                             "位于",
	"in no mapping":                  "不在任何映射中",
	"stopped by":                     "被停止：",
	"inherited across fork from %s":  "fork 时从 %s 继承",
	"inherited: ":                    "继承：",
	"shared":                         "共享",
	"private":                        "私有",
	"file shared":                    "文件共享",
	"file private":                   "文件私有",
	"anonymous shared":               "匿名共享",
	"anonymous private":              "匿名私有",
	"shared /dev/zero":               "共享 /dev/zero",
	"no file":                        "无文件",
	"from %s":                        "从 %s",
	" to %s":                         " 到 %s",
	"made by: %s":                    "由此建立：%s",
	"cut at %s":                      "在 %s 被截去一部分",
	"ended by: %s":                   "由此结束：%s",
	"(thread %s)":                    "（线程 %s）",
	"at %s":                          "时间 %s",
	"took %s":                        "耗时 %s",
	"(never returned)":               "（没有返回）",
	"repeated %d more times over %s": "又重复了 %d 次，历时 %s",
	"repeated more times":            "又重复了多次",
	"address %s":                     "地址 %s",
	"%s forked %s at %s":             "%s 在 %s fork 出 %s",
	"%s forked %s":                   "%s fork 出 %s",
	"%s %s; its parent's wait returned at %s: %s": "%s %s；父进程的 wait 在 %s 返回：%s",
	"%s %s; its parent's wait returned: %s":       "%s %s；父进程的 wait 返回：%s",
}

// zhOrder: the formats whose Chinese takes the verbs in another order,
// and that order (indices into the English arguments).
var zhOrder = map[string][]int{
	"%s forked %s at %s": {0, 2, 1},
}

// tr returns en in the picture's language.
func (r *Renderer) tr(en string) string {
	if r.opt.Lang == explain.ZH {
		if s, ok := zh[en]; ok {
			return s
		}
	}
	return en
}

// trf formats the format en, translated, with args.
func (r *Renderer) trf(en string, args ...any) string {
	if r.opt.Lang == explain.ZH {
		if order, ok := zhOrder[en]; ok {
			re := make([]any, len(order))
			for i, k := range order {
				re[i] = args[k]
			}
			args = re
		}
	}
	return fmt.Sprintf(r.tr(en), args...)
}

// kind translates a mapping's kind or a name describe returned.
func (r *Renderer) kind(k string) string { return r.tr(k) }

// pidName names a process: "pid 4711", or its label when stable.
func (r *Renderer) pidName(pid int) string {
	if r.opt.Stable {
		return "P" + strconv.Itoa(r.lab.pid(pid))
	}
	return r.trf("pid %d", pid)
}

// pidNum is a process's number, or its label when stable.
func (r *Renderer) pidNum(pid int) string {
	if r.opt.Stable {
		return "P" + strconv.Itoa(r.lab.pid(pid))
	}
	return strconv.Itoa(pid)
}

// addrRange is a mapping's range as the picture names it: hex, or when
// stable, as the timeline's maps table does, the start's label and the
// size ("A2-A2+24KiB"). The end's own label would say whether another
// mapping starts there, which the layout of a forked child decides anew
// each run.
func (r *Renderer) addrRange(start, end uint64) string {
	if r.opt.Stable {
		a := r.lab.text(fmt.Sprintf("%#x", start), false)
		switch size := end - start; {
		case end < start:
			return a
		case size%1024 != 0:
			return a + "-" + a + "+" + strconv.FormatUint(size, 10) + "B"
		default:
			return a + "-" + a + "+" + strconv.FormatUint(size/1024, 10) + "KiB"
		}
	}
	return strconv.FormatUint(start, 16) + "-" + strconv.FormatUint(end, 16)
}

// laneID is the number a lane is known by in the document: the pid, or
// its label's number when stable.
func (r *Renderer) laneID(pid int) int {
	if r.opt.Stable {
		return r.lab.pid(pid)
	}
	return pid
}

// when is a time for a person, or "" when stable (times differ run to run).
func (r *Renderer) when(d string) string {
	if r.opt.Stable {
		return ""
	}
	return d
}

// text is text from the trace, valid UTF-8, labelled when stable: a
// call's line (its numbers pids only in the calls that take them), a
// signal's, a note.
func (r *Renderer) text(s string) string {
	s = clean(s)
	if r.opt.Stable {
		// A child's CPU time in a SIGCHLD is the clock's.
		s = cpuTimeRE.Get().ReplaceAllString(s, "$1=?")
	}
	return r.lab.text(s, !callLineRE.Get().MatchString(s) || pidCallRE.Get().MatchString(s))
}

var (
	cpuTimeRE  = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`\b(si_[us]time)=\d+(?: /\* [0-9.]+ s \*/)?`) })
	callLineRE = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`^\w+\(`) })
	pidCallRE  = lazy.Of(func() *regexp.Regexp {
		return regexp.MustCompile(`^(fork|vfork|clone|clone3|wait4|waitid|kill|tgkill|tkill|getpid|getppid|gettid|set_tid_address)\(`)
	})
)

func (r *Renderer) texts(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, r.text(s))
	}
	return out
}

// labels is --stable for the picture, as for the text timeline
// (tracer/stable): processes P1, P2, … in the order they appear,
// addresses A1, A2, … in the order the picture's texts show them, the
// scenario's directory $DIR.
type labels struct {
	stable bool
	dir    string
	pids   map[int]int
	addrs  map[string]string
}

var (
	addrRE   = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`0x[0-9a-f]{6,}`) })
	numberRE = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`\b\d{2,}\b`) })
	quotedRE = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`"(?:[^"\\]|\\.)*"`) })
)

func (l *labels) see(e *tracer.Event) {
	if !l.stable {
		return
	}
	l.pid(e.Pid)
	l.pid(e.Tid)
	if e.Kind == tracer.Spawn {
		l.pid(e.Child)
	}
}

func (l *labels) pid(p int) int {
	if n, ok := l.pids[p]; ok {
		return n
	}
	n := len(l.pids) + 1
	l.pids[p] = n
	return n
}

// text labels s when stable; pids: its numbers may be process ids.
func (l *labels) text(s string, pids bool) string {
	if !l.stable {
		return s
	}
	if l.dir != "" {
		s = strings.ReplaceAll(s, l.dir, "$DIR")
	}
	s = addrRE.Get().ReplaceAllStringFunc(s, func(a string) string {
		if lb, ok := l.addrs[a]; ok {
			return lb
		}
		lb := "A" + strconv.Itoa(len(l.addrs)+1)
		l.addrs[a] = lb
		return lb
	})
	pidsIn := func(s string) string {
		var out strings.Builder
		last := 0
		for _, m := range numberRE.Get().FindAllStringIndex(s, -1) {
			n, _ := strconv.Atoi(s[m[0]:m[1]])
			k, ok := l.pids[n]
			// A number that counts something ("289 pages") is not a
			// process, even where one has that id (pids are small in a
			// fresh VM), as in the text timeline.
			if !ok || stable.Counts(s[m[1]:]) {
				continue
			}
			out.WriteString(s[last:m[0]])
			out.WriteString("P" + strconv.Itoa(k))
			last = m[1]
		}
		if last == 0 {
			return s
		}
		out.WriteString(s[last:])
		return out.String()
	}
	if pids {
		return pidsIn(s)
	}
	// A pid in a string, as the timeline labels it: ps's -q list, a
	// /proc/PID path.
	return quotedRE.Get().ReplaceAllStringFunc(s, pidsIn)
}
