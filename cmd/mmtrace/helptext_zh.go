package main

import (
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer/explain"
)

// The help texts in Chinese. The English texts stay where they are used
// (usage.go, each command's file, each flag's registration); this file
// holds their Chinese, as data. Terms are the glossary's
// (internal/glossary): 映射, 页, 缺页, 文件描述符. A placeholder keeps
// its English name in capitals (FILE, N, WHEN), as the synopsis shows it;
// a flag, a call, a file and a value the user types (auto, en) stay as
// they are typed.

// flagZH is the Chinese description of every flag, keyed by its name, or
// by "COMMAND/name" where a command (or a scenario) gives the name a
// meaning of its own: --verbatim is three things. The placeholder is
// quoted with backquotes, as in the English (`FILE`); the help printer
// takes them out. TestFlagsInChinese fails for a flag that has none here.
var flagZH = lazy.Of(func() map[string]string {
	return map[string]string{
		// Every command that traces (traceFlags.register).
		"output":              "把时间线写到 `FILE`，而不是 stderr",
		"expr":                "strace 的过滤表达式 `EXPR`：trace=mmap,munmap、trace=%memory、trace=!close（可以重复给出）",
		"all":                 "跟踪所有系统调用，而不只是 mmap 这一课的",
		"string-limit":        "每个字符串最多打印 `N` 字节",
		"absolute-timestamps": "显示当天的时刻，而不是从开始算起的时间（-tt：精确到微秒，-ttt：自 1970 年起的秒数）",
		"relative-timestamps": "显示距上一行的时间，而不是从开始算起的时间",
		"syscall-times":       "显示每个调用花费的时间，如 <0.000123>",
		"color":               "给错误、信号和说明上色：`WHEN` 取 auto（输出到终端且没有设置 NO_COLOR 时上色）、always 或 never",
		"no-fold":             "逐个打印重复的调用，不把它们合并成一行",
		"lang":                "解释所用的语言 `LANG`：en 或 zh（默认按区域设置，依次取自 LC_ALL、LC_MESSAGES 或 LANG）",
		"no-explain":          "只打印 strace 式的行：调用下面没有解释、缺页和表格",
		"faults":              "显示每个进程自上一个调用以来的缺页，以及这些页落在哪里（场景默认显示）",
		"no-faults":           "不显示缺页",
		"maps":                "每个改变了映射的调用之后，打印进程的映射",
		"stable":              "讲义模式：用标签（P1、A1）代替进程号和地址，不显示时间，每次运行结果都一样",
		"step": "单步模式：每个调用之前暂停，让全班猜它的结果：输入一个数、一个错误名（如 EINVAL）、addr、pid 或 ?（不返回）再按回车，" +
			"或者直接回车；输入 r 重看上一个调用的说明，n 继续运行到另一个进程的调用，c 一直运行到结束；" +
			"最后给出猜对的次数（stdin 必须是终端）",
		"json":         "以 JSONL 格式输出时间线，每个事件一个 JSON 对象（格式说明：docs/json-schema.md）",
		"summary-only": "只输出汇总：每个调用的次数、错误和时间；每个进程的结束方式、缺页和映射的字节数",
		"summary":      "先输出时间线，再输出汇总",
		"perfetto":     "另外写一个 Chrome 跟踪事件格式的文件 `FILE`，供 ui.perfetto.dev 或 chrome://tracing 打开",
		"svg":          "另外把进程和它们的映射画成图，写到 `FILE`（SVG）",
		"html":         "另外把课堂视图写到 `FILE`：一个自包含的网页，有时间线和每一步的地址空间",
		"serve":        "在本机回环地址上实时提供课堂视图（用 --serve=`ADDR` 换一个地址；会打印出 URL）；与 --step 同用时，网页上的“下一步”按钮运行下一个调用",
		"gops":         "在回环地址上启动 gops 代理，用来检查 mmtrace 自身（gops stack PID）",
		"pin-cpu":      "让跟踪器和程序在同一个 CPU 上运行：`WHEN` 取 auto（只要测得程序至多用到一个 CPU）、spawn（直到程序第一次创建进程或线程）、always 或 never",
		"seccomp":      "用 seccomp 过滤器只在被跟踪的调用处停下（默认打开；--seccomp=false 在每个调用处都停下，strace 默认就是这样）",

		// run's own.
		"run/attach":         "附加到正在运行的进程 `PID`，而不是启动 CMD（同 strace -p；可以重复给出，或给一个列表：-p 12,34）",
		"follow-forks":       "为兼容 strace 而接受：mmtrace 总是跟踪子进程和线程；-ff 配合 -o PREFIX 时，每个线程的行写入 PREFIX.TID",
		"output-separately":  "配合 -o PREFIX，每个线程的行写入各自的文件 PREFIX.TID（strace -ff）",
		"failed-only":        "只打印失败的调用（-e status=failed）",
		"successful-only":    "只打印成功的调用（-e status=successful）",
		"syscall-number":     "在调用名前打印系统调用号：[ 257] openat(...)",
		"strings-in-hex":     "含有可打印 ASCII 以外字节的字符串，整串以十六进制打印（-xx：所有字符串）",
		"decode-fds":         "在每个文件描述符后打印它指向什么：3</tmp/f.dat>、4<pipe:[1234]>（-yy：还有套接字的协议和地址）",
		"summary-sort-by":    "按 `KEY` 给 -c 的表排序：time、min-time、max-time、avg-time、calls、errors、name 或 nothing",
		"summary-wall-clock": "为兼容 strace 而接受：-c 的时间总是挂钟时间，从调用进入到返回",
		"no-abbrev":          "完整打印 execve 的参数和环境变量，以及 strace 默认用 ... 省略的结构体（stat、statx、rusage、uname、termios、目录项）",
		"const-print-style":  "常量的打印方式 `STYLE`：abbrev（名字：O_RDWR|O_CREAT）、raw（数值：0x42）或 verbose（0x42 /* O_RDWR|O_CREAT */）",
		"user":               "以用户 `USER`（用户名或 uid）及其组运行 CMD，同 strace -u；mmtrace 必须以 root 运行",
		"detach-on":          "进程调用 `SYSCALL` 时脱离它（只支持 execve，同 strace -b）：程序启动之后，执行 exec 的进程继续运行，不再被跟踪",
		"follow":             "跟踪什么：`WHAT` 取 all（线程和新进程，同 strace -f）或 threads（程序的线程；它启动的进程不被跟踪）",
		"trace-path":         "只显示涉及 `PATH` 的调用（按名字，或按打开它的文件描述符），同 strace -P；比 strace 多的是模式：名字里的 * ? [...]，** 表示整棵目录树（-P '/tmp/**'）。可以重复给出；单独使用时检查每个调用",
		"env":                "在 CMD 的环境中设置 `VAR=VAL`，或用 -E VAR 删除 VAR，同 strace -E（可以重复给出）",
		// explain's (and list's, help's) --lang: what is written is the
		// explanation or the list itself.
		"explain/lang": "输出所用的语言 `LANG`：en 或 zh（默认依次取自 LC_ALL、LC_MESSAGES 或 LANG）",

		// Every scenario.
		"keep": "保留场景的临时文件",
		// A scenario's own (scenarios/*.go, Flags). The numbers are the
		// English's: TestFlagsInChinese checks that they agree.
		"anon/verbatim":    "按笔记原样映射长度：4 字节，而消息有 20 字节",
		"copy/processes":   "fork 出 `N` 个进程，每个复制一部分",
		"devzero/verbatim": "照笔记原样运行程序：它在 ftruncate 失败时就退出，根本不会映射 /dev/zero",
		"ipc/count":        "写者存入 `N` 条记录（1 到 1000）",
		"ipc/interval":     "写者每隔 `DURATION` 存入一条记录（1ms 到 10s）",
		"waitpid/scale":    "把子进程的睡眠时间（1 秒、2 秒、5 秒）乘以 `FACTOR`（0 到 10）",
		"write/verbatim":   "照笔记原样运行程序：PROT_WRITE|PROT_WRITE，这是 PROT_READ|PROT_WRITE 的笔误",
	}
})

// flagTextZH returns the Chinese description of flag f of command cmd,
// placeholder unquoted, or false when the table has none.
func flagTextZH(cmd string, f *pflag.Flag) (string, bool) {
	text, ok := flagZH.Get()[cmd+"/"+f.Name]
	if !ok {
		text, ok = flagZH.Get()[f.Name]
	}
	return strings.ReplaceAll(text, "`", ""), ok
}

// helpZH is the Chinese of each help text, by the name of the English
// one it translates.
var helpZH = lazy.Of(func() map[string]string {
	return map[string]string{
		"main": `mmtrace 让 mmap 看得见：它在跟踪之下运行 mmap 练习或你的程序，打印出
open、ftruncate、mmap、munmap、fork 和 wait 等调用的时间线，逐个加以解释。

用法：
  mmtrace list                          列出场景，每个一行
  mmtrace SCENARIO [ARGS] [FLAGS]       运行 mmap 笔记中的一个场景
  mmtrace run [FLAGS] [--] CMD [ARGS]   跟踪一个程序；以它的退出状态退出
  mmtrace attach PID [FLAGS]            跟踪正在运行的进程；按 Ctrl-C 脱离
  mmtrace explain [SYSCALL|TOPIC]       离线解释一个调用或一个主题
  mmtrace help [TOPIC]                  本说明；TOPIC：scenarios 或一个命令
  mmtrace version                       打印版本号

示例：
  mmtrace copy                          复制生成的 64 MiB 文件，5 个子进程
  mmtrace copy big.bin out.bin -n 5     在你自己的文件上做笔记中的练习
  mmtrace pitfalls past-eof --lang zh   为什么越过文件末尾的写入会触发 SIGBUS
  mmtrace fork-private --stable --maps  讲义：每次运行都一样，附上映射
  mmtrace run -- ./a.out dd.txt         跟踪你的程序（gcc -o a.out mmap.c）
  mmtrace run -e trace=%memory -T -- ls 像 strace 一样：内存相关调用及其耗时
  mmtrace attach 4242                   观察正在运行的 ipc 写者；Ctrl-C 结束

各个选项见 'mmtrace help run' 或 'mmtrace SCENARIO --help'。
`,
		"run": "用法：mmtrace run [FLAGS] [--] CMD [ARGS...]\n      mmtrace run -p PID [FLAGS]\n\n" +
			"跟踪 CMD 和它启动的进程；以 CMD 的退出状态退出。\n",
		"attach": "用法：mmtrace attach PID... [FLAGS]\n\n" +
			"跟踪一个正在运行的进程、它的线程和它启动的进程，直到它结束或按下 Ctrl-C；然后脱离，让它继续运行。" +
			"可以给出几个 PID（或一个列表，12,34），一起跟踪。\n",
		"explain": "用法：mmtrace explain [SYSCALL|TOPIC|%CLASS] [--lang en|zh]\n\n" +
			"解释一个调用（它的参数、标志和常见错误）或本课的一个主题，不跟踪任何东西；列出一类调用（%memory）。不带参数时，列出所有能解释的内容。\n",
		"list": "用法：mmtrace list [--lang en|zh]\n\n" +
			"列出场景，每个附一行它所讲的内容。'mmtrace help scenarios' 完整讲述每一课；" +
			"'mmtrace SCENARIO --help' 给出一个场景的参数和选项。--lang 选择语言" +
			"（默认按区域设置，依次取自 LC_ALL、LC_MESSAGES 或 LANG）。",
		"version": "用法：mmtrace version\n\n打印 mmtrace 的版本号。\n",
		"help": "用法：mmtrace help [TOPIC] [--lang en|zh]\n\n" +
			"不带 TOPIC 时，说明 mmtrace 做什么，有哪些命令。TOPIC 可以是 scenarios（每个场景的课）、filter（-e trace= 的写法和各类调用）、" +
			"一个命令（run、attach、explain、list、version）或一个场景的名字（它的参数和选项）。",
	}
})

// headingZH are the words that head a part of a help text.
var headingZH = map[string]string{"Flags:": "选项：", "Usage: ": "用法："}

// heading returns the heading en in l.
func heading(l explain.Lang, en string) string {
	if zh, ok := headingZH[en]; ok && l == explain.ZH {
		return zh
	}
	return en
}

// helpIn returns the help text named name in l: en itself in English, its
// Chinese from helpZH under zh, laid out for the terminal (en when helpZH
// has none, which TestHelpInChinese catches).
func helpIn(l explain.Lang, name, en string) string {
	if l == explain.ZH {
		if zh, ok := helpZH.Get()[name]; ok {
			return refill(zh, "", helpWidth)
		}
	}
	return en
}
