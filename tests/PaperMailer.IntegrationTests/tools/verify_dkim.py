#!/usr/bin/python3
"""Verifies the DKIM signature of each message with Debian's python3-dkim, the public key given directly.

Usage: verify_dkim.py TXT_RECORD_VALUE FILE...   ("v=DKIM1; k=rsa; p=..." as it would be published in DNS)
Prints one JSON object per file: {"path": ..., "valid": true|false, "error": ...}. No DNS is queried: every
key lookup is answered with the record given.
"""

import json
import sys

import dkim


def main():
    record = sys.argv[1].encode("ascii")
    results = []
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            message = f.read()
        error = None
        try:
            valid = bool(dkim.verify(message, dnsfunc=lambda name, timeout=5: record))
        except dkim.DKIMException as e:
            valid, error = False, str(e)
        results.append({"path": path, "valid": valid, "error": error})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
