// mmtrace's classroom view: the timeline of a trace and, at the selected
// step, the address space of every live process. Plain script, no
// library, no network but the page's own server when it is live.
//
// The records come in batches (a string table and records, each with the
// ops that say what the event changed in the model). The state at a step
// is never stored: apply() runs the ops forward and keeps in each op what
// it replaced, so that undo() runs them backward. A trace of 100,000 calls
// costs its records and one state.
(function () {
  "use strict";
  const started = performance.now();
  const META = JSON.parse(document.getElementById("mmtrace-meta").textContent);
  const DATA = JSON.parse(document.getElementById("mmtrace-data").textContent);
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
      running: "running", exited: "exited with {n}", killed: "killed by {s}", reaped: "reaped",
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
      running: "运行中", exited: "以状态 {n} 退出", killed: "被 {s} 信号终止", reaped: "已回收",
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
    },
  };
  let lang = META.lang === "zh" ? "zh" : "en";
  const tr = (key, kv) => {
    let s = T[lang][key];
    if (kv) for (const k in kv) s = s.split("{" + k + "}").join(String(kv[k]));
    return s;
  };

  // ---- The trace.
  const S = [];        // string table
  const R = [];        // records
  const byNo = [0];    // step number -> record index
  const lastHead = new Map(); // tid -> the record a repeat folds under
  const pidOrder = new Map(); // pid -> its label's number (P1, P2, …)
  let done = false;
  let waiting = null;

  function notePid(p) {
    if (p > 0 && !pidOrder.has(p)) pidOrder.set(p, pidOrder.size + 1);
  }

  function ingest(b) {
    if (b.p) {
      for (const i of b.p) if (R[i]) R[i].m = 1;
      return;
    }
    if (b.s) for (const s of b.s) S.push(s);
    for (const r of b.r) {
      const i = R.length;
      R.push(r);
      notePid(r.p); notePid(r.h); notePid(r.c);
      if (r.o) for (const op of r.o) if (op[0] === "P") notePid(op[1]);
      if (r.k === "f") continue;
      r.no = byNo.length;
      byNo.push(i);
      const tid = r.h || r.p;
      if (r.r) {
        const h = lastHead.get(tid);
        if (h === undefined) r.r = 0;
        else { r.head = h; R[h].reps = (R[h].reps || 0) + 1; }
      }
      if (!r.r) lastHead.set(tid, i);
    }
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
    for (; scanned < R.length; scanned++) {
      const r = R[scanned];
      if (r.k === "f") continue;
      see(S[r.l]);
      if (r.n) for (const n of r.n) see(S[n]);
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
    const ns = (lang === "zh" ? r.z : r.n) || r.n || [];
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
  let vis = [], offs = [0];
  const lower = [];
  const low = (i) => lower[i] !== undefined ? lower[i] : (lower[i] = S[i].toLowerCase());
  const HEAD = 24, NOTE = 20;
  const rowH = (r) => HEAD + NOTE * Math.max(r.n ? r.n.length : 0, r.z ? r.z.length : 0);
  function passes(r) {
    if (r.k === "f") return false;
    if (r.r && !expanded.has(r.head)) return false;
    if (onlyErr && !(r.e || r.k === "s" || r.g)) return false;
    if (query) {
      if (low(r.l).includes(query)) return true;
      const ns = (lang === "zh" ? r.z : r.n) || [];
      for (const n of ns) if (low(n).includes(query)) return true;
      const pt = pidText(r.p).toLowerCase();
      return pt === query || "p" + (pidOrder.get(r.p) || "") === query || (r.e || "").toLowerCase() === query;
    }
    return true;
  }
  function rebuild() {
    vis = []; offs = [0];
    appendVis(0);
  }
  let visFrom = 0;
  function appendVis(from) {
    if (from === 0) visFrom = 0;
    for (let i = visFrom; i < R.length; i++) {
      const r = R[i];
      if (!passes(r)) continue;
      vis.push(i);
      offs.push(offs[offs.length - 1] + rowH(r));
    }
    visFrom = R.length;
    $("spacer").style.height = offs[offs.length - 1] + "px";
  }
  // visAt returns the position in vis of the first row at or after
  // record i.
  function visAt(i) {
    let lo = 0, hi = vis.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (vis[m] < i) lo = m + 1; else hi = m; }
    return lo;
  }

  // ---- The state at a step, applied forward and undone backward.
  const procs = new Map();
  const order = [];
  let cur = -1; // the last record applied
  function apply(i) {
    const r = R[i];
    if (!r.o) return;
    for (const op of r.o) {
      const pid = op[1];
      if (op[0] === "P") {
        op.u = procs.get(pid);
        const p = { pid, parent: op[2], name: S[op[3]], alive: true, maps: new Map(), fds: new Map(), born: i, how: "", died: -1, reaped: -1 };
        procs.set(pid, p);
        order.push(p);
        continue;
      }
      const p = procs.get(pid);
      if (!p) { op.skip = 1; continue; }
      op.skip = 0;
      switch (op[0]) {
        case "X": op.u = [p.alive, p.how, p.died]; p.alive = false; p.how = S[op[2]]; p.died = i; break;
        case "N": op.u = p.name; p.name = S[op[2]]; break;
        case "M":
          op.u = p.maps.get(op[2]);
          p.maps.set(op[2], { key: op[2], size: op[3], prot: op[4], flags: op[5], path: S[op[6]], off: op[7], obj: op[8], addr: S[op[9]], fsize: op[10], at: i });
          break;
        case "U": op.u = p.maps.get(op[2]); p.maps.delete(op[2]); break;
        case "F": op.u = p.fds.get(op[2]); p.fds.set(op[2], { path: S[op[3]], flags: op[4] }); break;
        case "C": op.u = p.fds.get(op[2]); p.fds.delete(op[2]); break;
        case "W": { const c = procs.get(op[2]); if (c) { op.u = [c.reaped]; c.reaped = i; } else op.skip = 1; break; }
        case "T": { const m = p.maps.get(op[2]); if (m) { op.u = m.touched; m.touched = op[3]; } else op.skip = 1; break; }
      }
    }
  }
  function undo(i) {
    const r = R[i];
    if (!r.o) return;
    for (let k = r.o.length - 1; k >= 0; k--) {
      const op = r.o[k], pid = op[1];
      if (op[0] === "P") {
        order.pop();
        if (op.u) procs.set(pid, op.u); else procs.delete(pid);
        continue;
      }
      if (op.skip) continue;
      const p = procs.get(pid);
      const back = (m, key, v) => { if (v === undefined) m.delete(key); else m.set(key, v); };
      switch (op[0]) {
        case "X": [p.alive, p.how, p.died] = op.u; break;
        case "N": p.name = op.u; break;
        case "M": back(p.maps, op[2], op.u); break;
        case "U": back(p.maps, op[2], op.u); break;
        case "F": back(p.fds, op[2], op.u); break;
        case "C": back(p.fds, op[2], op.u); break;
        case "W": procs.get(op[2]).reaped = op.u[0]; break;
        case "T": p.maps.get(op[2]).touched = op.u; break;
      }
    }
  }
  function goTo(i) {
    i = Math.max(-1, Math.min(i, R.length - 1));
    while (cur < i) apply(++cur);
    while (cur > i) undo(cur--);
  }

  // ---- Selection and stepping.
  let sel = -1;
  function select(i, opts) {
    opts = opts || {};
    sel = i;
    goTo(i);
    if (!opts.noHash && i >= 0 && R[i].no) {
      const h = "#step=" + R[i].no;
      if (location.hash !== h) history.replaceState(null, "", h);
    }
    if (!opts.noScroll) scrollToSel();
    schedule();
  }
  function scrollToSel() {
    const list = $("list");
    const k = visAt(sel);
    if (vis[k] !== sel) return;
    const top = offs[k], bottom = offs[k + 1];
    if (top < list.scrollTop) list.scrollTop = top - 4;
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight + 4;
  }
  function step(d) {
    if (vis.length === 0) return false;
    let k = visAt(sel);
    if (d > 0) k = vis[k] === sel ? k + 1 : k;
    else k = k - 1;
    if (k < 0) { if (sel !== -1) { select(-1); return true; } return false; }
    if (k >= vis.length) return false;
    select(vis[k]);
    return true;
  }
  const firstStep = () => select(-1);
  const lastStep = () => { if (vis.length) select(vis[vis.length - 1]); };
  // following: the page shows the latest step, so a live page moves on
  // as calls come.
  const following = () => vis.length === 0 || sel === vis[vis.length - 1];

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
  function draw() {
    drawChrome();
    drawRows();
    drawDetail();
    drawSpace();
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
    $("stepno").textContent = sel >= 0 ? tr("step", { n: R[sel].no || "", m }) : tr("stepNone", { m });
    $("spHead").textContent = sel >= 0 ? tr("space", { n: R[sel].no || "" }) : tr("spaceNone");
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
    $("status").innerHTML = st;
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
    if (sel >= 0 && R[sel] === r) c += " sel";
    return c;
  }
  function drawRows() {
    const list = $("list");
    const top = list.scrollTop, h = list.clientHeight || 400;
    let a = Math.max(0, upper(offs, top) - 1 - 4);
    let b = Math.min(vis.length, upper(offs, top + h) + 4);
    let html = "";
    for (let k = a; k < b; k++) {
      const i = vis[k], r = R[i];
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
  // upper returns the first k with a[k] > x.
  function upper(a, x) {
    let lo = 0, hi = a.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (a[m] <= x) lo = m + 1; else hi = m; }
    return lo;
  }

  function drawDetail() {
    const el = $("detail");
    if (sel < 0) { el.innerHTML = '<span class="meta">' + esc(tr("noSel")) + "</span>"; return; }
    const r = R[sel];
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
    let s = m ? tr("killed", { s: m[1] }) : (m = /exited with (-?\d+)/.exec(p.how)) ? tr("exited", { n: m[1] }) : p.how;
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
    const cur = sel >= 0 ? R[sel].p : 0;
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
    const curPid = sel >= 0 ? R[sel].p : 0;
    let html = "";
    for (const p of alive) {
      const maps = [...p.maps.values()].sort((a, b) => a.key - b.key);
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
  function block(p, m, holders) {
    const shared = !!(m.flags & 1);
    const pages = Math.max(1, Math.ceil(m.size / (META.page || 4096)));
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
  window.addEventListener("resize", () => schedule());
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
    const r = R[i];
    if (r.r && !expanded.has(r.head)) { expanded.add(r.head); rebuild(); }
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
  const parsed = performance.now();
  for (const b of DATA.b) ingest(b);
  done = DATA.done;
  const ingested = performance.now();
  rebuild();
  const built = performance.now();
  if (!fromHash()) {
    if (vis.length) select(vis[0], { noHash: true });
    else schedule();
  }
  if (META.live) {
    const es = new EventSource("events");
    es.onopen = () => { connected = true; };
    es.onmessage = (ev) => {
      lost = false;
      const follow = following();
      ingest(JSON.parse(ev.data));
      if (useLabels) scanLabels();
      appendVis(visFrom);
      if (follow && vis.length) select(vis[vis.length - 1]);
      else schedule();
    };
    es.addEventListener("wait", (ev) => { waiting = JSON.parse(ev.data); schedule(); });
    es.addEventListener("end", () => { done = true; waiting = null; es.close(); schedule(); });
    es.onerror = () => { if (!done) { lost = true; schedule(); } };
  }
  // For the tests and the curious: what the trace holds, and how long
  // the page took to start.
  window.mmtrace = {
    // find returns the steps whose line matches re, with their process.
    find: (re, kind) => {
      const rx = new RegExp(re), out = [];
      for (let no = 1; no < byNo.length; no++) {
        const r = R[byNo[no]];
        if ((!kind || r.k === kind) && rx.test(S[r.l])) out.push({ no, pid: r.p, line: S[r.l] });
      }
      return out;
    },
    steps: () => byNo.length - 1,
    step: () => (sel >= 0 ? R[sel].no : 0),
    done: () => done,
    connected: () => connected,
  };
  requestAnimationFrame(() => {
    window.mmtraceTiming = { script: performance.now() - started, records: R.length, parse: parsed - started, ingest: ingested - parsed, list: built - ingested };
    window.mmtraceReady = true;
  });
})();
