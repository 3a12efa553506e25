#!/usr/bin/env bash
# Starts and stops the real servers the integration tests talk to.
#
#   scripts/test-servers.sh start   start them (unless already running) and print the variables the tests read
#   scripts/test-servers.sh env     print those variables again
#   scripts/test-servers.sh stop    stop them
#
# `eval "$(scripts/test-servers.sh start)"` or `source scripts/test-servers.sh start` puts the variables into
# the current shell. Everything lives under ${TMPDIR:-/tmp}/papermailer-test-servers.
#
# Servers (Debian packages python3-aiosmtpd and openssl; optionally postfix and ssl-cert):
#   PAPERMAILER_TEST_SMTP            plain SMTP; every message is saved byte for byte in PAPERMAILER_TEST_MAILDIR
#   PAPERMAILER_TEST_SMTP_STARTTLS   same store, but requires STARTTLS (self-signed certificate) and AUTH with
#                                    PAPERMAILER_TEST_SMTP_USER / PAPERMAILER_TEST_SMTP_PASSWORD
#   PAPERMAILER_TEST_SMTP_TLS        same store, TLS from the first byte (implicit TLS, as on port 465), no AUTH
#   PAPERMAILER_TEST_SMTP_LOGIN      same store and user as STARTTLS, but AUTH LOGIN is the only mechanism offered
#   PAPERMAILER_TEST_SMTP_UTF8       same store, plain, offers SMTPUTF8 (the plain one does not)
#   PAPERMAILER_TEST_SMTP_LIMIT      same store, plain, takes 3 messages per connection, then says 421 and closes it
#   PAPERMAILER_TEST_SMTP_CHUNKING   same store, plain, offers CHUNKING (messages arrive by BDAT instead of DATA)
#   PAPERMAILER_TEST_POSTFIX         a real Postfix (an instance of its own, not the machine's) that accepts mail
#                                    from 127.0.0.1 and discards it, STARTTLS offered; only as root with postfix
#   PAPERMAILER_TEST_IMAP            a real Dovecot IMAP server (an instance of its own, Maildir storage), plaintext
#                                    login on 127.0.0.1 as PAPERMAILER_TEST_IMAP_USER / PAPERMAILER_TEST_IMAP_PASSWORD;
#                                    only as root with dovecot-imapd
#   PAPERMAILER_TEST_POSTGRES        a real PostgreSQL (a cluster of its own, initdb'd under the state folder, not the
#                                    machine's) on 127.0.0.1:2432; an Npgsql connection string to its admin database
#                                    "postgres" as a test role that may create databases (each test makes its own);
#                                    only with Debian's postgresql installed

# Sourced: run as a child (so `set -e` and exits stay out of the caller's shell) and import what it prints.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    __papermailer_env="$(bash "${BASH_SOURCE[0]}" "$@")" || { __papermailer_rc=$?; unset __papermailer_env; return "$__papermailer_rc"; }
    eval "$__papermailer_env"
    unset __papermailer_env
    return 0
fi

set -euo pipefail

PYTHON=/usr/bin/python3   # Debian's python: the one python3-aiosmtpd installs into
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${TMPDIR:-/tmp}/papermailer-test-servers"
MAILDIR="$STATE_DIR/maildir"
SINK_PID="$STATE_DIR/smtp-sink.pid"
SINK_LOG="$STATE_DIR/smtp-sink.log"
SMTP_ENDPOINT=127.0.0.1:2525
STARTTLS_ENDPOINT=127.0.0.1:2587
IMPLICIT_TLS_ENDPOINT=127.0.0.1:2465
LOGIN_ENDPOINT=127.0.0.1:2588
UTF8_ENDPOINT=127.0.0.1:2528
LIMIT_ENDPOINT=127.0.0.1:2529
CHUNKING_ENDPOINT=127.0.0.1:2530
SMTP_USER=papermailer
SMTP_PASSWORD=papermailer-test
POSTFIX_DIR="$STATE_DIR/postfix"
# Not port 25: a machine often runs its own MTA there (installing Debian's postfix starts one).
POSTFIX_ENDPOINT=127.0.0.1:2526
DOVECOT_DIR="$STATE_DIR/dovecot"
# Not 143: the machine's own Dovecot, if any, listens there.
IMAP_ENDPOINT=127.0.0.1:2143
IMAP_USER=bounces
IMAP_PASSWORD=papermailer-test
POSTGRES_DIR="$STATE_DIR/postgres"
# Not 5432: the machine's own cluster, if any, listens there.
POSTGRES_HOST=127.0.0.1
POSTGRES_PORT=2432
POSTGRES_USER=papermailer
POSTGRES_PASSWORD=papermailer-test

log() { echo "test-servers: $*" >&2; }

is_running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# True once HOST:PORT answers with an SMTP greeting (220).
smtp_answers() {
    local host="${1%:*}" port="${1##*:}" greeting=""
    { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
    read -r -t 2 greeting <&3 || true
    exec 3<&- 3>&-
    [[ "$greeting" == 220* ]]
}

# Polls until the endpoint greets, the process dies, or ten seconds pass.
wait_for_smtp() {
    local endpoint="$1" pid_file="$2" log_file="$3" deadline=$((SECONDS + 10))
    until smtp_answers "$endpoint"; do
        if [[ -n "$pid_file" ]] && ! is_running "$pid_file"; then
            log "the server for $endpoint exited; its log:"; cat "$log_file" >&2; return 1
        fi
        if ((SECONDS >= deadline)); then
            log "no SMTP greeting from $endpoint after 10 seconds; log: $log_file"; return 1
        fi
        sleep 0.1
    done
}

start_sink() {
    if is_running "$SINK_PID"; then return 0; fi
    if ! "$PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
        log "$PYTHON cannot import aiosmtpd: install the Debian package python3-aiosmtpd"; return 1
    fi
    if smtp_answers "$SMTP_ENDPOINT"; then
        log "something else already listens on $SMTP_ENDPOINT; stop it first"; return 1
    fi
    rm -rf "$MAILDIR"   # a fresh start begins with an empty store
    mkdir -p "$MAILDIR" "$STATE_DIR/tls"
    if [[ ! -f "$STATE_DIR/tls/cert.pem" ]]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
            -keyout "$STATE_DIR/tls/key.pem" -out "$STATE_DIR/tls/cert.pem" 2>/dev/null
    fi
    setsid "$PYTHON" "$SCRIPT_DIR/smtp-maildir-sink.py" --maildir "$MAILDIR" --listen "$SMTP_ENDPOINT" \
        --starttls-listen "$STARTTLS_ENDPOINT" --tls-cert "$STATE_DIR/tls/cert.pem" --tls-key "$STATE_DIR/tls/key.pem" \
        --auth-user "$SMTP_USER" --auth-password "$SMTP_PASSWORD" --tls-listen "$IMPLICIT_TLS_ENDPOINT" \
        --login-listen "$LOGIN_ENDPOINT" --utf8-listen "$UTF8_ENDPOINT" \
        --limit-listen "$LIMIT_ENDPOINT" --limit-messages 3 --chunking-listen "$CHUNKING_ENDPOINT" </dev/null >"$SINK_LOG" 2>&1 &
    echo $! >"$SINK_PID"
    wait_for_smtp "$SMTP_ENDPOINT" "$SINK_PID" "$SINK_LOG"
    wait_for_smtp "$STARTTLS_ENDPOINT" "$SINK_PID" "$SINK_LOG"
    wait_for_smtp "$LOGIN_ENDPOINT" "$SINK_PID" "$SINK_LOG"
    wait_for_smtp "$UTF8_ENDPOINT" "$SINK_PID" "$SINK_LOG"
    wait_for_smtp "$LIMIT_ENDPOINT" "$SINK_PID" "$SINK_LOG"
    wait_for_smtp "$CHUNKING_ENDPOINT" "$SINK_PID" "$SINK_LOG"
    log "SMTP sink on $SMTP_ENDPOINT and $STARTTLS_ENDPOINT (STARTTLS), Maildir $MAILDIR"
}

stop_sink() {
    if is_running "$SINK_PID"; then
        local pid; pid="$(cat "$SINK_PID")"
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        log "SMTP sink stopped"
    fi
    rm -f "$SINK_PID"
}

# An own Postfix instance (own config and queue under STATE_DIR, so the machine's Postfix configuration is left
# alone) that accepts mail for any domain from 127.0.0.1 and discards it: a real MTA for throughput work.
postfix_possible() { [[ $EUID -eq 0 ]] && command -v postfix >/dev/null && [[ -f /usr/share/postfix/master.cf.dist ]]; }

start_postfix() {
    postfix_possible || return 0
    if postfix -c "$POSTFIX_DIR" status >/dev/null 2>&1; then return 0; fi
    if smtp_answers "$POSTFIX_ENDPOINT"; then
        log "something else already listens on $POSTFIX_ENDPOINT; not starting Postfix"; return 0
    fi
    mkdir -p "$POSTFIX_DIR" "$STATE_DIR/postfix-spool" "$STATE_DIR/postfix-data"
    chown postfix "$STATE_DIR/postfix-data"   # master's lock file lives here and it runs as the mail owner
    # The packaged master.cf, with smtpd moved from port 25 to ours.
    sed -E "s/^smtp( +inet )/${POSTFIX_ENDPOINT##*:}\1/" /usr/share/postfix/master.cf.dist >"$POSTFIX_DIR/master.cf"
    local cert="$STATE_DIR/tls/cert.pem" key="$STATE_DIR/tls/key.pem"
    if [[ -r /etc/ssl/private/ssl-cert-snakeoil.key ]]; then
        cert=/etc/ssl/certs/ssl-cert-snakeoil.pem key=/etc/ssl/private/ssl-cert-snakeoil.key
    fi
    cat >"$POSTFIX_DIR/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $STATE_DIR/postfix-spool
data_directory = $STATE_DIR/postfix-data
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = papermailer-test.localhost
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = discard
local_transport = discard
maillog_file_prefixes = $STATE_DIR
maillog_file = $STATE_DIR/postfix.log
smtpd_tls_security_level = may
smtpd_tls_cert_file = $cert
smtpd_tls_key_file = $key
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
default_process_limit = 200
EOF
    if ! postfix -c "$POSTFIX_DIR" start >>"$STATE_DIR/postfix-start.log" 2>&1; then
        log "Postfix did not start (see $STATE_DIR/postfix-start.log); continuing without it"; return 0
    fi
    wait_for_smtp "$POSTFIX_ENDPOINT" "" "$STATE_DIR/postfix.log" || { log "continuing without Postfix"; return 0; }
    log "Postfix discard sink on $POSTFIX_ENDPOINT (STARTTLS offered)"
}

stop_postfix() {
    if postfix_possible && [[ -f "$POSTFIX_DIR/main.cf" ]] && postfix -c "$POSTFIX_DIR" status >/dev/null 2>&1; then
        postfix -c "$POSTFIX_DIR" stop >/dev/null 2>&1 || true
        log "Postfix stopped"
    fi
}

# An own Dovecot instance (own config, runtime folder and mail under STATE_DIR; the machine's Dovecot is left alone):
# one user from a passwd-file whose mail is a Maildir, plaintext login allowed (loopback only, tests only).
dovecot_possible() { [[ $EUID -eq 0 ]] && command -v dovecot >/dev/null; }

dovecot_running() { [[ -f "$DOVECOT_DIR/run/master.pid" ]] && kill -0 "$(cat "$DOVECOT_DIR/run/master.pid")" 2>/dev/null; }

# True once HOST:PORT answers with an IMAP greeting (* OK).
imap_answers() {
    local host="${1%:*}" port="${1##*:}" greeting=""
    { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
    read -r -t 2 greeting <&3 || true
    exec 3<&- 3>&-
    [[ "$greeting" == "* OK"* ]]
}

start_dovecot() {
    dovecot_possible || return 0
    if dovecot_running; then return 0; fi
    if imap_answers "$IMAP_ENDPOINT"; then
        log "something else already listens on $IMAP_ENDPOINT; not starting Dovecot"; return 0
    fi
    rm -rf "$DOVECOT_DIR/mail"   # a fresh start begins with an empty mailbox
    mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/mail"
    # The mail processes run as Debian's "mail" user (Dovecot never runs them as root), so it must reach its folder.
    chmod 755 "$STATE_DIR" "$DOVECOT_DIR"
    chown mail:mail "$DOVECOT_DIR/mail"
    echo "$IMAP_USER:{PLAIN}$IMAP_PASSWORD:::::" >"$DOVECOT_DIR/users"
    cat >"$DOVECOT_DIR/dovecot.conf" <<CONF
instance_name = papermailer-test
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $STATE_DIR/dovecot.log
protocols = imap
listen = ${IMAP_ENDPOINT%:*}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 8
first_valid_gid = 8
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$DOVECOT_DIR/mail/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = ${IMAP_ENDPOINT##*:}
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
    if ! dovecot -c "$DOVECOT_DIR/dovecot.conf" >>"$STATE_DIR/dovecot-start.log" 2>&1; then
        log "Dovecot did not start (see $STATE_DIR/dovecot-start.log); continuing without it"; return 0
    fi
    local deadline=$((SECONDS + 10))
    until imap_answers "$IMAP_ENDPOINT"; do
        if ((SECONDS >= deadline)); then
            log "no IMAP greeting from $IMAP_ENDPOINT after 10 seconds (log: $STATE_DIR/dovecot.log); continuing without Dovecot"; return 0
        fi
        sleep 0.1
    done
    log "Dovecot IMAP on $IMAP_ENDPOINT (user $IMAP_USER, Maildir under $DOVECOT_DIR/mail)"
}

stop_dovecot() {
    if dovecot_possible && [[ -f "$DOVECOT_DIR/dovecot.conf" ]] && dovecot_running; then
        dovecot -c "$DOVECOT_DIR/dovecot.conf" stop >/dev/null 2>&1 || true
        log "Dovecot stopped"
    fi
}

# An own PostgreSQL cluster (initdb'd under STATE_DIR; the machine's cluster is left alone). initdb and postgres
# refuse to run as root, so as root they run as Debian's "postgres" user. Password auth for the test role.
postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

postgres_possible() {
    local bin; bin="$(postgres_bin)"
    [[ -n "$bin" && -x "$bin/initdb" ]] || return 1
    [[ $EUID -ne 0 ]] || id postgres >/dev/null 2>&1
}

# Runs a command as the cluster's owner: "postgres" when we are root, ourselves otherwise.
as_postgres_owner() {
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_running() { postgres_possible && as_postgres_owner "$(postgres_bin)/pg_ctl" status -D "$POSTGRES_DIR/data" >/dev/null 2>&1; }

start_postgres() {
    postgres_possible || return 0
    if postgres_running; then return 0; fi
    local bin; bin="$(postgres_bin)"
    if "$bin/pg_isready" -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" 2>/dev/null; then
        log "something else already listens on $POSTGRES_HOST:$POSTGRES_PORT; not starting PostgreSQL"; return 0
    fi
    rm -rf "$POSTGRES_DIR"   # a fresh start begins with an empty cluster (and no server log a stranger owns)
    mkdir -p "$POSTGRES_DIR/run"
    # The owner must reach its folders: the state folder may belong to root.
    chmod 755 "$STATE_DIR"
    if [[ $EUID -eq 0 ]]; then chown -R postgres:postgres "$POSTGRES_DIR"; fi
    echo "$POSTGRES_PASSWORD" >"$POSTGRES_DIR/superuser-password"
    if [[ $EUID -eq 0 ]]; then chown postgres "$POSTGRES_DIR/superuser-password"; fi
    if ! as_postgres_owner "$bin/initdb" -D "$POSTGRES_DIR/data" -U "$POSTGRES_USER" --pwfile="$POSTGRES_DIR/superuser-password" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STATE_DIR/postgres-initdb.log" 2>&1; then
        log "initdb failed (see $STATE_DIR/postgres-initdb.log); continuing without PostgreSQL"; return 0
    fi
    rm -f "$POSTGRES_DIR/superuser-password"
    # Tests make a database each and many connections at once; fsync off: a test cluster needs no durability.
    if ! as_postgres_owner "$bin/pg_ctl" start -w -t 30 -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/postgres.log" \
        -o "-c listen_addresses=$POSTGRES_HOST -c port=$POSTGRES_PORT -c unix_socket_directories=$POSTGRES_DIR/run -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >>"$STATE_DIR/postgres-start.log" 2>&1; then
        log "PostgreSQL did not start (see $POSTGRES_DIR/postgres.log); continuing without it"; return 0
    fi
    log "PostgreSQL on $POSTGRES_HOST:$POSTGRES_PORT (role $POSTGRES_USER, cluster under $POSTGRES_DIR/data)"
}

stop_postgres() {
    if postgres_running; then
        as_postgres_owner "$(postgres_bin)/pg_ctl" stop -m fast -w -D "$POSTGRES_DIR/data" >/dev/null 2>&1 || true
        log "PostgreSQL stopped"
    fi
}

print_env() {
    is_running "$SINK_PID" || { log "not running; use: $0 start"; return 1; }
    echo "export PAPERMAILER_TEST_SMTP=$SMTP_ENDPOINT"
    echo "export PAPERMAILER_TEST_SMTP_STARTTLS=$STARTTLS_ENDPOINT"
    echo "export PAPERMAILER_TEST_SMTP_TLS=$IMPLICIT_TLS_ENDPOINT"
    echo "export PAPERMAILER_TEST_SMTP_USER=$SMTP_USER"
    echo "export PAPERMAILER_TEST_SMTP_PASSWORD=$SMTP_PASSWORD"
    echo "export PAPERMAILER_TEST_MAILDIR=$MAILDIR"
    # Listeners added later: a sink started by an older copy of this script lacks them, and a test should then
    # say the variable is missing rather than fail to connect.
    if smtp_answers "$LOGIN_ENDPOINT"; then echo "export PAPERMAILER_TEST_SMTP_LOGIN=$LOGIN_ENDPOINT"; fi
    if smtp_answers "$UTF8_ENDPOINT"; then echo "export PAPERMAILER_TEST_SMTP_UTF8=$UTF8_ENDPOINT"; fi
    if smtp_answers "$LIMIT_ENDPOINT"; then echo "export PAPERMAILER_TEST_SMTP_LIMIT=$LIMIT_ENDPOINT"; fi
    if smtp_answers "$CHUNKING_ENDPOINT"; then echo "export PAPERMAILER_TEST_SMTP_CHUNKING=$CHUNKING_ENDPOINT"; fi
    if postfix_possible && postfix -c "$POSTFIX_DIR" status >/dev/null 2>&1; then
        echo "export PAPERMAILER_TEST_POSTFIX=$POSTFIX_ENDPOINT"
    fi
    if dovecot_possible && dovecot_running; then
        echo "export PAPERMAILER_TEST_IMAP=$IMAP_ENDPOINT"
        echo "export PAPERMAILER_TEST_IMAP_USER=$IMAP_USER"
        echo "export PAPERMAILER_TEST_IMAP_PASSWORD=$IMAP_PASSWORD"
    fi
    if postgres_running; then
        echo "export PAPERMAILER_TEST_POSTGRES='Host=$POSTGRES_HOST;Port=$POSTGRES_PORT;Username=$POSTGRES_USER;Password=$POSTGRES_PASSWORD;Database=postgres'"
    fi
}

case "${1:-}" in
    start) start_sink; start_postfix; start_dovecot; start_postgres; print_env ;;
    env) print_env ;;
    stop)
        stop_sink; stop_postfix; stop_dovecot; stop_postgres
        echo "unset PAPERMAILER_TEST_SMTP PAPERMAILER_TEST_SMTP_STARTTLS PAPERMAILER_TEST_SMTP_TLS PAPERMAILER_TEST_SMTP_LOGIN PAPERMAILER_TEST_SMTP_UTF8 PAPERMAILER_TEST_SMTP_LIMIT PAPERMAILER_TEST_SMTP_CHUNKING PAPERMAILER_TEST_SMTP_USER PAPERMAILER_TEST_SMTP_PASSWORD PAPERMAILER_TEST_MAILDIR PAPERMAILER_TEST_POSTFIX PAPERMAILER_TEST_IMAP PAPERMAILER_TEST_IMAP_USER PAPERMAILER_TEST_IMAP_PASSWORD PAPERMAILER_TEST_POSTGRES"
        ;;
    *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
