#!/usr/bin/env python3
"""Print the URI of the first Debian mirror this machine's apt takes SUITE from (main).

Reads /etc/apt/sources.list and /etc/apt/sources.list.d/ (one-line and deb822 formats), so
that scripts never name a host. Exit 1 when no source carries SUITE.
Usage: apt_mirror.py SUITE
"""
import glob
import sys


def one_line_sources(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if not words or words[0] != "deb":
                continue
            words = words[1:]
            if words and words[0].startswith("["):
                while words and not words[0].endswith("]"):
                    words.pop(0)
                words = words[1:]
            if len(words) >= 3:
                yield words[0], [words[1]], words[2:]


def deb822_sources(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        stanzas = f.read().split("\n\n")
    for stanza in stanzas:
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.split()
        if "deb" not in fields.get("types", []) or fields.get("enabled", ["yes"]) == ["no"]:
            continue
        for uri in fields.get("uris", []):
            yield uri, fields.get("suites", []), fields.get("components", [])


def main(suite):
    paths = [("one", p) for p in ["/etc/apt/sources.list"]
             + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]
    paths += [("822", p) for p in sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))]
    for kind, path in paths:
        try:
            entries = list(one_line_sources(path) if kind == "one" else deb822_sources(path))
        except OSError:
            continue
        for uri, suites, components in entries:
            if suite in suites and "main" in components:
                print(uri.rstrip("/"))
                return 0
    print(f"apt_mirror: no apt source carries '{suite}' main", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]) if len(sys.argv) == 2 else 2)
