#!/usr/bin/python3
"""Turns the results of bench/scanning/run.sh into a table and a Markdown fragment.

  report.py RESULTS_DIR CORPUS_DIR COMMAND PARALLEL
"""
import json
import os
import platform
import statistics
import subprocess
import sys

R, CORPUS, COMMAND, PARALLEL = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def load(name):
    with open(os.path.join(R, name)) as f:
        return json.load(f)


def times(name):
    with open(os.path.join(R, name)) as f:
        # time(1) puts "Command exited with non-zero status N" first when clamscan found something
        return [float(x) for x in f.read().strip().splitlines()[-1].split()]


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001 - a missing tool only loses a line of the machine description
        return "?"


compare, proc = load("compare.json"), load("clamd-process.json")
moat, clamd = compare["moat"], compare["clamd"]
moat["load"], moat["memory"] = compare["load"], compare["memory"]
loads = [load("load-%d.json" % i) for i in (1, 2, 3)]
cs_loads = [times("clamscan-load-%d.time" % i) for i in (1, 2, 3)]
cs_load_1m = times("clamscan-load-1m.time")
cs_time = times("clamscan.time")          # elapsed, max RSS kB, user, sys

files = {}
for group in sorted(os.listdir(CORPUS)):
    for f in os.listdir(os.path.join(CORPUS, group)):
        files["%s/%s" % (group, f)] = os.path.getsize(os.path.join(CORPUS, group, f))
n_files, n_bytes = len(files), sum(files.values())

cs_found, cs_errors = {}, {}
prefix = os.path.abspath(CORPUS) + "/"
with open(os.path.join(R, "clamscan.out")) as f:
    for line in f:
        line = line.rstrip("\n")
        if not line.startswith(prefix):
            continue
        path, _, verdict = line[len(prefix):].partition(": ")
        if verdict.endswith(" FOUND"):
            cs_found[path] = verdict[:-6]
        elif verdict != "OK":
            cs_errors[path] = verdict

cs_elapsed = cs_time[0]
cs_load_s = statistics.median(t[0] for t in cs_loads)
mt, ct = moat["total"], clamd["total"]
moat_hwm = moat["memory"]["VmHWM_kb"]
clamd_hwm = proc["after_scan"]["VmHWM_kb"]
load_ms = [l["load_ms"] for l in loads]


def ratio(a, b):
    return "%.2f×" % (a / b) if b else "–"


def mib(kb):
    return "%.0f MiB" % (kb / 1024)


def fmt(x, digits=1):
    return ("{:,.%df}" % digits).format(x)


# Detection parity
m_set, c_set, s_set = set(moat["infected"]), set(clamd["infected"]), set(cs_found)
parity = []
for name, a in (("Moat", m_set), ("clamd", c_set), ("clamscan", s_set)):
    for other, b in (("Moat", m_set), ("clamd", c_set), ("clamscan", s_set)):
        if name < other and a != b:
            parity.append("%s only: %s; %s only: %s" % (name, sorted(a - b) or "none", other, sorted(b - a) or "none"))

cpu = open("/proc/cpuinfo").read()
model = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("model name")), platform.machine())
mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
machine = "%s cores (nproc), %s, %.1f GiB RAM, Linux %s; .NET %s; %s" % (
    sh("nproc"), model, mem_kb / 1048576, platform.release(), sh("dotnet", "--version"), sh("clamd", "--version"))

rows = [
    ("messages/s (whole corpus)", fmt(mt["messages_per_s"]), fmt(ct["messages_per_s"]), fmt(n_files / cs_elapsed), ratio(mt["messages_per_s"], ct["messages_per_s"])),
    ("MB/s (whole corpus)", fmt(mt["mb_per_s"], 2), fmt(ct["mb_per_s"], 2), fmt(n_bytes / 1e6 / cs_elapsed, 2), ratio(mt["mb_per_s"], ct["mb_per_s"])),
    ("time for the corpus", "%.1f s" % mt["seconds"], "%.1f s" % ct["seconds"], "%.1f s (incl. load)" % cs_elapsed, ratio(ct["seconds"], mt["seconds"]) + " faster" if mt["seconds"] < ct["seconds"] else ratio(mt["seconds"], ct["seconds"]) + " slower"),
    ("CPU seconds for the corpus", "%.1f" % mt["cpu_seconds"], "%.1f (clamd alone)" % ct["cpu_seconds"], "%.1f" % (cs_time[2] + cs_time[3]), ratio(mt["cpu_seconds"], ct["cpu_seconds"])),
    ("MB per CPU second", fmt(n_bytes / 1e6 / mt["cpu_seconds"], 2), fmt(n_bytes / 1e6 / ct["cpu_seconds"], 2), fmt(n_bytes / 1e6 / (cs_time[2] + cs_time[3]), 2), ratio(ct["cpu_seconds"], mt["cpu_seconds"])),
    ("peak memory (VmHWM)", mib(moat_hwm), mib(clamd_hwm), mib(cs_time[1]), ratio(moat_hwm, clamd_hwm)),
    ("peak memory once the set is loaded", mib(moat["load"]["memory_after_load"]["VmHWM_kb"]), mib(proc["after_load"]["VmHWM_kb"]), "–", ratio(moat["load"]["memory_after_load"]["VmHWM_kb"], proc["after_load"]["VmHWM_kb"])),
    ("resident once the set is loaded (VmRSS)", mib(moat["load"]["memory_after_load"]["VmRSS_kb"]), mib(proc["after_load"]["VmRSS_kb"]), "–", ratio(moat["load"]["memory_after_load"]["VmRSS_kb"], proc["after_load"]["VmRSS_kb"])),
    ("loading the 110,001 signatures", "%.0f ms" % moat["load"]["load_ms"], "%d ms (start to PONG)" % proc["ready_ms"], "%.0f ms (whole process)" % (cs_load_s * 1000), ratio(moat["load"]["load_ms"], proc["ready_ms"])),
    ("messages flagged", str(len(m_set)), str(len(c_set)), str(len(s_set)), ""),
    ("errors", str(len(moat["errors"])), str(len(clamd["errors"])), str(len(cs_errors)), ""),
]

group_rows = []
for g in moat["groups"]:
    m, c = moat["groups"][g], clamd["groups"].get(g)
    if not c:
        continue
    group_rows.append((g, m["messages"], m["bytes"] / m["messages"] / 1024, m["messages_per_s"], c["messages_per_s"], m["mb_per_s"], c["mb_per_s"], ratio(m["messages_per_s"], c["messages_per_s"]), m["cpu_seconds"], c["cpu_seconds"]))

goals = [
    ("≥ 2× clamd's messages/s", mt["messages_per_s"] >= 2 * ct["messages_per_s"], ratio(mt["messages_per_s"], ct["messages_per_s"])),
    ("≥ 2× clamd's MB/s", mt["mb_per_s"] >= 2 * ct["mb_per_s"], ratio(mt["mb_per_s"], ct["mb_per_s"])),
    ("peak memory ≤ clamd's", moat_hwm <= clamd_hwm, "%s vs %s" % (mib(moat_hwm), mib(clamd_hwm))),
    ("1,000,000 hashes load in < 2 s", max(load_ms) < 2000, ", ".join("%.0f ms" % x for x in load_ms)),
    ("same messages flagged", not parity, "; ".join(parity) or "all agree"),
]

# ---- plain table ----
out = []
out.append("%-32s %-16s %-28s %-26s %s" % ("", "Moat", "clamd INSTREAM", "clamscan", "Moat/clamd"))
for r in rows:
    out.append("%-32s %-16s %-28s %-26s %s" % r)
out.append("")
out.append("%-14s %6s %9s %12s %12s %10s %10s %7s %9s %9s" % ("folder", "msgs", "avg KiB", "Moat msg/s", "clamd msg/s", "Moat MB/s", "clamd MB/s", "ratio", "Moat CPU", "clamd CPU"))
for g in group_rows:
    out.append("%-14s %6d %9.1f %12.1f %12.1f %10.2f %10.2f %7s %9.2f %9.2f" % g)
out.append("")
out.append("1,000,000 .hdb lines: Moat %s (3 fresh processes); clamscan -d 1m.hdb /dev/null %.2f s, %s" % (
    ", ".join("%.0f ms" % x for x in load_ms), cs_load_1m[0], mib(cs_load_1m[1])))
out.append("clamd: %s; clamscan load alone (median of 3) %.2f s" % (proc["loaded"], cs_load_s))
for name, ok, detail in goals:
    out.append("goal %-34s %s  (%s)" % (name, "MET" if ok else "NOT MET", detail))
if moat["errors"] or clamd["errors"] or cs_errors:
    out.append("errors: moat %s clamd %s clamscan %s" % (
        list(moat["errors"].items())[:3], list(clamd["errors"].items())[:3], list(cs_errors.items())[:3]))
print("\n".join(out))

# ---- markdown ----
md = []
md.append("<!-- markdown -->")
md.append("Command: `%s` · corpus %s messages, %.1f MB · %d at a time · median of %d rounds · machine: %s" % (COMMAND, fmt(n_files, 0), n_bytes / 1e6, PARALLEL, compare["rounds"], machine))
md.append("")
md.append("| | Moat | clamd (INSTREAM) | clamscan | Moat / clamd |")
md.append("|---|---:|---:|---:|---:|")
for r in rows:
    md.append("| %s | %s | %s | %s | %s |" % r)
md.append("")
md.append("| corpus folder | messages | average size | Moat msg/s | clamd msg/s | Moat MB/s | clamd MB/s | Moat / clamd | CPU s Moat | CPU s clamd |")
md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for g in group_rows:
    md.append("| %s | %s | %.1f KiB | %s | %s | %.2f | %.2f | %s | %.2f | %.2f |" % (g[0], fmt(g[1], 0), g[2], fmt(g[3]), fmt(g[4]), g[5], g[6], g[7], g[8], g[9]))
md.append("")
md.append("Loading 1,000,000 .hdb lines: Moat %s (three fresh processes); for reference `clamscan -d` of the same file on an empty file: %.2f s for the whole process." % (
    ", ".join("%.0f ms" % x for x in load_ms), cs_load_1m[0]))
md.append("")
md.append("| goal | result | |")
md.append("|---|---|---|")
for name, ok, detail in goals:
    md.append("| %s | %s | %s |" % (name, "met" if ok else "**not met**", detail))
print("\n".join(md))
