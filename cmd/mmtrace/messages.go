package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

// msgID names a message of mmtrace's own: a usage error, a refusal, a
// line on stderr. Its text in each language is in catalog.
type msgID string

// message is one message's format in English and in Chinese. Both take
// the same arguments; a Chinese format that needs them in another order
// says so with %[n]v. The names a message quotes (a flag, a file, an
// errno, a command) stay as they are typed in both.
type message struct{ en, zh string }

// The messages. English texts are matched by tests and scripts: a change
// to one is a change to mmtrace's interface.
const (
	msgNoCommand           msgID = "no-command"
	msgUnknownCommand      msgID = "unknown-command"
	msgUnknownCommandMaybe msgID = "unknown-command-maybe"
	msgHelpOneTopic        msgID = "help-one-topic"
	msgHelpNoTopic         msgID = "help-no-topic"
	msgHelpNoTopicMaybe    msgID = "help-no-topic-maybe"
	msgListNoArgs          msgID = "list-no-args"
	msgExplainOne          msgID = "explain-one"
	msgExplainNothing      msgID = "explain-nothing"
	msgExplainNothingMaybe msgID = "explain-nothing-maybe"
	msgAttachNoPID         msgID = "attach-no-pid"
	msgExplainNoClass      msgID = "explain-no-class"
	msgRunNotPID           msgID = "run-not-pid"
	msgDetachedMany        msgID = "detached-many"
	msgAttachNotPIDText    msgID = "attach-not-pid-text"
	msgAttachNotPID        msgID = "attach-not-pid"
	msgDetached            msgID = "detached"
	msgRunAttachNoCommand  msgID = "run-attach-no-command"
	msgRunNoCommand        msgID = "run-no-command"
	msgCannotRun           msgID = "cannot-run"
	msgNotFromDot          msgID = "not-from-dot"
	msgNotExecutable       msgID = "not-executable"
	msgIsDirectory         msgID = "is-directory"
	msgCommandNotFound     msgID = "command-not-found"
	msgCannotTrace         msgID = "cannot-trace"
	msgWantWhen            msgID = "want-when"
	msgWantPin             msgID = "want-pin"
	msgWantLang            msgID = "want-lang"
	msgNegativeStringLimit msgID = "negative-string-limit"
	msgStableNoTimes       msgID = "stable-no-times"
	msgAllAndExpr          msgID = "all-and-expr"
	msgRelativeAndAbsolute msgID = "relative-and-absolute"
	msgSummaryBoth         msgID = "summary-both"
	msgJSONNoSummary       msgID = "json-no-summary"
	msgStepTerminal        msgID = "step-terminal"
	msgFaultsBoth          msgID = "faults-both"
	msgGopsListening       msgID = "gops-listening"
	msgPageStays           msgID = "page-stays"
	msgClassroomAt         msgID = "classroom-at"
	msgServeBeyond         msgID = "serve-beyond"
	msgWorkDir             msgID = "work-dir"
	msgKeeps               msgID = "keeps"
	msgFlagUnknown         msgID = "flag-unknown"
	msgFlagUnknownShort    msgID = "flag-unknown-short"
	msgFlagNeedsValue      msgID = "flag-needs-value"
	msgFlagNeedsValueShort msgID = "flag-needs-value-short"
	msgFlagBadValue        msgID = "flag-bad-value"
	msgFlagBadSyntax       msgID = "flag-bad-syntax"
	msgMustBeInteger       msgID = "must-be-integer"
	msgMustBeNonNegative   msgID = "must-be-non-negative"
	msgMustBeNumber        msgID = "must-be-number"
	msgMustBeBool          msgID = "must-be-bool"
	msgMustBeDuration      msgID = "must-be-duration"
	msgOutOfRange          msgID = "out-of-range"
	msgSuggestOr           msgID = "suggest-or"
	msgSuggestList         msgID = "suggest-list"
	msgUnknownLang         msgID = "unknown-lang"
	msgTraceesDetached     msgID = "tracees-detached"
	msgTraceesKilled       msgID = "tracees-killed"
	msgOutputAbandoned     msgID = "output-abandoned"
	msgSameOutput          msgID = "same-output"
	msgOutputIsDir         msgID = "output-is-dir"
	msgOutputError         msgID = "output-error"
	msgOutputDangling      msgID = "output-dangling"
	msgOutputNoDir         msgID = "output-no-dir"
	msgOutputCannotCreate  msgID = "output-cannot-create"
	msgProgress            msgID = "progress"
)

// catalog is every message of mmtrace's own, in English and Chinese.
// Built on first use: a trace that goes well needs none of it, and a map
// literal is built at every start.
var catalog = lazy.Of(func() map[msgID]message {
	return withTrace(map[msgID]message{
		msgNoCommand:           {"no command given", "没有给出命令"},
		msgUnknownCommand:      {"unknown command %q (try 'mmtrace help', or 'mmtrace list' for the scenarios)", "未知命令 %q（试试 'mmtrace help'，或用 'mmtrace list' 列出场景）"},
		msgUnknownCommandMaybe: {"unknown command %q (did you mean %s?)", "未知命令 %q（是不是想用 %s？）"},
		msgHelpOneTopic:        {"help takes one topic: scenarios, filter, or a command", "help 只接受一个主题：scenarios、filter，或一个命令"},
		msgHelpNoTopic:         {"help: no topic %q (try 'mmtrace help scenarios')", "help: 没有主题 %q（试试 'mmtrace help scenarios'）"},
		msgHelpNoTopicMaybe:    {"help: no topic %q (did you mean %s?)", "help: 没有主题 %q（是不是想看 %s？）"},
		msgListNoArgs:          {"list takes no arguments", "list 不接受参数"},
		msgExplainOne:          {"explain takes one SYSCALL or TOPIC, got %d", "explain 只接受一个 SYSCALL 或 TOPIC，却给了 %d 个"},
		msgExplainNothing:      {"explain: nothing is called %q ('mmtrace explain' lists what can be explained)", "explain: 没有叫 %q 的内容（'mmtrace explain' 列出可以解释的内容）"},
		msgExplainNothingMaybe: {"explain: nothing is called %q; did you mean %q? ('mmtrace explain' lists them all)", "explain: 没有叫 %q 的内容；是不是想看 %q？（'mmtrace explain' 列出全部）"},
		msgAttachNoPID:         {"attach: give a PID", "attach: 请给出 PID"},
		msgExplainNoClass:      {"explain: no class %q ('mmtrace help filter' lists the classes)", "explain: 没有 %q 这一类（'mmtrace help filter' 列出各类）"},
		msgRunNotPID:           {"run: %q is not a process id", "run: %q 不是进程号"},
		msgDetachedMany:        {"mmtrace: detached from %s; they run on", "mmtrace: 已脱离 %s；它们继续运行"},
		msgAttachNotPIDText:    {"attach: %q is not a process id", "attach: %q 不是进程号"},
		msgAttachNotPID:        {"attach: %d is not a process id", "attach: %d 不是进程号"},
		msgDetached:            {"mmtrace: detached from %d; it runs on", "mmtrace: 已脱离 %d；它继续运行"},
		msgRunAttachNoCommand:  {"run: -p attaches to a running process: give no command", "run: -p 附加到正在运行的进程：不要再给命令"},
		msgRunNoCommand:        {"run: no command to trace (mmtrace run -- CMD [ARGS...])", "run: 没有要跟踪的命令（mmtrace run -- CMD [ARGS...]）"},
		msgCannotRun:           {"cannot run %s: %v", "无法运行 %s：%v"},
		msgNotFromDot:          {"%s: not run from the current directory; write ./%s", "%s: 不会从当前目录运行；请写 ./%s"},
		msgNotExecutable:       {"%s: permission denied (not executable)", "%s: 权限不够（不可执行）"},
		msgIsDirectory:         {"%s: is a directory", "%s: 是一个目录"},
		msgCommandNotFound:     {"%s: command not found", "%s: 未找到命令"},
		msgCannotTrace:         {"cannot trace %d: %s", "无法跟踪 %d：%s"},
		msgWantWhen:            {"%s %q: want auto, always or never", "%s %q：应为 auto、always 或 never"},
		msgWantPin:             {"--pin-cpu %q: want auto, spawn, always or never", "--pin-cpu %q：应为 auto、spawn、always 或 never"},
		msgWantLang:            {"--lang %q: want en or zh", "--lang %q：应为 en 或 zh"},
		msgNegativeStringLimit: {"-s %d: the string limit cannot be negative", "-s %d：字符串长度上限不能是负数"},
		msgStableNoTimes:       {"--stable prints no times, which change every run: not with -t, -tt, -ttt, -r or -T", "--stable 不打印时间（时间每次运行都不同）：不能与 -t、-tt、-ttt、-r 或 -T 同用"},
		msgAllAndExpr:          {"-a and -e both choose the calls: give one", "-a 和 -e 都用来选择调用：只给一个"},
		msgRelativeAndAbsolute: {"-r and -t both choose the time column: give one", "-r 和 -t 都用来选择时间列：只给一个"},
		msgSummaryBoth:         {"-c and -C: give one", "-c 和 -C：只给一个"},
		msgJSONNoSummary:       {"--json writes only JSON: not with -c or -C", "--json 只输出 JSON：不能与 -c 或 -C 同用"},
		msgStepTerminal:        {"--step asks the class at each call: stdin must be a terminal (or use --serve: the page's Next button)", "--step 在每个调用处向全班提问：stdin 必须是终端（或者用 --serve：网页上的“下一步”按钮）"},
		msgFaultsBoth:          {"--faults and --no-faults: give one", "--faults 和 --no-faults：只给一个"},
		msgGopsListening:       {"mmtrace: gops agent listening on loopback (gops stack %d)", "mmtrace: gops 代理在回环地址上监听（gops stack %d）"},
		msgPageStays:           {"mmtrace: the trace has ended; the page stays at %s until Ctrl-C", "mmtrace: 跟踪已结束；网页留在 %s，直到按下 Ctrl-C"},
		msgClassroomAt:         {"mmtrace: the classroom view is at %s", "mmtrace: 课堂视图在 %s"},
		msgServeBeyond:         {"mmtrace: warning: serving beyond this machine: whoever connects sees the trace (file names, arguments)", "mmtrace: 警告：服务对本机以外开放：任何连上的人都能看到这次跟踪（文件名、参数）"},
		msgWorkDir:             {"temporary directory: %w", "临时目录：%w"},
		msgKeeps:               {"mmtrace: %s keeps its files in %s", "mmtrace: %s 的文件保留在 %s"},
		// pflag's errors, recognised by their types (see flagError).
		msgFlagUnknown:         {"unknown flag: --%s", "未知选项：--%s"},
		msgFlagUnknownShort:    {"unknown shorthand flag: %q in -%s", "未知的短选项 %q（在 -%s 中）"},
		msgFlagNeedsValue:      {"flag needs an argument: --%s", "选项需要一个值：--%s"},
		msgFlagNeedsValueShort: {"flag needs an argument: %q in -%s", "选项需要一个值：%q（在 -%s 中）"},
		msgFlagBadValue:        {"invalid argument %q for %q flag: %v", "%[2]s 的值 %[1]q 无效：%[3]v"},
		msgFlagBadSyntax:       {"bad flag syntax: %s", "选项的写法不对：%s"},
		msgMustBeInteger:       {"must be an integer", "必须是整数"},
		msgMustBeNonNegative:   {"must be a non-negative integer", "必须是非负整数"},
		msgMustBeNumber:        {"must be a number", "必须是数"},
		msgMustBeBool:          {"must be true or false", "必须是 true 或 false"},
		msgMustBeDuration:      {`must be a duration like "30s" or "5m"`, `必须是时长，如 "30s" 或 "5m"`},
		msgOutOfRange:          {"out of range", "超出范围"},
		msgSuggestOr:           {"%s or %s", "%s 或 %s"},
		msgSuggestList:         {", ", "、"},
		msgUnknownLang:         {"--lang: unknown language %q: want en or zh", "--lang: 未知的语言 %q：应为 en 或 zh"},
		msgTraceesDetached:     {"stopped tracing; detached, the processes run on", "停止跟踪；已脱离，这些进程继续运行"},
		msgTraceesKilled:       {"stopped tracing; the traced processes were killed", "停止跟踪；被跟踪的进程已被结束"},
		msgOutputAbandoned:     {"%s: the output was not being read; gave up on it after %s: %s", "%s: 没有人读这个输出；收到 %s 之后放弃了它：%s"},
		// The outputs (-o, --svg, --perfetto, --html; output.go).
		msgSameOutput:         {"%s %s and %s %s are the same file: give each output its own", "%s %s 和 %s %s 是同一个文件：每个输出要有自己的文件"},
		msgOutputIsDir:        {"%s %s: is a directory", "%s %s：是一个目录"},
		msgOutputError:        {"%s %s: %v", "%s %s：%v"},
		msgOutputDangling:     {"%s %s: a symbolic link to a file that does not exist", "%s %s：是指向不存在的文件的符号链接"},
		msgOutputNoDir:        {"%s %s: no directory %s", "%s %s：没有目录 %s"},
		msgOutputCannotCreate: {"%s %s: cannot create a file in %s: %v (the output is written under a temporary name there, then renamed)", "%s %s：无法在 %s 中创建文件：%v（输出先以临时名字写在那里，再改名）"},
		// The progress line of a long run, on a terminal (progress.go).
		msgProgress: {"%s: %s of %s (%d%%)", "%s：%s / %s（%d%%）"},
	})
})

// format returns message id's format in l.
func format(l explain.Lang, id msgID) string {
	m, ok := catalog.Get()[id]
	if !ok {
		// A bug TestCatalog catches; say which message.
		return "(message " + string(id) + ")"
	}
	if l == explain.ZH {
		return m.zh
	}
	return m.en
}

// msg formats message id in l.
func msg(l explain.Lang, id msgID, args ...any) string {
	return fmt.Sprintf(format(l, id), args...)
}

// errorIn is message id in l as an error that wraps the errors among
// args its format quotes with %w.
func errorIn(l explain.Lang, id msgID, args ...any) error {
	return fmt.Errorf(format(l, id), args...)
}

// usageIn returns message id in l as a usage error.
func usageIn(l explain.Lang, id msgID, args ...any) error {
	return &usageError{msg(l, id, args...)}
}

// flagError is a parse error of pflag in l. Under zh, the errors pflag
// returns as types of their own are said in Chinese, with the flag as it
// was typed; the cause of a bad value is said in Chinese where it is one
// mmtrace recognises (a number, a duration) and quoted otherwise.
func flagError(l explain.Lang, err error) string {
	if l != explain.ZH {
		return err.Error()
	}
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		if short := notExist.GetSpecifiedShortnames(); short != "" {
			return msg(l, msgFlagUnknownShort, rune(notExist.GetSpecifiedName()[0]), short)
		}
		return msg(l, msgFlagUnknown, notExist.GetSpecifiedName())
	case errors.As(err, &required):
		if short := required.GetSpecifiedShortnames(); short != "" {
			return msg(l, msgFlagNeedsValueShort, rune(required.GetSpecifiedName()[0]), short)
		}
		return msg(l, msgFlagNeedsValue, required.GetSpecifiedName())
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		name := "--" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "-" + f.Shorthand + ", " + name
		}
		return msg(l, msgFlagBadValue, invalid.GetValue(), name, valueCause(l, invalid))
	case errors.As(err, &syntax):
		return msg(l, msgFlagBadSyntax, syntax.GetSpecifiedFlag())
	}
	return err.Error()
}

// valueCause says why a flag's value was refused: pflag's own reasons,
// which are fixed texts, in words of the catalog; strconv's errors (a
// count's, a Value of mmtrace's) too; any other as it is.
func valueCause(l explain.Lang, invalid *pflag.InvalidValueError) string {
	cause := errors.Unwrap(invalid)
	if cause == nil {
		return invalid.Error()
	}
	if id, ok := pflagCauses[cause.Error()]; ok {
		return msg(l, id)
	}
	var num *strconv.NumError
	switch {
	case errors.As(cause, &num) && errors.Is(num.Err, strconv.ErrSyntax):
		return msg(l, msgMustBeInteger)
	case errors.As(cause, &num) && errors.Is(num.Err, strconv.ErrRange):
		return msg(l, msgOutOfRange)
	}
	return cause.Error()
}

// pflagCauses are the reasons pflag's values (int.go, bool.go, …) give for
// refusing a value, as pflag v1.1.0 words them.
var pflagCauses = map[string]msgID{
	"must be an integer":                    msgMustBeInteger,
	"must be a non-negative integer":        msgMustBeNonNegative,
	"must be a number":                      msgMustBeNumber,
	"must be true or false":                 msgMustBeBool,
	`must be a duration like "30s" or "5m"`: msgMustBeDuration,
}

// scenarioError shows err as a scenario would in l: an errno with glibc's
// Chinese text for it under zh.
func scenarioError(l explain.Lang, err error) error {
	return scenarioLang(l).Error(err)
}

// refusalIn is why the tracer was refused a process, in l.
func refusalIn(l explain.Lang, refused *tracer.RefusedError) string {
	if l == explain.ZH && refused.ReasonZH != "" {
		return refused.ReasonZH
	}
	return refused.Reason
}
