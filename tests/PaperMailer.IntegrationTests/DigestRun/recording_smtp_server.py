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
Nothing is stored but the log line, so it keeps up with tens of thousands of messages. For the same reason it reads a
message's data up to each ".<CRLF>" rather than line by line as aiosmtpd does (RecordingSMTP.smtp_DATA), in reads of
32 KiB (RecordingSMTP.connection_made): the two took its CPU time per message to a third, on a machine whose cores the
tests share. That DATA uses aiosmtpd's internals as of 1.4 (Debian 12's python3-aiosmtpd: _reader, _call_handler_hook,
_set_post_data_state, check_helo_needed, check_auth_needed); another aiosmtpd may need it adapted.
"""

import argparse
import asyncio
import email
import email.policy
import os
import re
import signal

from aiosmtpd.smtp import MISSING, SMTP, syntax

MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE)
PAPER_LINK = re.compile(r"/abs/(\d{4}\.\d{4,5})")
# The line that ends a message's data (RFC 5321 4.1.1.4), found after the CRLF that ends the line before it.
END_OF_DATA = b".\r\n"


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
        # asyncio receives into a new buffer of 256 KiB for every read; for messages of some 20 KB that allocation cost
        # more than the rest of the read. 32 KiB reads took the server's CPU time per message down by about 40%.
        transport.max_size = 32 * 1024
        super().connection_made(transport)

    def connection_lost(self, error):
        super().connection_lost(error)
        self.recording.log.write("002\t\t\t\n")

    @syntax("DATA")
    async def smtp_DATA(self, arg):
        """aiosmtpd's DATA with the same checks and replies, reading up to each ".<CRLF>" instead of line by line."""
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        data = bytearray()
        try:
            while True:
                try:
                    data += await self._reader.readuntil(END_OF_DATA)
                except asyncio.LimitOverrunError as e:
                    # More than the stream's limit without ".<CRLF>": take what cannot hold its start, and go on.
                    data += await self._reader.readexactly(e.consumed)
                    continue
                # ".<CRLF>" ends the data only as a line of its own: at the start, or after a CRLF.
                if len(data) == len(END_OF_DATA) or data.endswith(b"\r\n" + END_OF_DATA):
                    break
        except asyncio.CancelledError:
            # The connection was lost during DATA (aiosmtpd cancels the command when it sees the end of the stream).
            self._writer.close()
            raise
        del data[-len(END_OF_DATA):]
        if self.data_size_limit and len(data) > self.data_size_limit:
            await self.push("552 Error: Too much mail data")
            self._set_post_data_state()
            return
        # Undo dot-stuffing (RFC 5321 4.5.2): a line's leading dot goes.
        if data.startswith(b"."):
            del data[0]
        content = bytes(data.replace(b"\r\n.", b"\r\n"))
        if content and max(map(len, content.split(b"\r\n"))) + 2 > self.line_length_limit:
            await self.push("500 Line too long (see RFC5321 4.5.3.1.6)")
            self._set_post_data_state()
            return
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


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
