#!/usr/bin/python3
"""Parses .eml files with Python's email package and prints what it understood, as JSON.

An independent reading of the messages PaperMailer writes or sends: tests compare it with what they meant to
send. Usage: parse_eml.py [--utf8-headers] FILE... -> a JSON array, one object per file.

--utf8-headers reads the header as UTF-8 (RFC 6532, what an SMTPUTF8 transaction carries) instead of ASCII with
undecodable bytes. Python still reports a NonASCIILocalPartDefect for a non-ASCII local part even then.
"""

import json
import re
import sys
from email import policy
from email.parser import BytesParser, Parser


def unfold(raw):
    # RFC 5322 2.2.3: unfolding removes each CRLF that is followed by whitespace, and nothing else.
    return re.sub(r"\r?\n(?=[ \t])", "", raw).rstrip("\r\n")


def describe_defects(defects):
    return [f"{type(d).__name__}: {d}" for d in defects]


def header_entry(name, raw, parsed):
    entry = {"name": name, "raw": unfold(raw), "value": str(parsed), "defects": describe_defects(parsed.defects)}
    addresses = getattr(parsed, "addresses", None)
    if addresses is not None:
        entry["addresses"] = [{"display_name": a.display_name, "addr_spec": a.addr_spec} for a in addresses]
    return entry


def describe_part(part):
    return {
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "transfer_encoding": part.get("Content-Transfer-Encoding"),
        "content": part.get_content() if part.get_content_maintype() == "text" else None,
        "defects": describe_defects(part.defects),
    }


def describe(path, utf8_headers=False):
    with open(path, "rb") as f:
        if utf8_headers:
            message = Parser(policy=policy.SMTPUTF8).parsestr(f.read().decode("utf-8"))
        else:
            message = BytesParser(policy=policy.default).parse(f)
    headers = [header_entry(name, raw, parsed)
               for (name, raw), (_, parsed) in zip(message.raw_items(), message.items())]
    parts = list(message.iter_parts()) if message.is_multipart() else [message]
    defects = describe_defects(message.defects)
    for entry in headers:
        defects += [f"{entry['name']}: {d}" for d in entry["defects"]]
    for part in parts:
        defects += describe_defects(part.defects)
    return {
        "path": path,
        "content_type": message.get_content_type(),
        "boundary": message.get_boundary(),
        "headers": headers,
        "parts": [describe_part(p) for p in parts],
        "defects": defects,
    }


if __name__ == "__main__":
    utf8 = len(sys.argv) > 1 and sys.argv[1] == "--utf8-headers"
    paths = sys.argv[2:] if utf8 else sys.argv[1:]
    json.dump([describe(p, utf8) for p in paths], sys.stdout, ensure_ascii=True)
