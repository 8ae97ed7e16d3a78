"""test_docs.py - every relative link and every path in backquotes that README.md and
ARCHITECTURE.md give as a repository file exists in the repository (a link to a file outside
it, such as ../shared/, leads nowhere for someone who cloned it). Speaks TAP."""
import os
import re
import sys

SOURCE = os.environ.get('TCPT_SOURCE_ROOT', '')
DOCS = ['README.md', 'ARCHITECTURE.md']
LINK = re.compile(r'\]\(([^)#\s]+)(?:#[^)]*)?\)')


def broken_links(doc):
    with open(os.path.join(SOURCE, doc), encoding='utf-8') as f:
        text = f.read()
    bad = []
    for target in LINK.findall(text):
        if re.match(r'^[a-z]+:', target):
            continue  # a URL
        path = os.path.normpath(os.path.join(SOURCE, target))
        if not path.startswith(SOURCE + os.sep) or not os.path.exists(path):
            bad.append(target)
    for target in re.findall(r'`(\.\./[^`\s]+)`', text):
        bad.append(target)  # a path outside the repository
    return bad


def main():
    if not SOURCE:
        print('1..0 # SKIP run through meson test (TCPT_SOURCE_ROOT)')
        return 0
    print('1..%d' % len(DOCS))
    failed = 0
    for n, doc in enumerate(DOCS, 1):
        bad = broken_links(doc) if os.path.exists(os.path.join(SOURCE, doc)) else ['(missing)']
        print('%s %d - %s links only to files of the repository'
              % ('not ok' if bad else 'ok', n, doc))
        for b in bad:
            print('#   leads nowhere: %s' % b)
        failed += bool(bad)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
