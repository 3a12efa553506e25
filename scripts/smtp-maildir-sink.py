#!/usr/bin/python3
"""A test SMTP server that stores every message it accepts, byte for byte, in a Maildir.

Used by scripts/test-servers.sh for the integration tests. aiosmtpd's own Mailbox handler re-generates each
message through Python's email package before saving it, which re-folds headers; the tests must see what
actually came over the wire, so this handler writes the DATA bytes unchanged (after SMTP dot-unstuffing) and
only prepends Return-Path, X-Original-To, X-Peer (the client's address and port, so tests can count the
connections a client used) and X-Transfer (DATA or BDAT), as a delivery agent would.

Recipients whose local part starts with "reject-" get 550 and those starting with "defer-" get 450, so clients'
handling of permanent and temporary refusals can be tested against a real server. Scripted misbehaviours, also
chosen by the recipient's local part: "throttle-" gets 421 and the connection is closed (a throttling provider),
"busy-" gets 451 after the whole message was sent, "drop-" has the connection closed after DATA without any
reply (nothing stored), "cut-" has the connection closed in the middle of the message's DATA (after its first
line), and "slow-" is answered only after --slow-seconds (a server past the client's timeout).

Listeners in one process: a plain one, optionally one that requires STARTTLS and AUTH (LOGIN/PLAIN with a fixed
test user) to exercise a client's TLS and credential handling, and optionally one with TLS from the first byte
(implicit TLS, as on port 465), optionally one like the STARTTLS one that offers only AUTH LOGIN (clients must
fall back to it), optionally a plain one that offers SMTPUTF8 (RFC 6531) for non-ASCII addresses, and optionally a
plain one that takes at most --limit-messages messages per connection and then says 421 and closes the connection
(as providers with a per-connection limit do), without waiting for the client's next command, so that the client
finds its pooled connection dead when it next uses it, and optionally a plain one that offers CHUNKING (RFC 3030:
the message as BDAT chunks, not dot-stuffed DATA). 8BITMIME is offered on every listener.
"""

import argparse
import asyncio
import itertools
import os
import signal
import socket
import ssl
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class RawMaildirHandler:
    def __init__(self, maildir, slow_seconds=5.0):
        self.maildir = maildir
        self.slow_seconds = slow_seconds
        self.counter = itertools.count(1)
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if getattr(server, "chunking", False):
            responses.insert(len(responses) - 1, "250-CHUNKING")   # before the closing "250 HELP"
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject-"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: test sink refuses reject-*"
        if address.lower().startswith("defer-"):
            return f"450 4.2.1 <{address}>: Mailbox busy: test sink defers defer-*"
        if address.lower().startswith("throttle-"):
            # Closed right after the reply goes out, as a throttling server does (RFC 5321 3.8).
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.7.0 Too many messages, slow down: test sink throttles throttle-*"
        if address.lower().startswith("slow-"):
            await asyncio.sleep(self.slow_seconds)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if any(r.lower().startswith("drop-") for r in envelope.rcpt_tos):
            server.transport.abort()   # the message arrived, the reply never does
            return None
        if any(r.lower().startswith("busy-") for r in envelope.rcpt_tos):
            return "451 4.3.0 Try again later: test sink is busy for busy-*"
        session.messages_accepted = getattr(session, "messages_accepted", 0) + 1
        peer_host, peer_port = session.peer[0], session.peer[1]
        prefix = (
            f"Return-Path: <{envelope.mail_from}>\r\n"
            f"X-Original-To: {', '.join(envelope.rcpt_tos)}\r\n"
            f"X-Peer: {peer_host}:{peer_port}\r\n"
            f"X-Transfer: {getattr(envelope, 'transfer', 'DATA')}\r\n"
        ).encode("utf-8")
        # Maildir delivery: write under tmp/, then rename into new/ so readers never see half a message.
        name = f"{time.time_ns()}.P{os.getpid()}Q{next(self.counter)}.{socket.gethostname()}"
        tmp_path = os.path.join(self.maildir, "tmp", name)
        with open(tmp_path, "wb") as f:
            f.write(prefix)
            f.write(envelope.original_content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp_path, os.path.join(self.maildir, "new", name))
        # Reply only after the file is in new/: a client that saw 250 can read the message at once.
        return f"250 2.0.0 Ok: saved as {name}"


class TestSMTP(SMTP):
    def __init__(self, *args, message_limit=None, chunking=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.message_limit = message_limit
        self.chunking = chunking
        self._chunks = bytearray()

    async def smtp_BDAT(self, arg):
        # RFC 3030: "BDAT <size> [LAST]" followed by exactly <size> octets, taken as they are (nothing to unstuff).
        if not self.chunking:
            await self.push('500 Error: command "BDAT" not recognized')
            return
        parts = (arg or "").split()
        if not parts or not parts[0].isdigit() or len(parts) > 2 or (len(parts) == 2 and parts[1].upper() != "LAST"):
            await self.push("501 Syntax: BDAT <size> [LAST]")
            return
        self._chunks += await self._reader.readexactly(int(parts[0]))
        if not self.envelope.rcpt_tos:
            self._chunks = bytearray()
            await self.push("503 5.5.1 Error: need RCPT command")
            return
        if len(parts) == 1:
            await self.push(f"250 2.0.0 {parts[0]} octets received")
            return
        self.envelope.original_content = self.envelope.content = bytes(self._chunks)
        self.envelope.transfer = "BDAT"
        self._chunks = bytearray()
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        if status is not None:   # None: the handler dropped the connection
            await self.push(status)

    async def smtp_DATA(self, arg):
        if self.envelope.rcpt_tos and any(r.lower().startswith("cut-") for r in self.envelope.rcpt_tos):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readuntil(b"\r\n")   # the message has begun to arrive...
            self.transport.abort()                    # ...and the connection ends under it
            return
        await super().smtp_DATA(arg)
        if self.message_limit and getattr(self.session, "messages_accepted", 0) >= self.message_limit:
            await self.push(f"421 4.7.0 papermailer-test closing: {self.message_limit} messages per connection")
            self.transport.close()

    async def smtp_AUTH(self, arg):
        # SASL mechanism names are matched case-insensitively by real servers (Postfix, Exchange), and
        # System.Net.Mail sends "AUTH login ..."; aiosmtpd 1.4 compares them case-sensitively and answers 504.
        if arg:
            mechanism, sep, rest = arg.partition(" ")
            arg = mechanism.upper() + sep + rest
        return await super().smtp_AUTH(arg)


def parse_endpoint(text):
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--listen", required=True, help="HOST:PORT of the plain listener")
    parser.add_argument("--starttls-listen", help="HOST:PORT of a listener that requires STARTTLS and AUTH")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth-user", default="papermailer")
    parser.add_argument("--auth-password", default="papermailer-test")
    parser.add_argument("--tls-listen", help="HOST:PORT of a listener with TLS from the first byte (implicit TLS)")
    parser.add_argument("--login-listen", help="HOST:PORT of a STARTTLS + AUTH listener that offers only AUTH LOGIN")
    parser.add_argument("--utf8-listen", help="HOST:PORT of a plain listener that offers SMTPUTF8")
    parser.add_argument("--limit-listen", help="HOST:PORT of a plain listener that closes each connection after --limit-messages")
    parser.add_argument("--limit-messages", type=int, default=3, help="messages per connection on the --limit-listen listener")
    parser.add_argument("--chunking-listen", help="HOST:PORT of a plain listener that offers CHUNKING (BDAT)")
    parser.add_argument("--slow-seconds", type=float, default=5.0, help="how long slow-* recipients wait for their reply")
    args = parser.parse_args()

    handler = RawMaildirHandler(args.maildir, args.slow_seconds)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    host, port = parse_endpoint(args.listen)
    # The Debian package's SMTP class already rejects lines over 1000 octets (RFC 5321 4.5.3.1.6), which is
    # what the tests want a strict receiver to do.
    servers = [loop.run_until_complete(loop.create_server(lambda: TestSMTP(handler, hostname="papermailer-test"), host, port))]

    if args.starttls_listen or args.login_listen:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
        user = args.auth_user.encode("utf-8")
        password = args.auth_password.encode("utf-8")

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
            # handled=False: aiosmtpd sends the 235 or 535 reply itself.
            return AuthResult(success=ok, handled=False)

        def secure_smtp(exclude=None):
            return TestSMTP(handler, hostname="papermailer-test", tls_context=tls, require_starttls=True,
                        auth_required=True, auth_require_tls=True, authenticator=authenticate,
                        auth_exclude_mechanism=exclude)

        if args.starttls_listen:
            tls_host, tls_port = parse_endpoint(args.starttls_listen)
            servers.append(loop.run_until_complete(loop.create_server(secure_smtp, tls_host, tls_port)))
        if args.login_listen:
            login_host, login_port = parse_endpoint(args.login_listen)
            servers.append(loop.run_until_complete(loop.create_server(
                lambda: secure_smtp(exclude=["PLAIN"]), login_host, login_port)))

    if args.utf8_listen:
        utf8_host, utf8_port = parse_endpoint(args.utf8_listen)
        servers.append(loop.run_until_complete(loop.create_server(
            lambda: TestSMTP(handler, hostname="papermailer-test", enable_SMTPUTF8=True), utf8_host, utf8_port)))

    if args.limit_listen:
        limit_host, limit_port = parse_endpoint(args.limit_listen)
        servers.append(loop.run_until_complete(loop.create_server(
            lambda: TestSMTP(handler, hostname="papermailer-test", message_limit=args.limit_messages), limit_host, limit_port)))

    if args.chunking_listen:
        chunking_host, chunking_port = parse_endpoint(args.chunking_listen)
        servers.append(loop.run_until_complete(loop.create_server(
            lambda: TestSMTP(handler, hostname="papermailer-test", chunking=True), chunking_host, chunking_port)))

    if args.tls_listen:
        implicit = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        implicit.load_cert_chain(args.tls_cert, args.tls_key)
        tls_host, tls_port = parse_endpoint(args.tls_listen)
        servers.append(loop.run_until_complete(loop.create_server(
            lambda: TestSMTP(handler, hostname="papermailer-test"), tls_host, tls_port, ssl=implicit)))

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        for server in servers:
            server.close()
        loop.close()


if __name__ == "__main__":
    main()
