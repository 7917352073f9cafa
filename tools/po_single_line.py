"""Write every translation of a .po file on one line.

gettext tools break strings at their newlines, so that a translated entry may start
with an empty ``msgstr ""`` line: checks that look for untranslated entries by that
line would count it. One quoted line per msgstr is the same PO, easier to grep.
    python tools/po_single_line.py i18n/de.po
"""

import re
import sys
from pathlib import Path

CONTINUATION = re.compile(r'^"(.*)"$')


def single_line(text):
    out, lines, index = [], text.split("\n"), 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line == 'msgstr ""' and out and not out[-1].startswith('msgid ""'):
            pieces = []
            while index < len(lines) and CONTINUATION.match(lines[index]):
                pieces.append(CONTINUATION.match(lines[index]).group(1))
                index += 1
            out.append(f'msgstr "{"".join(pieces)}"')
            continue
        out.append(line)
    return "\n".join(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(single_line(path.read_text(encoding="utf-8")), encoding="utf-8")
