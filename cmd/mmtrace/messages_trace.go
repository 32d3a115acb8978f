package main

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"regexp/syntax"
	"strings"
	"syscall"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// The messages of a trace's options and of its start and end: the -e and
// -P errors (said by tracer/filter as a filter.Error), strace's flags
// refused, run's own flags, a refused ptrace, a failed output, --serve.
// Their English texts are the ones mmtrace always printed:
// TestTraceMessagesEnglish holds each to the error it stands for.
const (
	msgFilterEmptyExpr      msgID = "filter-empty-expr"
	msgFilter32             msgID = "filter-32"
	msgFilterDesignator     msgID = "filter-designator"
	msgFilterNotNumber      msgID = "filter-not-number"
	msgFilterNoNumber       msgID = "filter-no-number"
	msgFilterBadRegexp      msgID = "filter-bad-regexp"
	msgFilterRegexpNone     msgID = "filter-regexp-none"
	msgFilterUnknownClass   msgID = "filter-unknown-class"
	msgFilterUnknownCall    msgID = "filter-unknown-call"
	msgFilterSuggest        msgID = "filter-suggest"
	msgFilterUnsupported    msgID = "filter-unsupported"
	msgFilterEmptySet       msgID = "filter-empty-set"
	msgFilterEmptyItem      msgID = "filter-empty-item"
	msgFilterNoSignalNumber msgID = "filter-no-signal-number"
	msgFilterNotSignal      msgID = "filter-not-signal"
	msgFilterNotStatus      msgID = "filter-not-status"
	msgFilterNoStatus       msgID = "filter-no-status"
	msgFilterNotQuiet       msgID = "filter-not-quiet"
	msgFilterEmptyPath      msgID = "filter-empty-path"
	msgFilterRelative       msgID = "filter-relative"
	msgFilterBadPattern     msgID = "filter-bad-pattern"
	msgExprError            msgID = "expr-error"
	msgXlatStyle            msgID = "xlat-style"
	msgDecodeFDs            msgID = "decode-fds"
	msgPerCall              msgID = "per-call"
	msgQualifier            msgID = "qualifier"
	msgResolved             msgID = "resolved"
	msgZAndZ                msgID = "z-and-z"
	msgSortKey              msgID = "sort-key"
	msgFFNot                msgID = "ff-not"
	msgFFStable             msgID = "ff-stable"
	msgColumns              msgID = "columns"
	msgRunDetachOn          msgID = "run-detach-on"
	msgRunFollow            msgID = "run-follow"
	msgRunUserNone          msgID = "run-user-none"
	msgRunEnvNone           msgID = "run-env-none"
	msgRunEnvName           msgID = "run-env-name"
	msgRunNoUser            msgID = "run-no-user"
	msgRunUserRoot          msgID = "run-user-root"
	msgNotPermitted         msgID = "not-permitted"
	msgChildGone            msgID = "child-gone"
	msgWriteFailed          msgID = "write-failed"
	msgCloseFailed          msgID = "close-failed"
	msgFileFailed           msgID = "file-failed"
	msgRenameFailed         msgID = "rename-failed"
	msgAsItWas              msgID = "as-it-was"
	msgReaderGone           msgID = "reader-gone"
	msgOutputStopped        msgID = "output-stopped"
	msgServeListen          msgID = "serve-listen"
	msgServeAddr            msgID = "serve-addr"
	msgGopsFailed           msgID = "gops-failed"
)

// withTrace adds to m the messages of tracing and of strace's refused
// flags, for catalog.
func withTrace(m map[msgID]message) map[msgID]message {
	for id, msg := range traceCatalog.Get() {
		m[id] = msg
	}
	for flag, msg := range straceRefused.Get() {
		m[msgID("strace-"+flag)] = msg
	}
	return m
}

// traceCatalog joins catalog at start.
var traceCatalog = lazy.Of(func() map[msgID]message {
	return map[msgID]message{
		msgFilterEmptyExpr:      {"empty trace expression %q: name calls (trace=mmap,munmap), a class (trace=%%memory), all or none", "跟踪表达式 %q 是空的：请写出调用名（trace=mmap,munmap）、一类调用（trace=%%memory）、trace=all 或 trace=none"},
		msgFilter32:             {"invalid system call %q: mmtrace traces only the 64-bit personality", "无效的系统调用 %q：mmtrace 只跟踪 64 位程序的系统调用（@64）"},
		msgFilterDesignator:     {"incorrect personality designator %q in %q", "%[2]q 中的位数标记 %[1]q 不对：mmtrace 只接受 @64"},
		msgFilterNotNumber:      {"invalid system call %q: not a number", "无效的系统调用 %q：不是数字"},
		msgFilterNoNumber:       {"invalid system call %q: no architecture has a call with that number", "无效的系统调用 %q：没有哪种架构有这个编号的调用"},
		msgFilterBadRegexp:      {"invalid system call %q: %v", "无效的系统调用 %q：%v"},
		msgFilterRegexpNone:     {"invalid system call %q: the regular expression matches no system call", "无效的系统调用 %q：这个正则表达式不匹配任何系统调用"},
		msgFilterUnknownClass:   {"invalid system call class %q%s", "无效的系统调用类别 %q%s"},
		msgFilterUnknownCall:    {"invalid system call %q%s", "无效的系统调用 %q%s"},
		msgFilterSuggest:        {" (did you mean %q?)", "（是不是想用 %q？）"},
		msgFilterUnsupported:    {"-e %s=: strace's %s qualifier is not supported by mmtrace", "-e %s=：mmtrace 不支持 strace 的 %s= 限定符"},
		msgFilterEmptySet:       {"empty set", "集合是空的"},
		msgFilterEmptyItem:      {"%q: an empty item", "%q：有一项是空的"},
		msgFilterNoSignalNumber: {"signal=%s: no signal %s (1 to %d)", "signal=%s：没有编号为 %s 的信号（只有 1 到 %d）"},
		msgFilterNotSignal:      {"signal=%s: %q is not a signal", "signal=%s：%q 不是信号"},
		msgFilterNotStatus:      {"status=%s: %q is not a status (want %s)", "status=%s：%q 不是调用的一种结果（应为 %s）"},
		msgFilterNoStatus:       {"status=%s: selects no call", "status=%s：不会选中任何调用"},
		msgFilterNotQuiet:       {"quiet=%s: %q is not a message strace can silence (want attach, exit, path-resolution, personality or thread-execve)", "quiet=%s：%q 不是 strace 能关掉的消息（应为 attach、exit、path-resolution、personality 或 thread-execve）"},
		msgFilterEmptyPath:      {"-P: an empty path", "-P：路径是空的"},
		msgFilterRelative:       {"-P %q: a pattern must be an absolute path", "-P %q：模式必须是绝对路径"},
		msgFilterBadPattern:     {"-P %q: %v", "-P %q：%v"},
		msgExprError:            {"-e: %s", "-e：%s"},
		msgXlatStyle:            {"-X %q: want %s", "-X %q：应为 %s 之一"},
		msgDecodeFDs:            {"decode-fds=%s: mmtrace decodes path (-y) and all (-yy, paths and sockets)", "\"decode-fds=%s\"：mmtrace 能解码的是 path（-y）和 all（-yy，路径和套接字）"},
		msgPerCall:              {"%s=: strace's per-call %s is not supported by mmtrace; -v and -X apply to every call", "%s=：mmtrace 不支持 strace 按调用设定的 %s=；-v 和 -X 作用于所有调用"},
		msgQualifier:            {"%s=: strace's %s qualifier is not supported by mmtrace", "%s=：mmtrace 不支持 strace 的 %s= 限定符"},
		msgResolved:             {"mmtrace: -P: Requested path %q resolved into %q", "mmtrace: -P：请求的路径 %q 解析为 %q"},
		msgZAndZ:                {"-z and -Z: give one (-e status=successful,failed prints both)", "-z 和 -Z：只给一个（-e status=successful,failed 两种都打印）"},
		msgSortKey:              {"-S %q: want %s", "-S %q：应为 %s"},
		msgFFNot:                {"-ff writes a timeline per thread: not with --json, -c, -C or --step", "-ff 为每个线程写一个时间线：不能与 --json、-c、-C 或 --step 同用"},
		msgFFStable:             {"-ff: not with --stable, whose labels name the threads in one timeline", "-ff：不能与 --stable 同用，--stable 的标签是在同一个时间线中给各线程起的名字"},
		msgColumns:              {"strace's -a COLUMN (alignment) is not supported; mmtrace's -a traces every call, and its lines are not aligned", "不支持 strace 的 -a COLUMN（对齐的列）；mmtrace 的 -a 跟踪所有调用，它的行不对齐"},
		msgRunDetachOn:          {"run: -b %q: only -b execve is supported, as in strace", "run: -b %q：和 strace 一样，只支持 -b execve"},
		msgRunFollow:            {"run: --follow %q: give all or threads", "run: --follow %q：应为 all 或 threads"},
		msgRunUserNone:          {"run: -u sets the user of a program mmtrace starts; %s starts none", "run: -u 设定 mmtrace 所启动程序的用户；%s 不启动程序"},
		msgRunEnvNone:           {"run: -E sets the environment of a program mmtrace starts; %s starts none", "run: -E 设定 mmtrace 所启动程序的环境变量；%s 不启动程序"},
		msgRunEnvName:           {"run: -E %q: no variable name", "run: -E %q：没有变量名"},
		msgRunNoUser:            {"run: -u: no user %q", "run: -u：没有用户 %q"},
		msgRunUserRoot:          {"run: -u %s: only root can run a program as another user (mmtrace runs as uid %d)", "run: -u %s：只有 root 才能以另一个用户的身份运行程序（mmtrace 以 uid %d 运行）"},
		msgNotPermitted:         {"the kernel refused ptrace: %s (%v)", "内核拒绝了 ptrace：%s（%v）"},
		msgChildGone:            {"child %d ended before it could be traced (wait status %#x)", "子进程 %d 在被跟踪之前就结束了（等待状态 %#x）"},
		msgWriteFailed:          {"write %s: %v", "写入 %s 失败：%v"},
		msgCloseFailed:          {"close %s: %v", "关闭 %s 失败：%v"},
		msgFileFailed:           {"%s %s: %v", "%s %s 失败：%v"},
		msgRenameFailed:         {"rename %s %s: %v", "把 %s 改名为 %s 失败：%v"},
		msgAsItWas:              {"%s: %v (the file is as it was)", "%s：%v（文件保持原样）"},
		msgReaderGone:           {"%v (its reader is gone)", "%v：读它的一端已经关闭"},
		msgOutputStopped:        {"%s: %v", "%s：%v"},
		msgServeListen:          {"--serve: listening on %s: %v", "--serve：无法在 %q 上监听：%v"},
		// English says net's error as it is (msgServeListen).
		msgServeAddr:  {"--serve: listening on %s: the address is HOST:PORT, such as 127.0.0.1:8080", "--serve：无法在 %q 上监听：地址应写成 HOST:PORT，如 127.0.0.1:8080"},
		msgGopsFailed: {"gops agent: %v", "gops 代理：%v"},
	}
})

// filterIDs are the messages of filter's kinds of error.
var filterIDs = map[filter.Kind]msgID{
	filter.EmptyExpr:         msgFilterEmptyExpr,
	filter.Personality32:     msgFilter32,
	filter.BadPersonality:    msgFilterDesignator,
	filter.NotNumber:         msgFilterNotNumber,
	filter.NoSuchNumber:      msgFilterNoNumber,
	filter.BadRegexp:         msgFilterBadRegexp,
	filter.RegexpMatchesNone: msgFilterRegexpNone,
	filter.UnknownClass:      msgFilterUnknownClass,
	filter.UnknownCall:       msgFilterUnknownCall,
	filter.Unsupported:       msgFilterUnsupported,
	filter.EmptySet:          msgFilterEmptySet,
	filter.EmptyItem:         msgFilterEmptyItem,
	filter.NoSignalNumber:    msgFilterNoSignalNumber,
	filter.NotSignal:         msgFilterNotSignal,
	filter.NotStatus:         msgFilterNotStatus,
	filter.NoStatus:          msgFilterNoStatus,
	filter.NotQuiet:          msgFilterNotQuiet,
	filter.EmptyPath:         msgFilterEmptyPath,
	filter.RelativePattern:   msgFilterRelative,
	filter.BadPattern:        msgFilterBadPattern,
}

// filterError says an -e or -P error in l: filter's own in English, word
// for word; the words it quotes, with the message's text, in Chinese.
func filterError(l explain.Lang, err error) string {
	var fe *filter.Error
	if l != explain.ZH || !errors.As(err, &fe) {
		return err.Error()
	}
	return filterText(l, fe)
}

// filterText is fe's message in l.
func filterText(l explain.Lang, fe *filter.Error) string {
	id, ok := filterIDs[fe.Kind]
	if !ok {
		return fe.Error()
	}
	suggest := ""
	if fe.Suggest != "" {
		suggest = msg(l, msgFilterSuggest, fe.Suggest)
	}
	statuses := ", "
	if l == explain.ZH {
		statuses = "、"
	}
	switch fe.Kind {
	case filter.EmptyExpr, filter.EmptyItem, filter.NoStatus:
		return msg(l, id, fe.Expr)
	case filter.BadPersonality:
		return msg(l, id, fe.Item, fe.Word)
	case filter.BadRegexp:
		return msg(l, id, fe.Word, regexpCause(l, fe.Err))
	case filter.UnknownClass, filter.UnknownCall:
		return msg(l, id, fe.Word, suggest)
	case filter.Unsupported:
		return msg(l, id, fe.Word, fe.Item)
	case filter.EmptySet, filter.EmptyPath:
		return msg(l, id)
	case filter.NoSignalNumber:
		return msg(l, id, fe.Expr, fe.Word, fe.Max)
	case filter.NotSignal, filter.NotQuiet:
		return msg(l, id, fe.Expr, fe.Word)
	case filter.NotStatus:
		return msg(l, id, fe.Expr, fe.Word, strings.Join(filter.Statuses, statuses))
	case filter.BadPattern:
		cause := fe.Err.Error()
		if l == explain.ZH {
			cause = "模式的写法不对" // path.ErrBadPattern, its only error
		}
		return msg(l, id, fe.Word, cause)
	}
	return msg(l, id, fe.Word)
}

// regexpCause says why a /regex did not compile: regexp/syntax's error
// as it is in English; in Chinese, its code in words and the part of the
// expression it names.
func regexpCause(l explain.Lang, err error) string {
	var se *syntax.Error
	if l != explain.ZH || !errors.As(err, &se) {
		return err.Error()
	}
	code, ok := regexpCodesZH[se.Code]
	if !ok {
		return err.Error()
	}
	return "正则表达式有错（" + code + "）：`" + se.Expr + "`"
}

// regexpCodesZH are regexp/syntax's error codes in Chinese.
var regexpCodesZH = map[syntax.ErrorCode]string{
	syntax.ErrInternalError:         "内部错误",
	syntax.ErrInvalidCharClass:      "无效的字符类",
	syntax.ErrInvalidCharRange:      "无效的字符范围",
	syntax.ErrInvalidEscape:         "无效的转义序列",
	syntax.ErrInvalidNamedCapture:   "无效的命名分组",
	syntax.ErrInvalidPerlOp:         "无效或不支持的 (? 语法",
	syntax.ErrInvalidRepeatOp:       "无效的嵌套重复操作符",
	syntax.ErrInvalidRepeatSize:     "无效的重复次数",
	syntax.ErrInvalidUTF8:           "无效的 UTF-8",
	syntax.ErrMissingBracket:        "缺少右方括号 ]",
	syntax.ErrMissingParen:          "缺少右括号 )",
	syntax.ErrMissingRepeatArgument: "重复操作符前面缺少内容",
	syntax.ErrTrailingBackslash:     "表达式末尾多了一个反斜杠",
	syntax.ErrUnexpectedParen:       "多余的右括号 )",
	syntax.ErrNestingDepth:          "表达式嵌套太深",
	syntax.ErrLarge:                 "表达式太大",
}

// saidError is an error said in the user's language: its message, and
// what it was, for errors.Is and exit codes.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }

// startError says, in l, why a trace could not start: the kernel refused
// ptrace (tracer.NotPermittedError), the child ended before it could be
// traced (tracer.ChildGoneError). Any other error is returned as it is.
func startError(l explain.Lang, err error) error {
	var np *tracer.NotPermittedError
	var gone *tracer.ChildGoneError
	switch {
	case l != explain.ZH:
		return err
	case errors.As(err, &gone):
		return &saidError{msg(l, msgChildGone, gone.Pid, uint32(gone.Status)), err}
	case !errors.As(err, &np):
		return err
	}
	reason := np.ReasonZH
	if reason == "" {
		reason = np.Reason
	}
	return &saidError{msg(l, msgNotPermitted, reason, ioErrorText(l, np.Err)), err}
}

// ioErrorText says a failed call on a file in l: in English as Go says it
// ("write out.txt: no space left on device"); in Chinese with the errno's
// name and glibc's text for it.
func ioErrorText(l explain.Lang, err error) string {
	if l != explain.ZH {
		return err.Error()
	}
	var pe *fs.PathError
	var le *os.LinkError
	var errno syscall.Errno
	switch {
	case errors.As(err, &pe):
		cause := errnoText(l, pe.Err)
		switch pe.Op {
		case "write":
			return msg(l, msgWriteFailed, pe.Path, cause)
		case "close":
			return msg(l, msgCloseFailed, pe.Path, cause)
		}
		return msg(l, msgFileFailed, opZH(pe.Op), pe.Path, cause)
	case errors.As(err, &le) && le.Op == "rename":
		return msg(l, msgRenameFailed, le.Old, le.New, errnoText(l, le.Err))
	case errors.As(err, &errno):
		return errnoText(l, err)
	}
	return err.Error()
}

// errnoText is an errno in l as perror says it in l's locale; anything
// else as it is.
func errnoText(l explain.Lang, err error) string {
	return scenarioError(l, err).Error()
}

// serveError says why --serve could not listen on addr, in l.
func serveError(l explain.Lang, addr string, err error) error {
	if l != explain.ZH {
		return usageErrorf("--serve: %v", err)
	}
	var errno syscall.Errno
	var ae *net.AddrError
	var dns *net.DNSError
	switch {
	case errors.As(err, &errno):
		return usageIn(l, msgServeListen, addr, errnoText(l, errno))
	case errors.As(err, &ae), errors.As(err, &dns):
		return usageIn(l, msgServeAddr, addr)
	}
	return usageIn(l, msgServeListen, addr, err)
}

// exprError says an -e error in l: "-e: " and what filterError says.
func exprError(l explain.Lang, err error) error {
	return usageIn(l, msgExprError, filterError(l, err))
}

// colon is ": " in English, "：" in Chinese.
func colon(l explain.Lang) string {
	if l == explain.ZH {
		return "："
	}
	return ": "
}

// opZH names a file operation Go's errors name ("mkdir", "open") as the
// call it is, which a Chinese text may name: mkdir(), open().
func opZH(op string) string {
	if strings.ContainsAny(op, " ()") {
		return op
	}
	return op + "()"
}
