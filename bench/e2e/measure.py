#!/usr/bin/python3
"""Measurement helper for bench/e2e/run.sh (standard library only).

Sub-commands:
  freeport N                 print N free TCP ports on 127.0.0.1
  waitsmtp HOST PORT SECS    wait until a 220 greeting is read (exit 1 on timeout)
  phase ...                  run smtp-source once, time it, count arrivals at smtp-sink,
                             sample the memory and CPU of the system under test; JSON out
  report ...                 turn the per-phase JSON files into a text table and Markdown

Every loop here is bounded by a deadline.
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- small helpers

def freeport(count):
    socks, ports = [], []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    print(" ".join(str(p) for p in ports))


def waitsmtp(host, port, secs):
    if not host.startswith("127."):
        sys.exit("waitsmtp: loopback addresses only")
    deadline = time.monotonic() + secs
    last = ""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=2) as s:
                s.settimeout(max(0.5, min(5, deadline - time.monotonic())))
                data = s.recv(512).decode("latin-1", "replace")
                if data.startswith("220"):
                    try:
                        s.sendall(b"QUIT\r\n")
                        s.recv(512)
                    except OSError:
                        pass
                    return 0
                last = data.strip()
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    print(f"waitsmtp: no 220 greeting from {host}:{port} within {secs}s (last: {last})", file=sys.stderr)
    return 1


def read_stat(pid):
    """(ppid, utime+stime, cutime+cstime) in clock ticks, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode("latin-1")
    except OSError:
        return None
    rest = raw[raw.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); field N is rest[N-3]
    ppid = int(rest[1])
    own = int(rest[11]) + int(rest[12])
    children = int(rest[13]) + int(rest[14])
    return ppid, own, children


def children_of(root):
    kids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = read_stat(int(name))
        if st and st[0] == root:
            kids.append(int(name))
    return kids


def tree_pids(root, with_children):
    return [root] + (children_of(root) if with_children else [])


def cpu_ticks(root, with_children):
    """CPU of root (including reaped children) plus live direct children, in ticks.

    Postfix's master reaps every daemon it started, so a daemon's whole CPU time lands in the
    master's cutime when it exits; the difference of two readings is exact for the interval."""
    st = read_stat(root)
    if st is None:
        return None
    total = st[1] + st[2]
    if with_children:
        for pid in children_of(root):
            c = read_stat(pid)
            if c:
                total += c[1] + c[2]
    return total


def mem_kb(pid):
    """(pss_kb, rss_kb) of one process, (0, 0) when it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class CounterFile:
    """Follows a file that a program appends '...mesg=N\\r' (smtp-sink -c) or 'N\\r' (smtp-source -c)
    records to, and returns the last complete value."""

    def __init__(self, path, pattern):
        self.path = path
        self.pattern = re.compile(pattern)
        self.offset = 0
        self.tail = b""
        self.value = 0
        self.fh = None

    def read(self):
        if self.fh is None:
            try:
                self.fh = open(self.path, "rb")
            except OSError:
                return self.value
        self.fh.seek(self.offset)
        chunk = self.fh.read()
        if chunk:
            self.offset += len(chunk)
            buf = self.tail + chunk
            cut = max(buf.rfind(b"\r"), buf.rfind(b"\n"))
            if cut >= 0:
                complete, self.tail = buf[:cut], buf[cut + 1:]
                records = [r for r in re.split(rb"[\r\n]", complete) if r]
                for rec in reversed(records):
                    m = self.pattern.search(rec.decode("latin-1"))
                    if m:
                        self.value = int(m.group(1))
                        break
            else:
                self.tail = buf[-4096:]
        return self.value

    def close(self):
        if self.fh:
            self.fh.close()


# --------------------------------------------------------------------------- one phase

def phase(a):
    sink = CounterFile(a.sink_out, r"mesg=(\d+)")
    base = sink.read()
    sink_cpu0 = cpu_ticks(a.sink_pid, False) if a.sink_pid else None
    sut_cpu0 = cpu_ticks(a.sut_pid, a.sut_tree) if a.sut_pid else None

    src_out = open(a.source_out, "wb")
    src_err = open(a.source_err, "wb")
    ru0 = os.times()
    t0 = time.monotonic()
    proc = subprocess.Popen(a.source_cmd, stdout=src_out, stderr=src_err, stdin=subprocess.DEVNULL)
    exit_time = []
    waiter = threading.Thread(target=lambda: (proc.wait(), exit_time.append(time.monotonic())), daemon=True)
    waiter.start()

    def on_term(signum, frame):
        # run.sh stops us on error or interrupt: take smtp-source down too
        if proc.poll() is None:
            proc.kill()
        sys.exit(128 + signum)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    src_count = CounterFile(a.source_out, r"^(\d+)$")

    t_src = t_e2e = None
    src_rc = None
    outcome = "ok"
    target = a.messages
    peak_pss = peak_rss = peak_nproc = 0
    next_sample = t0
    last_progress = t0
    last_seen = (0, 0)
    hard_deadline = t0 + a.timeout

    while True:
        now = time.monotonic()
        if src_rc is None and exit_time:
            rc = proc.returncode
            if rc is not None:
                src_rc = rc
                t_src = exit_time[0] - t0
                src_err.flush()
                with open(a.source_err, "rb") as f:
                    rejected = sum(1 for line in f if b": warning: " in line)
                if rc == 0:
                    # smtp-source -A logs one warning per refused command; those messages never arrive
                    target = a.messages - rejected
                else:
                    # it gave up (fatal error): only what it completed can arrive
                    target = min(a.messages, src_count.read())
                    outcome = f"smtp-source exit {rc}"
        delivered = sink.read() - base
        if t_e2e is None and delivered >= a.messages:
            t_e2e = max(time.monotonic() - t0, t_src or 0)
        if src_rc is not None and (t_e2e is not None or delivered >= target):
            break
        seen = (delivered, src_count.read())
        if seen != last_seen:
            last_seen = seen
            last_progress = now
        if a.sut_pid and now >= next_sample:
            pids = tree_pids(a.sut_pid, a.sut_tree)
            pss = rss = 0
            for pid in pids:
                p, r = mem_kb(pid)
                pss += p
                rss += r
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            peak_nproc = max(peak_nproc, len(pids))
            next_sample = now + a.sample
        if now - last_progress > a.stall:
            outcome = f"stalled: no progress for {a.stall}s"
            break
        if now > hard_deadline:
            outcome = f"timeout after {a.timeout}s"
            break
        time.sleep(a.poll)

    if src_rc is None:  # stalled or timed out with smtp-source still running
        proc.send_signal(signal.SIGTERM)
        try:
            src_rc = proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            src_rc = proc.wait(5)
    ru1 = os.times()
    sink_cpu1 = cpu_ticks(a.sink_pid, False) if a.sink_pid else None
    sut_cpu1 = cpu_ticks(a.sut_pid, a.sut_tree) if a.sut_pid else None
    if t_e2e is not None and a.settle > 0:
        # anything arriving after all N would be a duplicate delivery
        time.sleep(a.settle)
    if t_e2e is not None and t_src is not None:
        t_e2e = max(t_e2e, t_src)  # smtp-sink counts a message just before its 250 reply
    src_out.close()
    src_err.close()
    delivered = sink.read() - base
    sink.close()
    src_count.close()

    with open(a.source_err, "rb") as f:
        err_lines = f.read().decode("latin-1", "replace").splitlines()
    warnings = [l for l in err_lines if ": warning: " in l]
    fatals = [l for l in err_lines if ": fatal: " in l]

    accepted = a.messages - len(warnings) if src_rc == 0 else min(src_count.value, a.messages)
    res = {
        "name": a.name,
        "messages": a.messages,
        "source_rc": src_rc,
        "source_sent": src_count.value,
        "rejected": len(warnings),
        "fatal": fatals[:5],
        "warnings_sample": warnings[:5],
        "accept_seconds": t_src,
        "accepted": accepted,
        "accept_rate": accepted / t_src if t_src else None,
        "delivered": delivered,
        "e2e_seconds": t_e2e,
        "e2e_rate": a.messages / t_e2e if t_e2e and delivered >= a.messages else None,
        "outcome": (f"only {delivered} of {a.messages} arrived" if outcome == "ok" and delivered < a.messages
                    else f"{delivered - a.messages} more than sent arrived (duplicates)"
                    if outcome == "ok" and delivered > a.messages else outcome),
        "source_cpu_seconds": (ru1.children_user + ru1.children_system
                               - ru0.children_user - ru0.children_system),
    }
    if sink_cpu0 is not None:
        c1 = sink_cpu1
        res["sink_cpu_seconds"] = (c1 - sink_cpu0) / CLK_TCK if c1 is not None else None
    if a.sut_pid:
        c1 = sut_cpu1
        res["sut_cpu_seconds"] = (c1 - sut_cpu0) / CLK_TCK if c1 is not None and sut_cpu0 is not None else None
        res["sut_alive"] = read_stat(a.sut_pid) is not None
        res["peak_pss_kb"] = peak_pss
        res["peak_rss_kb"] = peak_rss
        res["peak_processes"] = peak_nproc
        res["vmhwm_kb"] = status_kb(a.sut_pid, "VmHWM")
    with open(a.json, "w") as f:
        json.dump(res, f, indent=1)
    ok = res["outcome"] == "ok"
    print(f"  {a.name}: accepted {accepted}/{a.messages} in "
          f"{t_src if t_src is None else round(t_src, 2)} s, arrived {delivered}"
          f"{'' if t_e2e is None else f' after {t_e2e:.2f} s'}; {res['outcome']}", file=sys.stderr)
    return 0 if ok else 3


# --------------------------------------------------------------------------- report

def fmt(v, nd=0):
    if v is None:
        return "n/a"
    return f"{v:,.{nd}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}"


def report(a):
    with open(a.meta) as f:
        meta = json.load(f)
    phases = {}
    for path in a.json:
        with open(path) as f:
            r = json.load(f)
        phases[r["name"]] = r
    order = [n for n in ("limit", "peer", "moat") if n in phases]
    labels = {"limit": "limit: smtp-source → smtp-sink",
              "peer": "peer: → Postfix relay → smtp-sink",
              "moat": "moat: → Moat → smtp-sink"}

    def mem(r):
        if "peak_pss_kb" not in r:
            return "—"
        s = f"{r['peak_pss_kb'] / 1024:,.0f} MB PSS"
        if r["name"] == "moat" and r.get("vmhwm_kb"):
            s += f" (VmHWM {r['vmhwm_kb'] / 1024:,.0f} MB)"
        elif r["name"] == "peer":
            s += f" ({r['peak_processes']} procs, RSS sum {r['peak_rss_kb'] / 1024:,.0f} MB)"
        return s

    def cpu(r):
        c = r.get("sut_cpu_seconds")
        if c is None:
            return "—"
        return f"{c:.1f} s ({1000 * c / max(1, r['delivered']):.2f} ms/msg)"

    rows = []
    for n in order:
        r = phases[n]
        secs = f"{fmt(r['accept_seconds'], 2)} / {fmt(r['e2e_seconds'], 2)}"
        rows.append([labels[n], fmt(r["accept_rate"]), fmt(r["e2e_rate"]), secs,
                     f"{r['delivered']:,}/{r['messages']:,}", str(r["rejected"]),
                     cpu(r), mem(r), r["outcome"]])
    head = ["run", "accepted msg/s", "end-to-end msg/s", "seconds (acc. / e2e)", "arrived", "refused", "SUT CPU", "SUT peak memory", "outcome"]

    ratios = []
    # a ratio only between runs that delivered everything
    m, p, l = (phases.get(n) if n in phases and phases[n]["outcome"] == "ok" else None
               for n in ("moat", "peer", "limit"))
    if m and p:
        ratios.append(("Moat / Postfix", ratio(m["accept_rate"], p["accept_rate"]), ratio(m["e2e_rate"], p["e2e_rate"])))
        cpu_m = m.get("sut_cpu_seconds") and m["sut_cpu_seconds"] / max(1, m["delivered"])
        cpu_p = p.get("sut_cpu_seconds") and p["sut_cpu_seconds"] / max(1, p["delivered"])
        extra_ratios = [("Moat / Postfix, CPU per message", ratio(cpu_m, cpu_p)),
                        ("Moat / Postfix, peak memory (PSS)", ratio(m.get("peak_pss_kb"), p.get("peak_pss_kb")))]
    else:
        extra_ratios = []
    if m and l:
        ratios.append(("Moat / limit", ratio(m["accept_rate"], l["accept_rate"]), ratio(m["e2e_rate"], l["e2e_rate"])))
    if p and l:
        ratios.append(("Postfix / limit", ratio(p["accept_rate"], l["accept_rate"]), ratio(p["e2e_rate"], l["e2e_rate"])))

    # ---- plain text
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    out = []
    out.append(f"Moat end-to-end benchmark, {meta['date']}")
    out.append(f"command: {meta['command']}")
    out.append(f"load: {meta['messages']} messages of {meta['size']} body bytes, {meta['sessions']} sessions, "
               f"{meta['connection_mode']}; warm-up {meta['warmup']} messages per run (not timed)")
    out.append(f"machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['mem']} RAM, kernel {meta['kernel']}; "
               f"{meta['fs']}")
    out.append("")
    out.append("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)))
    for row in rows:
        out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)))
    out.append("")
    for name, acc, e2e in ratios:
        out.append(f"{name:16s} accepted {acc:>5}   end-to-end {e2e:>5}")
    for name, r in extra_ratios:
        out.append(f"{name}: {r}")
    text = "\n".join(out)

    # ---- markdown
    md = []
    md.append(f"### Run of {meta['date']}")
    md.append("")
    md.append(f"- Command: `{meta['command']}`")
    md.append(f"- Load: {meta['messages']:,} messages, {meta['size']:,} body bytes each, {meta['sessions']} parallel "
              f"sessions, {meta['connection_mode']}; {meta['warmup']:,} untimed warm-up messages before each run")
    md.append(f"- Machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['mem']} RAM, Linux {meta['kernel']}; "
              f"{meta['fs']}")
    md.append(f"- Versions: {meta['versions']}")
    md.append("")
    md.append("| " + " | ".join(head) + " |")
    md.append("|" + "|".join("---" if i == 0 or i == len(head) - 1 else "---:" for i in range(len(head))) + "|")
    for row in rows:
        md.append("| " + " | ".join(row) + " |")
    md.append("")
    if ratios:
        md.append("| ratio | accepted | end-to-end |")
        md.append("|---|---:|---:|")
        for name, acc, e2e in ratios:
            md.append(f"| {name} | {acc} | {e2e} |")
        md.append("")
    if extra_ratios:
        md.append("; ".join(f"{name}: {r}" for name, r in extra_ratios) + ".")
        md.append("")
    failed = [n for n in order if phases[n]["outcome"] != "ok"]
    if failed:
        md.append(f"No ratios for {', '.join(failed)}: that run did not complete (see below).")
        md.append("")
        out.append(f"no ratios for {', '.join(failed)}: that run did not complete")
        text = "\n".join(out)
    problems = []
    for n in order:
        r = phases[n]
        if r["outcome"] != "ok" or r["rejected"] or r["fatal"] or r.get("sut_alive") is False:
            detail = f"{n}: {r['outcome']}"
            if r["source_rc"] and f"exit {r['source_rc']}" not in detail:
                detail += f"; smtp-source exit {r['source_rc']}"
            detail += f"; {r['accepted']:,} of {r['messages']:,} accepted, {r['delivered']:,} arrived, {r['rejected']} refused"
            if r["fatal"]:
                detail += "; " + " / ".join(r["fatal"])
            if r["warnings_sample"]:
                detail += "; e.g. " + " / ".join(r["warnings_sample"][:2])
            if r.get("sut_alive") is False:
                detail += "; the process under test was gone at the end"
            problems.append(detail)
    if problems:
        md.append("Problems seen:")
        md.append("")
        for p_ in problems:
            md.append(f"- {p_}")
        md.append("")
    markdown = "\n".join(md)

    print(text)
    print()
    print("----- Markdown for docs/benchmarks.md -----")
    print(markdown)
    print("----- end -----")
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(markdown + "\n")
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("freeport")
    p.add_argument("count", type=int)
    p = sub.add_parser("waitsmtp")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("secs", type=float)
    p = sub.add_parser("phase")
    p.add_argument("--name", required=True)
    p.add_argument("--messages", type=int, required=True)
    p.add_argument("--sink-out", required=True)
    p.add_argument("--sink-pid", type=int)
    p.add_argument("--sut-pid", type=int)
    p.add_argument("--sut-tree", action="store_true", help="add the live children of --sut-pid (Postfix master)")
    p.add_argument("--source-out", required=True)
    p.add_argument("--source-err", required=True)
    p.add_argument("--json", required=True)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--stall", type=float, default=60)
    p.add_argument("--poll", type=float, default=0.01)
    p.add_argument("--sample", type=float, default=0.5)
    p.add_argument("--settle", type=float, default=2, help="seconds to keep counting after all arrived")
    p.add_argument("source_cmd", nargs=argparse.REMAINDER)
    p = sub.add_parser("report")
    p.add_argument("--meta", required=True)
    p.add_argument("--markdown")
    p.add_argument("json", nargs="+")
    a = ap.parse_args()
    if a.cmd == "freeport":
        freeport(a.count)
        return 0
    if a.cmd == "waitsmtp":
        return waitsmtp(a.host, a.port, a.secs)
    if a.cmd == "phase":
        if a.source_cmd and a.source_cmd[0] == "--":
            a.source_cmd = a.source_cmd[1:]
        return phase(a)
    return report(a)


if __name__ == "__main__":
    sys.exit(main())
