#!/usr/bin/env python3
"""Compares moat audit with nmap's SMTP scripts for bench/audit/run.sh and prints a Markdown fragment.

Reads, for each target NAME, out/moat-NAME.json (moat audit --json), .ms and .exit;
out/nmap-NAME.xml (-sV and the scripts, -vv so smtp-enum-users names the method per user) and
.ms; out/nmap-NAME-scripts.ms (the scripts forced, without -sV); out/nmap-NAME-vrfy.xml
(smtp-enum-users with methods VRFY and EXPN only); plus the timings for "all" (one run of each
tool over every target).
Exit status 1 when a check fails: Moat must report every open relay, VRFY/EXPN user enumeration
and product/version nmap reports, and no open relay on the hardened Postfix.
"""
import argparse
import datetime
import json
import os
import socket
import sys
import xml.etree.ElementTree as ET


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def nmap_port(work, name, port, suffix=""):
    root = ET.parse(os.path.join(work, f"nmap-{name}{suffix}.xml")).getroot()
    for element in root.iter("port"):
        if element.get("portid") == str(port):
            service = element.find("service")
            scripts = {s.get("id"): s.get("output", "").strip() for s in element.findall("script")}
            product = service.get("product") if service is not None else None
            version = service.get("version") if service is not None else None
            relay = scripts.get("smtp-open-relay", "")
            users = []
            for line in scripts.get("smtp-enum-users", "").splitlines():
                line = line.strip()
                if ", " in line and line.split(", ", 1)[0] in ("RCPT", "VRFY", "EXPN"):
                    method, user = line.split(", ", 1)
                    users.append((method, user))
            return {
                "product": product,
                "version": version,
                "relay": relay.startswith("Server is an open relay"),
                "relay_text": relay.splitlines()[0] if relay else "(no output)",
                "users": users,
                "enum_text": scripts.get("smtp-enum-users", "(no output)").splitlines()[0] if scripts.get("smtp-enum-users") else "(no output)",
            }
    return None


def smtp_reply(stream):
    """One whole reply: every line up to the one whose fourth character is a space."""
    lines = []
    while True:
        line = stream.readline().decode("latin-1").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return lines


def referee(port, command):
    """Asks the server itself, reading whole replies, what it answers to one VRFY/EXPN (the servers still run)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            stream = s.makefile("rb")
            smtp_reply(stream)
            s.sendall(b"EHLO referee.invalid\r\n")
            smtp_reply(stream)
            s.sendall(command.encode("ascii") + b"\r\n")
            reply = smtp_reply(stream)[-1]
            s.sendall(b"QUIT\r\n")
            return reply
    except OSError as error:
        return f"(no answer: {error})"


def moat_port(work, name, port):
    with open(os.path.join(work, f"moat-{name}.json"), encoding="utf-8") as f:
        doc = json.load(f)
    listener = next(l for l in doc["listeners"] if l["port"] == port and l["address"] == "127.0.0.1")
    target = listener["endpoint"]
    findings = [f for f in doc["findings"] if f["target"] == target]
    ids = {f["id"]: f for f in findings}
    fp = listener["fingerprint"]
    return {
        "product": fp["product"],
        "version": fp["version"],
        "relay": "open-relay" in ids,
        "relay_text": ids["open-relay"]["title"] if "open-relay" in ids else "none of %d probes accepted" % len(listener["relayProbes"]),
        "enum": ids.get("user-enumeration", {}).get("title"),
        "leak": next((f"{f['id']} ({f['severity']})" for f in findings if f["id"] in ("version-leak", "product-leak")), None),
        "above_info": sorted({f"{f['id']} ({f['severity']})" for f in findings if f["severity"] != "info"}),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--target", action="append", default=[], help="NAME=PORT")
    parser.add_argument("--machine", default="")
    parser.add_argument("--command", default="bench/audit/run.sh")
    parser.add_argument("--markdown")
    args = parser.parse_args()

    rows, checks, notes, failed = [], [], [], False
    for spec in args.target:
        name, port = spec.split("=", 1)
        port = int(port)
        nm = nmap_port(args.work, name, port)
        mo = moat_port(args.work, name, port)
        vrfy = nmap_port(args.work, name, port, "-vrfy")
        nm_ms = int(read(os.path.join(args.work, f"nmap-{name}.ms")))
        nm_scripts_ms = int(read(os.path.join(args.work, f"nmap-{name}-scripts.ms")))
        mo_ms = int(read(os.path.join(args.work, f"moat-{name}.ms")))
        exit_code = read(os.path.join(args.work, f"moat-{name}.exit"))

        def check(ok, text):
            nonlocal failed
            checks.append(("ok  " if ok else "FAIL") + f" {name}: {text}")
            failed |= not ok

        if nm["relay"]:
            check(mo["relay"], "nmap reports an open relay; moat " + ("does too" if mo["relay"] else "does not"))
        vrfy_expn = sorted({(m, u) for m, u in nm["users"] + vrfy["users"] if m in ("VRFY", "EXPN")})
        if vrfy_expn:
            # nmap reads one line per command, so a multi-line EHLO reply arriving in two TCP
            # segments leaves "250 …" lines that it takes for the answer to the next VRFY. Ask the
            # server again, reading whole replies, before holding a claim against Moat.
            answers = {(m, u): referee(port, f"{m} {u}") for m, u in vrfy_expn}
            real = [(m, u) for (m, u), reply in answers.items() if reply[:3] in ("250", "251")]
            if real:
                check(mo["enum"] is not None, f"nmap confirms {len(real)} users by VRFY/EXPN (the server repeats 250/251 to a referee); moat " + ("reports it" if mo["enum"] else "does not"))
            for (m, u), reply in answers.items():
                if (m, u) not in real:
                    notes.append(f"{name}: nmap lists \"{m}, {u}\", but the server answers `{m} {u}` with `{reply}`: an nmap false positive (a stale EHLO line read as the reply); moat reports " + (mo["enum"] or "no enumeration"))
        if nm["product"]:
            check(mo["product"] != "unknown", f"nmap identifies {nm['product']}; moat identifies {mo['product']}")
        if nm["version"]:
            check(mo["leak"] is not None and mo["leak"].startswith("version-leak"), f"nmap reads version {nm['version']}; moat: {mo['leak']}")
        if name == "hardened-postfix":
            check(not mo["relay"], "no open-relay finding on the hardened Postfix")
        rcpt = [u for m, u in nm["users"] if m == "RCPT"]
        if rcpt:
            notes.append(f"{name}: nmap lists {len(rcpt)} user(s) by RCPT ({', '.join(rcpt[:3])}{', …' if len(rcpt) > 3 else ''}); "
                         + ("moat reports VRFY enumeration on this server" if mo["enum"] else "moat does not probe RCPT (see docs/audit.md)"))

        nmap_users = ", ".join(sorted({m for m, _ in nm["users"]})) if nm["users"] else "-"
        rows.append([
            f"{name} (:{port})",
            " ".join(x for x in (nm["product"], nm["version"]) if x) or "unrecognised",
            nm["relay_text"],
            (", ".join(u for _, u in nm["users"]) if len(nm["users"]) <= 3 else f"{len(nm['users'])} names") + f" ({nmap_users})" if nm["users"] else nm["enum_text"],
            ", ".join(sorted({u for m, u in vrfy["users"]})) if 0 < len(vrfy["users"]) <= 3 else f"{len(vrfy['users'])} names" if vrfy["users"] else "none",
            f"{nm_ms / 1000:.1f} s / {nm_scripts_ms / 1000:.1f} s",
            " ".join(x for x in (mo["product"], mo["version"]) if x),
            "**yes**, " + mo["relay_text"].split("(", 1)[1].split(":", 1)[0] if mo["relay"] else "no, " + mo["relay_text"],
            mo["enum"] or "-",
            ", ".join(mo["above_info"]) or "nothing above info",
            f"{mo_ms / 1000:.1f} s (exit {exit_code})",
        ])

    all_nmap = int(read(os.path.join(args.work, "nmap-all.ms")))
    all_nmap_scripts = int(read(os.path.join(args.work, "nmap-all-scripts.ms")))
    all_moat = int(read(os.path.join(args.work, "moat-all.ms")))
    with open(os.path.join(args.work, "moat-all.json"), encoding="utf-8") as f:
        counts = json.load(f)["summary"]["counts"]

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"### Run of {now}", ""]
    out.append(f"Command: `{args.command}`. Machine: {args.machine}.")
    out.append("")
    out.append("| target | nmap: service (-sV) | nmap: smtp-open-relay | nmap: smtp-enum-users (users, method) | nmap: users by VRFY/EXPN only | nmap time (-sV + scripts / scripts only) | moat: identified as | moat: open relay | moat: user enumeration | moat: findings above info | moat time |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    out.append("")
    out.append(f"All five targets in one run: nmap {all_nmap / 1000:.1f} s with -sV ({all_nmap_scripts / 1000:.1f} s scripts only), moat audit {all_moat / 1000:.1f} s "
               f"({', '.join(f'{v} {k}' for k, v in counts.items())}).")
    out.append("")
    out.append("Checks:")
    out.append("")
    out.extend(f"- {c}" for c in checks)
    if notes:
        out.append("")
        out.append("Not counted against either tool:")
        out.append("")
        out.extend(f"- {n}" for n in notes)
    text = "\n".join(out) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
