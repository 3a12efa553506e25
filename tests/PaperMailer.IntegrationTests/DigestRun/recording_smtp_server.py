#!/usr/bin/python3
"""An SMTP server for the digest-run tests that writes down what it was given, and can be told to refuse or stall.

Started by a test for itself (port chosen by the system, printed as "listening PORT" on stdout). Every message that
reaches the end of DATA is written to --log as one line, "CODE<TAB>RECIPIENTS<TAB>MESSAGE-ID<TAB>PAPERS", before the
reply goes out: a client that saw 250 finds its message there. CODE is 250 for a message taken, or the code of the
refusal. Lines with CODE 001 and 002 mark a connection opened and closed, so that a test can tell when no client is
left (after killing one, say). PAPERS (with --papers) are the arXiv ids the text part links to (/abs/ID), comma-separated.

Behaviour is switched while it runs through files in --control (read for every message):
  refuse   exists: every message is refused after DATA with the file's first line (default "451 4.3.0 ...")
  delay    a number of seconds to wait before the reply to DATA, after the message is taken (a slow server: a client
           killed meanwhile never learns that its message arrived, as with a real MTA that queued it)
Nothing is stored but the log line, so it keeps up with tens of thousands of messages.
"""

import argparse
import asyncio
import email
import email.policy
import os
import re
import signal

from aiosmtpd.smtp import SMTP

MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE)
PAPER_LINK = re.compile(r"/abs/(\d{4}\.\d{4,5})")


class RecordingHandler:
    def __init__(self, log_path, control_dir, papers):
        self.log = open(log_path, "a", encoding="utf-8", buffering=1)
        self.control_dir = control_dir
        self.papers = papers

    def _control(self, name):
        try:
            with open(os.path.join(self.control_dir, name), encoding="utf-8") as f:
                return f.read().strip()
        except FileNotFoundError:
            return None

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        head = content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        message_id = found.group(1).decode("utf-8", "replace").strip() if found else "-"
        recipients = ",".join(envelope.rcpt_tos)
        papers = ""
        if self.papers:
            body = email.message_from_bytes(content, policy=email.policy.default).get_body(("plain",))
            ids = PAPER_LINK.findall(body.get_content()) if body is not None else []
            papers = ",".join(dict.fromkeys(ids))
        refusal = self._control("refuse")
        if refusal is not None:
            reply = refusal.splitlines()[0] if refusal else "451 4.3.0 Try again later: the test server refuses for now"
        else:
            reply = "250 2.0.0 Ok: recorded"
        self.log.write(f"{reply[:3]}\t{recipients}\t{message_id}\t{papers}\n")
        delay = self._control("delay")
        if delay:
            await asyncio.sleep(float(delay))
        return reply


class RecordingSMTP(SMTP):
    def __init__(self, handler, **kwargs):
        super().__init__(handler, **kwargs)
        self.recording = handler

    def connection_made(self, transport):
        self.recording.log.write("001\t\t\t\n")
        super().connection_made(transport)

    def connection_lost(self, error):
        super().connection_lost(error)
        self.recording.log.write("002\t\t\t\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--papers", action="store_true", help="also log the arXiv ids each message's text part links to")
    args = parser.parse_args()

    os.makedirs(args.control, exist_ok=True)
    handler = RecordingHandler(args.log, args.control, args.papers)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(lambda: RecordingSMTP(handler, hostname="papermailer-recording"), args.host, 0))
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        handler.log.close()
        loop.close()


if __name__ == "__main__":
    main()
