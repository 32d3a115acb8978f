// mmtrace's classroom view: the timeline of a trace and, at the selected
// step, the address space of every live process. Plain script, no
// library, no network but the page's own server when it is live.
//
// The records come in batches: a string table, and the records as columns
// of numbers (tracer/html/batch.go says which), with the ops that say what
// each event changed in the model. The page keeps the columns as they
// came and builds a record's object only for the rows on screen. The
// state at a step is never stored: apply() runs the ops forward and keeps
// what they replaced, so that undo() runs them backward. A trace of
// 100,000 calls costs its columns and one state.
(function () {
  "use strict";
  const started = performance.now();
  const META = JSON.parse(document.getElementById("mmtrace-meta").textContent);
  const $ = (id) => document.getElementById(id);

  // ---- Words, in both languages.
  const T = {
    en: {
      first: "First step (Home)", prev: "Previous step (←)", play: "Play or pause (space)", next: "Next step (→)",
      last: "Last step (End)", speed: "Steps per second when playing",
      step: "step {n} of {m}", stepNone: "before the first step ({m} steps)",
      search: "filter: text, P2, EINVAL…", onlyErr: "errors and signals only",
      langBtn: "中文", langTitle: "Explanations in Chinese",
      labelsOn: "show real ids", labelsOff: "show labels (P1, A1)",
      timeline: "Timeline", tree: "Processes", space: "Address space after step {n}",
      spaceNone: "Address space before the first step", noProc: "No process is alive at this step.",
      lShared: "shared: the same colour in every process that maps it, linked by a line",
      lPrivate: "private (dashed edge)", lCow: "copy-on-write: private pages a fork shares until one side stores",
      lTouched: "dark bar: pages touched", lFork: "fork", lWait: "reaped by wait",
      initial: "{n} mappings it had before the trace saw it (program, libraries, stack): {size}",
      initialShow: "show them", initialHide: "hide them",
      fds: "file descriptors", noFds: "no open file descriptors",
      running: "running", exited: "exited with {n}", killed: "killed by {s}", reaped: "reaped", detached: "detached: runs on untraced",
      live: "live: the program is running", ended: "the trace has ended", lost: "connection lost: trying again…",
      endedLive: "the trace has ended; this page keeps it all",
      waitingFor: "waiting: {p} is about to call {c}", release: "Next call ▶", runon: "Run to the end",
      more: "+{n} more", moreTitle: "the same call repeated {n} more times: click to show them",
      fewer: "fold", repeated: "repeated", repeatedTitle: "repeated more times (how often is the scheduler's choice)",
      took: "took {d}", at: "at {t} s", never: "never returned", restarted: "interrupted by a signal; the kernel restarts it",
      page1: "page", pages: "pages", anonymous: "anonymous memory",
      fileShared: "file, shared", filePrivate: "file, private", anonShared: "anonymous, shared", anonPrivate: "anonymous, private",
      devZero: "/dev/zero, shared", cow: "copy-on-write", deleted: "file deleted",
      sharedWith: "shared with {l}", cowWith: "copy-on-write with {l}",
      touched: "{n} of {m} pages touched", noMaps: "no mappings yet",
      noSel: "Select a step: click a line, or use ← and →.", childOf: "child of {p}",
      failed: "failed: {e}", signal: "signal", exit: "exit",
      unreadable: "This browser cannot read the trace in this page: {e}",
    },
    zh: {
      first: "第一步（Home）", prev: "上一步（←）", play: "播放或暂停（空格）", next: "下一步（→）",
      last: "最后一步（End）", speed: "播放时每秒步数",
      step: "第 {n} 步，共 {m} 步", stepNone: "第一步之前（共 {m} 步）",
      search: "筛选：文字、P2、EINVAL…", onlyErr: "只看错误和信号",
      langBtn: "English", langTitle: "用英文显示解释",
      labelsOn: "显示真实编号", labelsOff: "显示标签（P1、A1）",
      timeline: "时间线", tree: "进程", space: "第 {n} 步之后的地址空间",
      spaceNone: "第一步之前的地址空间", noProc: "这一步没有存活的进程。",
      lShared: "共享：映射它的每个进程里颜色相同，并用线相连",
      lPrivate: "私有（虚线边框）", lCow: "写时复制：fork 之后双方共用的私有页，直到一方写入",
      lTouched: "深色条：已访问的页", lFork: "fork", lWait: "被 wait 回收",
      initial: "跟踪开始前就有的 {n} 个映射（程序、库、栈）：{size}",
      initialShow: "展开", initialHide: "收起",
      fds: "文件描述符", noFds: "没有打开的文件描述符",
      running: "运行中", exited: "以状态 {n} 退出", killed: "被 {s} 信号终止", reaped: "已回收", detached: "已脱离：继续运行，不再跟踪",
      live: "实时：程序正在运行", ended: "跟踪已结束", lost: "连接中断，正在重试…",
      endedLive: "跟踪已结束；本页保留了全部内容",
      waitingFor: "等待中：{p} 将要调用 {c}", release: "下一个调用 ▶", runon: "一直运行到结束",
      more: "+{n} 次", moreTitle: "同一调用又重复了 {n} 次：点击展开",
      fewer: "折叠", repeated: "重复", repeatedTitle: "又重复了多次（次数由调度决定）",
      took: "耗时 {d}", at: "{t} 秒时", never: "没有返回", restarted: "被信号打断，内核会重新执行",
      page1: "页", pages: "页", anonymous: "匿名内存",
      fileShared: "文件，共享", filePrivate: "文件，私有", anonShared: "匿名，共享", anonPrivate: "匿名，私有",
      devZero: "/dev/zero，共享", cow: "写时复制", deleted: "文件已删除",
      sharedWith: "与 {l} 共享", cowWith: "与 {l} 写时复制",
      touched: "{m} 页中已访问 {n} 页", noMaps: "还没有映射",
      noSel: "选择一步：点击一行，或用 ← 和 →。", childOf: "{p} 的子进程",
      failed: "失败：{e}", signal: "信号", exit: "退出",
      unreadable: "这个浏览器无法读取本页中的跟踪数据：{e}",
    },
  };
  let lang = META.lang === "zh" ? "zh" : "en";
  const tr = (key, kv) => {
    let s = T[lang][key];
    if (kv) for (const k in kv) s = s.split("{" + k + "}").join(String(kv[k]));
    return s;
  };

  // ---- The trace, as columns: typed arrays, one entry per record,
  // grown as batches come.
  const S = [];        // string table
  let N = 0;           // records
  let K = new Uint8Array(0);  // kind, a letter's code: c call, s signal, t stop, x exit, f spawn (not a row)
  let P = new Int32Array(0), H = new Int32Array(0), L = new Int32Array(0), F = new Int32Array(0);
  let E = new Int32Array(0), C = new Int32Array(0);
  // DT: the time since the previous record; TM, since the start, summed
  // as far as a drawing asks (timeAt).
  let TM = new Float64Array(0), DT = new Float64Array(0), D = new Float64Array(0);
  let NO = new Int32Array(0);   // step number, 0 for a spawn
  let HEAD = new Int32Array(0); // a repeat: the record it folds under, else -1
  let REPS = new Int32Array(0); // a fold head: how many repeats fold under it
  // Notes: NC[i] English ones, NV[NS[i]] to NV[NS[i+1]]; ZC, ZS and ZV
  // the Chinese. NS and ZS are summed as far as asked (noteStarts).
  let NC = new Int32Array(0), ZC = new Int32Array(0);
  let NS = new Int32Array(1), ZS = new Int32Array(1), NV = new Int32Array(0), ZV = new Int32Array(0);
  let timed = -1, noted = -1;
  let nNV = 0, nZV = 0;
  // Ops: record i's are OPB[OB[i]][OS[i]] to [OE[i]], the lists as they
  // came in the batches; OS[i] < 0 when none. MK[i]: how many mappings
  // came before record i's (an opMap makes the next key). Known only for
  // the records up to walked: the lists are walked as far as a step needs
  // (prepare), not when the page opens.
  let OB = new Int32Array(0), OS = new Int32Array(0), OE = new Int32Array(0), MK = new Int32Array(0);
  const OPB = [], OPBASE = [];
  // The walk: at OPB[wb][wj], after record wi.
  let walked = -1, wb = 0, wj = 0, wi = -1;
  const byNo = [0];    // step number -> record index
  const lastHead = new Map(); // tid -> the record a repeat folds under
  const pidOrder = new Map(); // pid -> its label's number (P1, P2, …)
  let lastT = 0, keys = 0, objs = 0;
  let done = false;
  let waiting = null;
  // Ops: their codes and how many numbers follow each (as batch.go).
  const OP = { P: 1, X: 2, N: 3, M: 4, U: 5, F: 6, C: 7, W: 8, T: 9 };
  const OPARGS = [0, 3, 2, 2, 10, 2, 4, 2, 2, 3];
  const PAGE = META.page || 4096;
  const FL = { rep: 1, more: 2, fault: 4, restart: 8, never: 16 };
  const KC = "c".charCodeAt(0), KS = "s".charCodeAt(0), KT = "t".charCodeAt(0), KX = "x".charCodeAt(0), KF = "f".charCodeAt(0);

  function notePid(p) {
    if (p > 0 && !pidOrder.has(p)) pidOrder.set(p, pidOrder.size + 1);
  }
  // fit returns a with room for n entries: a itself when it has, else a
  // copy twice as big, so that a live page's batches cost no more than
  // one. grow makes every column fit n records.
  function fit(a, n) {
    if (a.length >= n) return a;
    const b = new a.constructor(Math.max(n, 2 * a.length, 1024));
    b.set(a);
    return b;
  }
  function grow(n, nv, zv) {
    K = fit(K, n); P = fit(P, n); H = fit(H, n); L = fit(L, n); F = fit(F, n); E = fit(E, n); C = fit(C, n);
    TM = fit(TM, n); DT = fit(DT, n); D = fit(D, n); NC = fit(NC, n); ZC = fit(ZC, n); NO = fit(NO, n); HEAD = fit(HEAD, n); REPS = fit(REPS, n);
    NS = fit(NS, n + 1); ZS = fit(ZS, n + 1); OB = fit(OB, n); OS = fit(OS, n); OE = fit(OE, n); MK = fit(MK, n);
    NV = fit(NV, nv); ZV = fit(ZV, zv);
  }
  // runs fills col[from…] from a column written as runs (value, count).
  function runs(w, col, from) {
    for (let j = 0; j < w.length; j += 2) { col.fill(w[j], from, from + w[j + 1]); from += w[j + 1]; }
  }
  // timeAt returns record i's time since the start.
  function timeAt(i) {
    for (; timed < i; timed++) { lastT += DT[timed + 1]; TM[timed + 1] = lastT; }
    return TM[i];
  }
  // noteStarts makes NS and ZS known for the records up to i.
  function noteStarts(i) {
    for (; noted < i; noted++) { NS[noted + 2] = NS[noted + 1] + NC[noted + 1]; ZS[noted + 2] = ZS[noted + 1] + ZC[noted + 1]; }
  }
  function ingest(b) {
    if (b.more) {
      // Stable fold heads that turned out to repeat after they came.
      for (const i of b.more) if (i < N) F[i] |= FL.more;
      return;
    }
    for (const s of b.s) S.push(s);
    const n = b.k.length, base = N, end = N + n;
    grow(end, nNV + b.nv.length, nZV + b.zv.length);
    if (typeof b.k === "string") for (let j = 0; j < n; j++) K[base + j] = b.k.charCodeAt(j);
    else K.set(b.k, base);
    runs(b.p, P, base); runs(b.h, H, base); runs(b.f, F, base);
    L.set(b.l, base);
    if (b.t) { DT.set(b.t, base); D.set(b.d, base); }
    // E, C and REPS past N are still the zeros they were made with.
    OS.fill(-1, base, end); HEAD.fill(-1, base, end);
    runs(b.n, NC, base); NV.set(b.nv, nNV); nNV += b.nv.length;
    runs(b.z, ZC, base); ZV.set(b.zv, nZV); nZV += b.zv.length;
    for (let j = 0; j < b.e.length; j += 2) E[base + b.e[j]] = b.e[j + 1];
    for (let j = 0; j < b.c.length; j += 2) C[base + b.c[j]] = b.c[j + 1];
    // The ops stay in the batch's list, walked when a step needs them.
    OPB.push(b.o);
    OPBASE.push(base);
    N = end;
    // Step numbers, the folds and the pids' order. A run of one process
    // or thread is noted once, and a thread's last fold head kept aside
    // until another thread's record comes.
    let lp = -1, lh = -1, ct = -1, ch = -1;
    for (let i = base; i < end; i++) {
      const p = P[i], h = H[i], c = C[i];
      if (p !== lp) { notePid(p); lp = p; }
      if (h !== lh) { notePid(h); lh = h; }
      if (c) notePid(c);
      if (K[i] === KF) { NO[i] = 0; continue; }
      NO[i] = byNo.length;
      byNo.push(i);
      const tid = h || p;
      if (tid !== ct) {
        if (ct !== -1) lastHead.set(ct, ch);
        ct = tid;
        const g = lastHead.get(tid);
        ch = g === undefined ? -1 : g;
      }
      if (F[i] & FL.rep) {
        if (ch < 0) F[i] &= ~FL.rep;
        else { HEAD[i] = ch; REPS[ch]++; }
      }
      if (!(F[i] & FL.rep)) ch = i;
    }
    if (ct !== -1) lastHead.set(ct, ch);
  }
  // prepare walks the ops of the records up to i: where each record's
  // are, and each made absolute in its list (its process, the mapping
  // keys and objects: batch.go says how they are written).
  function prepare(i) {
    if (i <= walked) return;
    while (wb < OPB.length) {
      const o = OPB[wb];
      if (wj >= o.length) { wb++; wj = 0; continue; }
      if (wj === 0) wi = OPBASE[wb] - 1; // a batch's first: from its base
      const r = wi + o[wj];
      if (r > i) break;
      const m = o[wj + 1], q0 = wj + 2;
      OB[r] = wb; OS[r] = q0; OE[r] = q0 + m; MK[r] = keys;
      for (let q = q0; q < q0 + m; q += 1 + OPARGS[o[q]]) {
        if (o[q + 1] === 0) o[q + 1] = P[r];
        switch (o[q]) {
          case OP.M: if (o[q + 7] === 0) o[q + 7] = ++objs; keys++; break;
          case OP.U: o[q + 2] = keys - o[q + 2]; break;
          case OP.T: o[q + 2] = keys - o[q + 2]; break;
        }
      }
      wi = r;
      wj = q0 + m;
    }
    walked = i;
  }
  // rec is record i as an object, for drawing it.
  function rec(i) {
    noteStarts(i);
    const f = F[i];
    return {
      i, k: String.fromCharCode(K[i]), p: P[i], h: H[i], t: timeAt(i), d: D[i], l: L[i], e: E[i] ? S[E[i]] : "", c: C[i],
      r: f & FL.rep, m: f & FL.more, g: f & FL.fault, w: f & FL.restart, u: f & FL.never,
      no: NO[i], head: HEAD[i], reps: REPS[i],
      n: Array.from(NV.subarray(NS[i], NS[i + 1])), z: Array.from(ZV.subarray(ZS[i], ZS[i + 1])),
    };
  }

  // ---- Labels: P1 for processes, A1 for addresses, as --stable prints
  // them. A stable trace has them already; otherwise the page can show
  // them, assigned in the order the trace shows them.
  let useLabels = !!META.stable;
  const addrLabels = new Map();
  let scanned = 0;
  const addrRE = /0x[0-9a-f]{6,}/g;
  const numRE = /\b\d{2,}\b/g;
  const pidCalls = /^(fork|vfork|clone|clone3|wait4|waitid|kill|tgkill|tkill|getpid|getppid|gettid|set_tid_address)\(|^(---|\+\+\+)/;
  function scanLabels() {
    const see = (s) => {
      const m = s.match(addrRE);
      if (m) for (const a of m) if (!addrLabels.has(a)) addrLabels.set(a, "A" + (addrLabels.size + 1));
    };
    noteStarts(N - 1);
    for (; scanned < N; scanned++) {
      if (K[scanned] === KF) continue;
      see(S[L[scanned]]);
      for (let j = NS[scanned]; j < NS[scanned + 1]; j++) see(S[NV[j]]);
    }
  }
  function relabel(s, pids) {
    if (!useLabels || META.stable) return s;
    s = s.replace(addrRE, (a) => addrLabels.get(a) || a);
    if (pids) s = s.replace(numRE, (n) => (pidOrder.has(+n) ? "P" + pidOrder.get(+n) : n));
    return s;
  }
  function pidText(p) {
    if (META.stable) return "P" + p;
    if (useLabels) return "P" + (pidOrder.get(p) || "?");
    return String(p);
  }
  function lineOf(r) { const s = S[r.l]; return relabel(s, pidCalls.test(s)); }
  function notesOf(r) {
    const ns = lang === "zh" && r.z.length ? r.z : r.n;
    return ns.map((n) => relabel(S[n], true));
  }
  const PIDCOL = ["#1b4f8a", "#8e3b9e", "#2e7d32", "#b3541e", "#00695c", "#6d4c41", "#ad1457", "#37474f", "#5d4037", "#283593"];
  const pidColour = (p) => PIDCOL[((META.stable ? p : pidOrder.get(p) || 1) - 1) % PIDCOL.length];
  // Shared objects: distinct hues, each readable under white text.
  const OBJCOL = ["#1f5fa8", "#7b3fa0", "#b8420f", "#0f7566", "#a3236a", "#4b5b12", "#874d00", "#254f7a", "#6a2c91", "#8d2c2c"];
  const objColour = (o) => OBJCOL[(o - 1) % OBJCOL.length];

  // ---- Which rows show: not the hidden spawn records, not repeats
  // folded under their first call, only what the filter lets through.
  const expanded = new Set();
  let query = "", onlyErr = false;
  // vis: the records shown, nVis of them; offs[k]: row k's top.
  let vis = new Int32Array(1024), offs = new Float64Array(1025), nVis = 0;
  const lower = [];
  const low = (i) => lower[i] !== undefined ? lower[i] : (lower[i] = S[i].toLowerCase());
  const ROWH = 24, NOTEH = 20;
  function passes(i) {
    if (K[i] === KF) return false;
    if ((F[i] & FL.rep) && !expanded.has(HEAD[i])) return false;
    if (onlyErr && !(E[i] || K[i] === KS || (F[i] & FL.fault))) return false;
    if (query) {
      if (low(L[i]).includes(query)) return true;
      const zh = lang === "zh" && ZS[i + 1] > ZS[i];
      const [st, v] = zh ? [ZS, ZV] : [NS, NV];
      for (let j = st[i]; j < st[i + 1]; j++) if (low(v[j]).includes(query)) return true;
      const pt = pidText(P[i]).toLowerCase();
      return pt === query || "p" + (pidOrder.get(P[i]) || "") === query || (E[i] ? S[E[i]].toLowerCase() === query : false);
    }
    return true;
  }
  function rebuild() {
    nVis = 0;
    offs[0] = 0;
    appendVis(0);
  }
  let visFrom = 0;
  function appendVis(from) {
    if (from === 0) visFrom = 0;
    vis = fit(vis, nVis + N - visFrom);
    offs = fit(offs, nVis + N - visFrom + 1);
    // Without a filter, only the spawns and the folded repeats are left
    // out: checked here, not call by call.
    const plain = !query && !onlyErr, open = expanded.size > 0;
    if (!plain) noteStarts(N - 1);
    for (let i = visFrom; i < N; i++) {
      if (plain) {
        if (K[i] === KF || ((F[i] & FL.rep) && !(open && expanded.has(HEAD[i])))) continue;
      } else if (!passes(i)) continue;
      vis[nVis] = i;
      offs[nVis + 1] = offs[nVis] + ROWH + NOTEH * Math.max(NC[i], ZC[i]);
      nVis++;
    }
    visFrom = N;
    $("spacer").style.height = offs[nVis] + "px";
  }
  // visAt returns the position in vis of the first row at or after
  // record i.
  function visAt(i) {
    let lo = 0, hi = nVis;
    while (lo < hi) { const m = (lo + hi) >> 1; if (vis[m] < i) lo = m + 1; else hi = m; }
    return lo;
  }

  // ---- The state at a step, applied forward and undone backward.
  const procs = new Map();
  const order = [];
  let cur = -1; // the last record applied
  // saved: what each applied op replaced, a stack: goTo applies records
  // forward and undoes them backward, so undo() pops what apply() pushed,
  // in reverse. (A list per batch beside its ops, sized to them, cost
  // more than the ops' walk in a batch of a million numbers.)
  const saved = [];
  const back = (m, key, v) => { if (v === undefined) m.delete(key); else m.set(key, v); };
  function Mapping(o, q, key, i) {
    this.key = key; this.size = o[q + 2] * PAGE; this.prot = o[q + 3]; this.flags = o[q + 4]; this.path = S[o[q + 5]];
    this.off = o[q + 6]; this.obj = o[q + 7]; this.addr = S[o[q + 8]]; this.fsize = o[q + 9]; this.at = i;
    this.touched = o[q + 10] < 0 ? undefined : o[q + 10];
  }
  // apply runs record i's ops (OPARGS says how many numbers each takes:
  // o[q] the code, o[q+1] the process, then the rest).
  function apply(i) {
    if (OS[i] < 0) return;
    const o = OPB[OB[i]], u = saved;
    let key = MK[i];
    for (let q = OS[i]; q < OE[i]; q += 1 + OPARGS[o[q]]) {
      const op = o[q], pid = o[q + 1];
      if (op === OP.P) {
        u.push(procs.get(pid));
        const p = { pid, parent: o[q + 2], name: S[o[q + 3]], alive: true, maps: new Map(), fds: new Map(), born: i, how: "", died: -1, reaped: -1 };
        procs.set(pid, p);
        order.push(p);
        continue;
      }
      if (op === OP.M) key++;
      const p = procs.get(pid);
      if (!p) { u.push(null); continue; }
      switch (op) {
        case OP.X: u.push([p.alive, p.how, p.died]); p.alive = false; p.how = S[o[q + 2]]; p.died = i; break;
        case OP.N: u.push(p.name); p.name = S[o[q + 2]]; break;
        case OP.M: u.push(p.maps.get(key)); p.maps.set(key, new Mapping(o, q, key, i)); break;
        case OP.U: u.push(p.maps.get(o[q + 2])); p.maps.delete(o[q + 2]); break;
        case OP.F: u.push(p.fds.get(o[q + 2])); p.fds.set(o[q + 2], { path: S[o[q + 3]], flags: o[q + 4] }); break;
        case OP.C: u.push(p.fds.get(o[q + 2])); p.fds.delete(o[q + 2]); break;
        case OP.W: { const c = procs.get(o[q + 2]); if (c) { u.push(c.reaped); c.reaped = i; } else u.push(null); break; }
        case OP.T: { const m = p.maps.get(o[q + 2]); if (m) { u.push(m.touched); m.touched = o[q + 3]; } else u.push(null); break; }
      }
    }
  }
  function undo(i) {
    if (OS[i] < 0) return;
    const o = OPB[OB[i]], u = saved;
    // The ops backward: where each starts, and the keys the record's
    // opMaps made, counted down from the last.
    const qs = [];
    let mkey = MK[i];
    for (let q = OS[i]; q < OE[i]; q += 1 + OPARGS[o[q]]) { qs.push(q); if (o[q] === OP.M) mkey++; }
    for (let k = qs.length - 1; k >= 0; k--) {
      const q = qs[k], op = o[q], pid = o[q + 1], v = u.pop();
      if (op === OP.M) mkey--;
      if (op === OP.P) {
        order.pop();
        if (v) procs.set(pid, v); else procs.delete(pid);
        continue;
      }
      if (v === null) continue; // the op found nothing to change
      const p = procs.get(pid);
      switch (op) {
        case OP.X: [p.alive, p.how, p.died] = v; break;
        case OP.N: p.name = v; break;
        case OP.M: back(p.maps, mkey + 1, v); break;
        case OP.U: back(p.maps, o[q + 2], v); break;
        case OP.F: case OP.C: back(p.fds, o[q + 2], v); break;
        case OP.W: procs.get(o[q + 2]).reaped = v; break;
        case OP.T: p.maps.get(o[q + 2]).touched = v; break;
      }
    }
  }
  function goTo(i) {
    i = Math.max(-1, Math.min(i, N - 1));
    prepare(i);
    while (cur < i) apply(++cur);
    while (cur > i) undo(cur--);
  }

  // ---- Selection and stepping.
  let sel = -1;
  function select(i, opts) {
    opts = opts || {};
    sel = i;
    goTo(i);
    if (!opts.noHash && i >= 0 && NO[i]) {
      const h = "#step=" + NO[i];
      if (location.hash !== h) history.replaceState(null, "", h);
    }
    if (!opts.noScroll) scrollToSel();
    schedule();
  }
  function scrollToSel() {
    const list = $("list");
    const k = visAt(sel);
    if (k >= nVis || vis[k] !== sel) return;
    const top = offs[k], bottom = offs[k + 1];
    if (top < list.scrollTop) list.scrollTop = top - 4;
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight + 4;
  }
  function step(d) {
    if (nVis === 0) return false;
    let k = visAt(sel);
    if (d > 0) k = k < nVis && vis[k] === sel ? k + 1 : k;
    else k = k - 1;
    if (k < 0) { if (sel !== -1) { select(-1); return true; } return false; }
    if (k >= nVis) return false;
    select(vis[k]);
    return true;
  }
  const firstStep = () => select(-1);
  const lastStep = () => { if (nVis) select(vis[nVis - 1]); };
  // following: the page shows the latest step, so a live page moves on
  // as calls come.
  const following = () => nVis === 0 || sel === vis[nVis - 1];

  let timer = 0;
  function play(on) {
    clearInterval(timer);
    timer = 0;
    if (on) {
      timer = setInterval(() => {
        if (!step(1) && (!META.live || done)) play(false);
      }, 1000 / parseFloat($("speed").value));
    }
    $("play").textContent = timer ? "❚❚" : "▶";
    $("play").setAttribute("aria-pressed", timer ? "true" : "false");
  }

  // ---- Drawing, once per frame at most.
  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  }
  let drawn = false;
  function draw() {
    if (!drawn) mark("frame"); // waiting for the first frame
    // The list's geometry read before anything is written: the layout
    // the last frame left is still good, and none is forced here.
    const list = $("list");
    const top = list.scrollTop, h = list.clientHeight || 400;
    drawChrome();
    drawRows(top, h);
    drawDetail();
    drawSpace();
    if (!drawn) { mark("draw"); drawn = true; }
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }
  const secs = (us) => (us / 1e6).toFixed(6);
  function dur(us) {
    if (us < 1000) return us + " µs";
    if (us < 1e6) return (us / 1000).toFixed(2) + " ms";
    return (us / 1e6).toFixed(2) + " s";
  }
  function size(n) {
    const u = ["B", "KiB", "MiB", "GiB", "TiB"];
    let k = 0;
    while (n >= 1024 && k < u.length - 1) { n /= 1024; k++; }
    return (k === 0 || n >= 100 || n === Math.floor(n) ? n.toFixed(0) : n.toFixed(1)) + " " + u[k];
  }
  function perm(prot, shared) {
    return (prot & 1 ? "r" : "-") + (prot & 2 ? "w" : "-") + (prot & 4 ? "x" : "-") + (shared ? "s" : "p");
  }
  const base = (p) => { const s = p.replace(/\/+$/, ""); const i = s.lastIndexOf("/"); return i >= 0 ? s.slice(i + 1) : s; };

  function drawChrome() {
    document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
    for (const el of document.querySelectorAll("[data-t]")) el.title = tr(el.dataset.t);
    $("lang").textContent = tr("langBtn");
    $("lang").title = tr("langTitle");
    $("labels").hidden = !!META.stable;
    $("labels").textContent = useLabels ? tr("labelsOn") : tr("labelsOff");
    $("search").placeholder = tr("search");
    $("onlyerrText").textContent = tr("onlyErr");
    $("tlHead").textContent = tr("timeline");
    $("treeHead").textContent = tr("tree");
    const m = byNo.length - 1;
    $("stepno").textContent = sel >= 0 ? tr("step", { n: NO[sel] || "", m }) : tr("stepNone", { m });
    $("spHead").textContent = sel >= 0 ? tr("space", { n: NO[sel] || "" }) : tr("spaceNone");
    $("release").textContent = tr("release");
    $("runon").textContent = tr("runon");
    $("stepgroup").hidden = !META.step;
    $("release").disabled = $("runon").disabled = !waiting;
    let st = "";
    if (META.live) {
      if (waiting) st = '<span class="waiting">' + esc(tr("waitingFor", { p: pidText(waiting.p), c: relabel(waiting.call, true) })) + "</span>";
      else if (done) st = esc(tr("endedLive"));
      else st = esc(lost ? tr("lost") : tr("live"));
    }
    $("status").innerHTML = unreadable ? esc(unreadable) : st;
    $("legend").innerHTML =
      '<span><i class="sw" style="background:' + OBJCOL[0] + '"></i>' + esc(tr("lShared")) + "</span>" +
      '<span><i class="sw" style="background:#e9edf1;border:2px dashed #8a929c"></i>' + esc(tr("lPrivate")) + "</span>" +
      '<span><i class="sw" style="background:repeating-linear-gradient(135deg,#c9cfd6 0 4px,#e9edf1 4px 8px)"></i>' + esc(tr("lCow")) + "</span>";
  }

  function rowClass(r) {
    let c = "row";
    if (r.e) c += " err";
    if (r.k === "s" || r.k === "t") c += " sig";
    if (r.k === "x") c += " exit" + (r.g ? " killed" : "");
    if (r.w) c += " restart";
    if (r.r) c += " rep";
    if (r.u) c += " unfinished";
    if (r.i === sel) c += " sel";
    return c;
  }
  function drawRows(top, h) {
    let a = Math.max(0, upper(offs, nVis + 1, top) - 1 - 4);
    let b = Math.min(nVis, upper(offs, nVis + 1, top + h) + 4);
    let html = "";
    for (let k = a; k < b; k++) {
      const i = vis[k], r = rec(i);
      const line = lineOf(r);
      let fold = "";
      if (r.reps) {
        fold = expanded.has(i)
          ? '<button class="fold" data-fold="' + i + '">' + esc(tr("fewer")) + "</button>"
          : '<button class="fold" data-fold="' + i + '" title="' + esc(tr("moreTitle", { n: r.reps })) + '">' + esc(tr("more", { n: r.reps })) + "</button>";
      } else if (r.m) {
        fold = '<span class="fold" title="' + esc(tr("repeatedTitle")) + '">' + esc(tr("repeated")) + "</span>";
      }
      html += '<div class="' + rowClass(r) + '" data-i="' + i + '" style="top:' + offs[k] + "px;height:" + (offs[k + 1] - offs[k]) + 'px">' +
        '<div class="head"><span class="no">' + r.no + '</span><span class="pid" style="background:' + pidColour(r.p) + '">' + esc(pidText(r.p)) + "</span>" +
        (META.stable ? "" : '<span class="time">' + secs(r.t || 0) + "</span>") +
        '<span class="line" title="' + esc(line) + '">' + esc(line) + "</span>" + fold + "</div>";
      for (const n of notesOf(r)) html += '<div class="note" title="' + esc(n) + '">' + esc(n) + "</div>";
      html += "</div>";
    }
    $("rows").innerHTML = html;
  }
  // upper returns the first k < n with a[k] > x, or n.
  function upper(a, n, x) {
    let lo = 0, hi = n;
    while (lo < hi) { const m = (lo + hi) >> 1; if (a[m] <= x) lo = m + 1; else hi = m; }
    return lo;
  }

  function drawDetail() {
    const el = $("detail");
    if (sel < 0) { el.innerHTML = '<span class="meta">' + esc(tr("noSel")) + "</span>"; return; }
    const r = rec(sel);
    let meta = tr("step", { n: r.no, m: byNo.length - 1 }) + " · " + pidText(r.p);
    if (r.h) meta += " (" + pidText(r.h) + ")";
    if (!META.stable) meta += " · " + tr("at", { t: secs(r.t || 0) });
    if (r.k === "c" && !META.stable && r.d) meta += " · " + tr("took", { d: dur(r.d) });
    let html = '<div class="meta">' + esc(meta) + "</div>" + '<div class="dline">' + esc(lineOf(r)) + "</div>";
    const extra = [];
    if (r.u) extra.push(tr("never"));
    if (r.w) extra.push(tr("restarted"));
    if (r.e) extra.push(tr("failed", { e: r.e }));
    if (r.reps) extra.push(tr("moreTitle", { n: r.reps }));
    const ns = notesOf(r);
    if (extra.length) html += '<div class="meta">' + esc(extra.join(" · ")) + "</div>";
    if (ns.length) html += "<ul>" + ns.map((n) => "<li>" + esc(n) + "</li>").join("") + "</ul>";
    el.innerHTML = html;
  }

  // ---- The address space and the process tree.
  let showInitial = false;
  function status(p) {
    if (p.alive) return tr("running");
    let m = /killed by (\S+)/.exec(p.how);
    let s = m ? tr("killed", { s: m[1] }) : (m = /exited with (-?\d+)/.exec(p.how)) ? tr("exited", { n: m[1] }) : p.how === "detached" ? tr("detached") : p.how;
    if (p.reaped >= 0) s += ", " + tr("reaped");
    return s;
  }
  function drawTree() {
    const el = $("tree");
    if (order.length === 0) { el.innerHTML = ""; return; }
    const depth = new Map();
    const rowOf = new Map();
    const ROW = 30;
    let svg = "", w = 0;
    order.forEach((p, k) => {
      const d = depth.has(p.parent) ? depth.get(p.parent) + 1 : 0;
      depth.set(p.pid, d);
      rowOf.set(p.pid, k);
    });
    const cur = sel >= 0 ? P[sel] : 0;
    const nodes = [];
    order.forEach((p, k) => {
      const x = 10 + depth.get(p.pid) * 28, y = 6 + k * ROW;
      const label = pidText(p.pid) + (p.name ? " · " + p.name : "") + " — " + status(p);
      const wd = 16 + label.length * 8.2;
      nodes.push({ p, x, y, wd });
      w = Math.max(w, x + wd + 60);
      svg += '<g class="' + (p.alive ? "alive" : "dead") + (p.pid === cur ? " cur" : "") + '" data-pid="' + p.pid + '">' +
        '<rect class="node" x="' + x + '" y="' + y + '" width="' + wd + '" height="22" rx="5" fill="' + (p.alive ? "#fff" : "#f1f3f5") + '" stroke="' + pidColour(p.pid) + '" stroke-width="2"/>' +
        '<text class="name" x="' + (x + 8) + '" y="' + (y + 16) + '">' + esc(label) + "</text></g>";
    });
    const at = new Map(nodes.map((n) => [n.p.pid, n]));
    let arrows = "";
    for (const n of nodes) {
      const pa = at.get(n.p.parent);
      if (!pa || rowOf.get(n.p.parent) >= rowOf.get(n.p.pid)) continue;
      const x0 = pa.x + 12, y0 = pa.y + 22, y1 = n.y + 11;
      arrows += '<path class="fork" d="M' + x0 + "," + y0 + " V" + y1 + " H" + (n.x - 2) + '" marker-end="url(#mt-fork)"><title>fork</title></path>';
      if (n.p.reaped >= 0) {
        const xa = n.x + n.wd, ya = n.y + 11, xb = pa.x + pa.wd, yb = pa.y + 11;
        const bend = Math.max(xa, xb) + 30;
        arrows += '<path class="wait" d="M' + xa + "," + ya + " C" + bend + "," + ya + " " + bend + "," + yb + " " + (xb + 2) + "," + yb + '" marker-end="url(#mt-wait)"><title>wait</title></path>';
      }
    }
    const h = 12 + order.length * ROW;
    el.innerHTML = '<svg width="' + Math.ceil(w) + '" height="' + h + '" viewBox="0 0 ' + Math.ceil(w) + " " + h + '" role="img">' +
      '<defs><marker id="mt-fork" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1b4f8a"/></marker>' +
      '<marker id="mt-wait" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#7b3f9e"/></marker></defs>' +
      arrows + svg + "</svg>" +
      '<div id="treeLegend" class="meta" style="font-size:13px;color:#4a5260"><span style="color:#1b4f8a">━▶ ' + esc(tr("lFork")) + '</span> &nbsp; <span style="color:#7b3f9e">╌▶ ' + esc(tr("lWait")) + "</span></div>";
  }

  function kindText(m) {
    if (m.flags & 16) return tr("devZero");
    if (m.flags & 2) return m.flags & 1 ? tr("anonShared") : tr("anonPrivate");
    return m.flags & 1 ? tr("fileShared") : tr("filePrivate");
  }
  function drawSpace() {
    drawTree();
    const alive = order.filter((p) => p.alive);
    const cols = $("cols");
    if (alive.length === 0) {
      cols.innerHTML = '<p class="empty">' + esc(tr("noProc")) + "</p>";
      $("links").innerHTML = "";
      return;
    }
    // Who maps each object: for the badges and the links.
    const holders = new Map();
    for (const p of alive) {
      for (const m of p.maps.values()) {
        if (m.flags & 4 && !showInitial) continue;
        let h = holders.get(m.obj);
        if (!h) holders.set(m.obj, (h = []));
        if (!h.includes(p.pid)) h.push(p.pid);
      }
    }
    const curPid = sel >= 0 ? P[sel] : 0;
    let html = "";
    for (const p of alive) {
      const maps = [...p.maps.values()].sort((a, b) => addrOrder(a) - addrOrder(b));
      let body = "", initN = 0, initSize = 0;
      for (const m of maps) {
        if (m.flags & 4) { initN++; initSize += m.size; if (!showInitial) continue; }
        body += block(p, m, holders.get(m.obj) || []);
      }
      if (initN > 0) {
        body = '<div class="initial" data-initial="1">' + esc(tr("initial", { n: initN, size: size(initSize) })) + " — " +
          esc(showInitial ? tr("initialHide") : tr("initialShow")) + "</div>" + body;
      }
      if (maps.length === 0) body = '<div class="empty">' + esc(tr("noMaps")) + "</div>";
      const fds = [...p.fds.keys()].sort((a, b) => a - b);
      let ft = '<table class="fds"><caption>' + esc(tr("fds")) + "</caption>";
      if (fds.length === 0) ft += '<tr><td class="empty">' + esc(tr("noFds")) + "</td></tr>";
      for (const n of fds) {
        const f = p.fds.get(n);
        const acc = ["r", "w", "rw"][f.flags & 3] || "?";
        const path = relabel(f.path, false);
        ft += '<tr><td class="n">' + n + '</td><td class="acc">' + acc + '</td><td title="' + esc(path) + '">' + esc(base(path) || path) + "</td></tr>";
      }
      ft += "</table>";
      const parent = p.parent && procs.has(p.parent) ? tr("childOf", { p: pidText(p.parent) }) : "";
      html += '<div class="col' + (p.pid === curPid ? " cur" : "") + '" data-pid="' + p.pid + '">' +
        '<h3><span class="pid" style="background:' + pidColour(p.pid) + '">' + esc(pidText(p.pid)) + '</span><span class="nm">' + esc(p.name || "") + "</span></h3>" +
        (parent ? '<div class="sub">' + esc(parent) + "</div>" : "") + body + ft + "</div>";
    }
    cols.innerHTML = html;
    drawLinks();
  }
  // addrOrder places a mapping: by its address; when stable, addresses
  // are labels, and the mappings go in the order they came.
  const addrNum = new Map();
  function addrOrder(m) {
    if (!/^0x/.test(m.addr)) return m.key;
    let n = addrNum.get(m.addr);
    if (n === undefined) addrNum.set(m.addr, (n = parseInt(m.addr, 16)));
    return n;
  }
  function block(p, m, holders) {
    const shared = !!(m.flags & 1);
    const pages = Math.max(1, Math.ceil(m.size / PAGE));
    const others = holders.filter((q) => q !== p.pid);
    const cow = !shared && others.length > 0;
    const name = m.path ? relabel(base(m.path), false) || m.path : tr("anonymous");
    const h = Math.min(150, 50 + 12 * Math.log2(pages));
    let cls = "map " + (shared ? "shared" : "private") + (cow ? " cow" : "") + (sel >= 0 && m.at === sel ? " new" : "");
    const style = shared ? "background:" + objColour(m.obj) : "";
    let facts = size(m.size) + " · " + pages + " " + (pages === 1 ? tr("page1") : tr("pages")) + " · " + perm(m.prot, shared);
    const addr = m.addr ? relabel(m.addr, false) : "";
    let badges = '<span class="badge">' + esc(kindText(m)) + "</span>";
    if (cow) badges += '<span class="badge">' + esc(tr("cow")) + "</span>";
    if (m.flags & 8) badges += '<span class="badge">' + esc(tr("deleted")) + "</span>";
    if (others.length) badges += '<span class="badge link">' + esc(tr(shared ? "sharedWith" : "cowWith", { l: others.map(pidText).join(", ") })) + "</span>";
    let touched = "";
    if (m.touched !== undefined) {
      const f = Math.min(1, m.touched / pages);
      touched = '<div class="pages" title="' + esc(tr("touched", { n: m.touched, m: pages })) + '"><i style="width:' + (100 * f).toFixed(1) + '%"></i></div>';
    }
    const title = (m.path || tr("anonymous")) + "\n" + (addr ? addr + " · " : "") + facts + (m.off ? " · offset " + m.off : "");
    return '<div class="' + cls + '" data-obj="' + m.obj + '" data-key="' + m.key + '" style="min-height:' + h.toFixed(0) + "px;" + style + '" title="' + esc(title) + '">' +
      '<div class="mname">' + esc(name) + (addr ? " @ " + esc(addr) : "") + "</div>" +
      '<div class="mfacts">' + esc(facts) + "</div>" + touched + '<div class="badges">' + badges + "</div></div>";
  }
  function drawLinks() {
    const wrap = $("colwrap"), svg = $("links");
    const box = wrap.getBoundingClientRect();
    const byObj = new Map();
    for (const el of $("cols").querySelectorAll(".map")) {
      const o = el.dataset.obj;
      if (!byObj.has(o)) byObj.set(o, []);
      byObj.get(o).push(el);
    }
    let paths = "";
    for (const [o, els] of byObj) {
      if (els.length < 2) continue;
      const shared = els[0].classList.contains("shared");
      for (let k = 1; k < els.length; k++) {
        const a = els[k - 1].getBoundingClientRect(), b = els[k].getBoundingClientRect();
        const x0 = a.right - box.left, y0 = a.top + a.height / 2 - box.top;
        const x1 = b.left - box.left, y1 = b.top + b.height / 2 - box.top;
        const mid = (x0 + x1) / 2;
        paths += '<path class="link' + (shared ? "" : " cow") + '" data-obj="' + o + '" stroke="' + (shared ? objColour(+o) : "#8a929c") +
          '" d="M' + x0.toFixed(1) + "," + y0.toFixed(1) + " C" + mid.toFixed(1) + "," + y0.toFixed(1) + " " + mid.toFixed(1) + "," + y1.toFixed(1) + " " + x1.toFixed(1) + "," + y1.toFixed(1) + '"/>';
      }
    }
    svg.setAttribute("viewBox", "0 0 " + Math.max(1, box.width) + " " + Math.max(1, box.height));
    svg.innerHTML = paths;
  }

  // ---- Events.
  $("first").onclick = () => firstStep();
  $("prev").onclick = () => step(-1);
  $("next").onclick = () => step(1);
  $("last").onclick = () => lastStep();
  $("play").onclick = () => play(!timer);
  $("speed").onchange = () => { if (timer) play(true); };
  $("lang").onclick = () => { lang = lang === "zh" ? "en" : "zh"; if (query) { rebuild(); } schedule(); };
  $("labels").onclick = () => { useLabels = !useLabels; if (useLabels) scanLabels(); schedule(); };
  let searchTimer = 0;
  $("search").oninput = () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { query = $("search").value.trim().toLowerCase(); rebuild(); scrollToSel(); schedule(); }, 120);
  };
  $("onlyerr").onchange = () => { onlyErr = $("onlyerr").checked; rebuild(); scrollToSel(); schedule(); };
  $("list").addEventListener("scroll", () => schedule(), { passive: true });
  $("rows").addEventListener("click", (ev) => {
    const f = ev.target.closest("[data-fold]");
    if (f) {
      const i = +f.dataset.fold;
      if (expanded.has(i)) expanded.delete(i); else expanded.add(i);
      rebuild();
      schedule();
      ev.stopPropagation();
      return;
    }
    const row = ev.target.closest(".row");
    if (row) select(+row.dataset.i, { noScroll: true });
  });
  $("cols").addEventListener("click", (ev) => {
    if (ev.target.closest("[data-initial]")) { showInitial = !showInitial; schedule(); }
  });
  // A new size changes the list's height: the selected row kept in sight.
  window.addEventListener("resize", () => { if (sel >= 0) scrollToSel(); schedule(); });
  document.addEventListener("keydown", (ev) => {
    const tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    let handled = true;
    switch (ev.key) {
      case "ArrowRight": step(1); break;
      case "ArrowLeft": step(-1); break;
      case "Home": firstStep(); break;
      case "End": lastStep(); break;
      case " ": if (tag === "button") { handled = false; break; } play(!timer); break;
      default: handled = false;
    }
    if (handled) ev.preventDefault();
  });
  function fromHash() {
    const m = /step=(\d+)/.exec(location.hash);
    if (!m) return false;
    const no = +m[1];
    if (no < 1 || no >= byNo.length) return false;
    const i = byNo[no];
    if ((F[i] & FL.rep) && !expanded.has(HEAD[i])) { expanded.add(HEAD[i]); rebuild(); }
    select(i, { noHash: true });
    return true;
  }
  window.addEventListener("hashchange", () => fromHash());
  async function post(path) {
    try { await fetch(path, { method: "POST" }); } catch (e) { /* the trace ended */ }
  }
  $("release").onclick = () => post("next");
  $("runon").onclick = () => post("run");

  // ---- Start: the records in the page, then (live) those that come.
  let lost = false, connected = false;
  // readData returns the trace the page holds: JSON, or a big trace
  // packed (varints, gzip, base64; batch.go's pack says how).
  async function readData() {
    const el = $("mmtrace-data");
    if (el.dataset.encoding !== "packed gzip base64") {
      const text = el.textContent;
      mark("read");
      const d = JSON.parse(text);
      mark("parse");
      return d;
    }
    const text = el.textContent; // base64 with no line breaks (page.go)
    let bytes;
    if (Uint8Array.fromBase64) bytes = Uint8Array.fromBase64(text);
    else {
      const bin = atob(text);
      bytes = new Uint8Array(bin.length);
      for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    }
    mark("read");
    // A stream made here, not a Blob's: a Blob's bytes go through the
    // browser's other processes and back. Read chunk by chunk: a
    // Response's arrayBuffer() or text() of it takes several times
    // longer than the inflating.
    const input = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
    const reader = input.pipeThrough(new DecompressionStream("gzip")).getReader();
    const parts = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
    const raw = new Uint8Array(size);
    for (let k = 0, at = 0; k < parts.length; at += parts[k].length, k++) raw.set(parts[k], at);
    mark("inflate");
    const d = unpack(raw);
    mark("parse");
    return d;
  }
  // unpack reads a packed trace (batch.go's pack) as one batch, its
  // columns typed arrays over the bytes, which ingest reads as it reads
  // a JSON batch's arrays: no loop over the numbers here.
  function unpack(u8) {
    let at = 0;
    const uint = () => {
      let u = 0, mul = 1, c;
      do { c = u8[at++]; u += (c & 127) * mul; mul *= 128; } while (c >= 128);
      return u;
    };
    if (uint() !== 2) throw new Error("unknown data format");
    const done = uint() === 1;
    let n = uint();
    const s = JSON.parse(new TextDecoder().decode(u8.subarray(at, at + n)));
    at += n;
    n = uint();
    const b = { s, k: u8.subarray(at, at + n) };
    at += n;
    const views = { 1: Int8Array, 2: Int16Array, 4: Int32Array, 8: Float64Array };
    for (const name of ["p", "h", "t", "d", "l", "f", "n", "nv", "z", "zv", "e", "c", "o"]) {
      n = uint();
      const w = u8[at++], View = views[w], out = uint();
      if (!View) throw new Error("unknown data format");
      at += (w - at % w) % w;
      let v = new View(u8.buffer, u8.byteOffset + at, n);
      at += n * w;
      if (out > 0) {
        // The numbers too big for the width, put back.
        at += (8 - at % 8) % 8;
        const big = new Float64Array(u8.buffer, u8.byteOffset + at, 2 * out);
        at += 16 * out;
        let wide = false;
        for (let j = 1; j < big.length; j += 2) if (big[j] !== (big[j] | 0)) wide = true;
        v = wide ? new Float64Array(v) : new Int32Array(v);
        for (let j = 0; j < big.length; j += 2) v[big[j]] = big[j + 1];
      } else if (name === "o" && w < 4) {
        v = new Int32Array(v); // ingest writes pids, keys and objects in
      }
      b[name] = v;
    }
    if (b.t.length === 0) b.t = b.d = null; // stable: no times
    return { done, b: [b] };
  }
  // The start's phases, in ms each, for the tests' log: mark(name)
  // closes the phase that ran since the last mark.
  const timing = {};
  let lastMark = started;
  function mark(name) {
    const now = performance.now();
    timing[name] = (timing[name] || 0) + now - lastMark;
    lastMark = now;
  }
  let unreadable = "";
  function start(DATA) {
    mark("wait");
    {
      // Room for every record in the page at once.
      let n = 0, nv = 0, zv = 0;
      for (const b of DATA.b) if (b.k) { n += b.k.length; nv += b.nv.length; zv += b.zv.length; }
      grow(n, nv, zv);
    }
    for (const b of DATA.b) ingest(b);
    done = DATA.done;
    mark("ingest");
    rebuild();
    mark("list");
    if (!fromHash()) {
      if (nVis) select(vis[0], { noHash: true });
      else schedule();
    }
    mark("select");
    if (META.live) {
      const es = new EventSource("events");
      es.onopen = () => { connected = true; };
      es.onmessage = (ev) => {
        lost = false;
        const follow = following();
        ingest(JSON.parse(ev.data));
        if (useLabels) scanLabels();
        appendVis(visFrom);
        if (follow && nVis) select(vis[nVis - 1]);
        else schedule();
      };
      es.addEventListener("wait", (ev) => { waiting = JSON.parse(ev.data); schedule(); });
      es.addEventListener("end", () => { done = true; waiting = null; es.close(); schedule(); });
      es.onerror = () => { if (!done) { lost = true; schedule(); } };
    }
    requestAnimationFrame(() => {
      // load: from the navigation's start, the page's bytes read and
      // parsed too.
      mark("frame");
      window.mmtraceTiming = Object.assign({ script: performance.now() - started, load: performance.now(), records: N }, timing);
      window.mmtraceReady = true;
    });
  }
  readData().then(start, (err) => {
    unreadable = tr("unreadable", { e: String(err) });
    $("status").textContent = unreadable;
    throw err;
  });
  // For the tests and the curious: what the trace holds, and how long
  // the page took to start.
  window.mmtrace = {
    // find returns the steps whose line matches re, with their process.
    find: (re, kind) => {
      const rx = new RegExp(re), out = [];
      for (let no = 1; no < byNo.length; no++) {
        const i = byNo[no];
        if ((!kind || K[i] === kind.charCodeAt(0)) && rx.test(S[L[i]])) out.push({ no, pid: P[i], line: S[L[i]] });
      }
      return out;
    },
    steps: () => byNo.length - 1,
    step: () => (sel >= 0 ? NO[sel] : 0),
    done: () => done,
    connected: () => connected,
  };
})();
