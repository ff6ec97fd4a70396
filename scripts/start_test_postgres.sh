#!/usr/bin/env bash
# Start a throw-away Debian PostgreSQL server for the test suite, set up the way a
# command centre's shared server would be: TCP on 127.0.0.1 only, and scram-sha-256
# password authentication for every connection (local socket included).
#
# Needs root (it creates the `postgres` OS user when missing and runs the server as
# that user) and Debian's server binaries under /usr/lib/postgresql/*/bin (package
# postgresql). No systemd, no pg_ctlcluster: the cluster lives in its own directory.
#
# Usage:
#   scripts/start_test_postgres.sh [start]   start a fresh cluster; print its superuser
#                                             URL on stdout (the only line on stdout)
#   scripts/start_test_postgres.sh stop DIR  stop the cluster in DIR and delete DIR
#
# Environment (all optional):
#   SEATDESK_PG_DIR   where to create the cluster (must not exist yet, or be empty);
#                     default: a new directory under $TMPDIR or /tmp. Whatever it is,
#                     it is printed on stderr and written to DIR/info.
#   SEATDESK_PG_PORT  first TCP port to try (default 55432); the next free one is used.
#
# Layout of DIR: data/ (the cluster), sock/ (its Unix socket), server.log, info
# (shell-sourceable: PGDIR, PGBIN, PGPORT, URL). Logs go to stderr.
set -euo pipefail

log() { printf 'start_test_postgres: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (it runs the server as the postgres OS user)"

find_bindir() {
    local best="" best_ver=-1 d v
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x $d/initdb && -x $d/pg_ctl ]] || continue
        v=${d#/usr/lib/postgresql/}
        v=${v%/bin}
        [[ $v =~ ^[0-9]+$ ]] || continue
        if ((v > best_ver)); then best_ver=$v; best=$d; fi
    done
    [[ -n $best ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    printf '%s\n' "$best"
}

as_postgres() {
    # cd / first: the caller's directory (e.g. /root/...) may be unreadable to postgres.
    (cd / && runuser -u postgres -- "$@")
}

stop_cluster() {
    local dir=${1:?usage: $0 stop DIR}
    [[ -d $dir ]] || { log "$dir does not exist; nothing to stop"; return 0; }
    local bindir=""
    if [[ -f $dir/info ]]; then
        bindir=$(sed -n "s/^PGBIN='\(.*\)'$/\1/p" "$dir/info")
    fi
    [[ -n $bindir && -x $bindir/pg_ctl ]] || bindir=$(find_bindir)
    # A streaming replica (scripts/start_test_replica.sh) first: it lives inside DIR.
    if [[ -f $dir/replica/data/postmaster.pid ]]; then
        log "stopping the replica in $dir/replica/data"
        as_postgres "$bindir/pg_ctl" -D "$dir/replica/data" -m fast -w -t 60 stop >&2 \
            || log "pg_ctl stop failed for the replica (already gone?)"
    fi
    if [[ -f $dir/data/postmaster.pid ]]; then
        log "stopping the server in $dir/data"
        as_postgres "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 \
            || log "pg_ctl stop failed (server already gone?)"
    fi
    rm -rf -- "$dir"
    log "removed $dir"
}

ensure_postgres_user() {
    if id -u postgres >/dev/null 2>&1; then
        return 0
    fi
    log "creating the postgres OS user"
    getent group postgres >/dev/null 2>&1 || groupadd --system postgres
    useradd --system --gid postgres --home-dir /var/lib/postgresql --no-create-home \
        --shell /bin/bash --comment "PostgreSQL administrator" postgres
}

# A directory the postgres user can reach: $TMPDIR may sit under /root (mode 0700).
make_base_dir() {
    local parent
    if [[ -n ${SEATDESK_PG_DIR:-} ]]; then
        if [[ -e $SEATDESK_PG_DIR ]]; then
            [[ -d $SEATDESK_PG_DIR && -z $(ls -A -- "$SEATDESK_PG_DIR") ]] \
                || die "SEATDESK_PG_DIR=$SEATDESK_PG_DIR exists and is not an empty directory"
        else
            mkdir -p -- "$SEATDESK_PG_DIR"
        fi
        chown postgres:postgres "$SEATDESK_PG_DIR"
        chmod 0700 "$SEATDESK_PG_DIR"
        as_postgres test -w "$SEATDESK_PG_DIR" \
            || die "the postgres user cannot write to $SEATDESK_PG_DIR (is a parent directory closed to it?)"
        (cd "$SEATDESK_PG_DIR" && pwd -P)
        return 0
    fi
    for parent in "${TMPDIR:-}" /tmp /var/tmp; do
        [[ -n $parent && -d $parent ]] || continue
        local dir
        dir=$(mktemp -d "$parent/seatdesk-pg.XXXXXX") || continue
        chown postgres:postgres "$dir"
        chmod 0700 "$dir"
        if as_postgres test -w "$dir"; then
            (cd "$dir" && pwd -P)
            return 0
        fi
        rmdir -- "$dir"
    done
    die "found no temporary directory the postgres user can write to"
}

port_busy() {
    # Something accepts connections on the port (IPv4 loopback)?
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_cluster() {
    local bindir dir password port url i started=0
    bindir=$(find_bindir)
    log "using $("$bindir/postgres" --version) from $bindir"
    ensure_postgres_user
    dir=$(make_base_dir)
    log "cluster directory: $dir"
    install -d -o postgres -g postgres -m 0700 "$dir/data" "$dir/sock"

    # A random password of 32 hex digits: safe in a URL without escaping.
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    [[ ${#password} -eq 32 ]] || die "could not make a random password"
    install -o postgres -g postgres -m 0600 /dev/null "$dir/pwfile"
    printf '%s\n' "$password" >"$dir/pwfile"

    log "initdb (scram-sha-256 for local and host connections)"
    if ! as_postgres "$bindir/initdb" -D "$dir/data" -U postgres \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 --pwfile="$dir/pwfile" \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -f -- "$dir/pwfile"
        die "initdb failed"
    fi
    rm -f -- "$dir/pwfile"

    # The cluster's own settings: loopback TCP only, a private socket directory, and
    # passwords stored as scram-sha-256 (the PostgreSQL 14+ default, made explicit).
    cat >>"$dir/data/postgresql.conf" <<EOF

# --- seatdesk test server (scripts/start_test_postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
password_encryption = 'scram-sha-256'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    port=${SEATDESK_PG_PORT:-55432}
    for ((i = 0; i < 50; i++, port++)); do
        if port_busy "$port" || [[ -e /tmp/.s.PGSQL.$port.lock ]]; then
            log "port $port is in use; trying the next one"
            continue
        fi
        log "starting the server on 127.0.0.1:$port"
        if as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port" start >&2; then
            started=1
            break
        fi
        log "pg_ctl start failed on port $port; last lines of the server log:"
        tail -n 5 "$dir/server.log" >&2 || true
        # A port taken between the check and the start is worth another try;
        # anything else is a real failure.
        grep -q 'could not bind\|Address already in use' "$dir/server.log" 2>/dev/null \
            || die "the server did not start (see $dir/server.log)"
    done
    ((started)) || die "no free port found from ${SEATDESK_PG_PORT:-55432} on"

    # Ready means: accepts a password login over TCP.
    for ((i = 0; i < 60; i++)); do
        if PGPASSWORD=$password PGCONNECT_TIMEOUT=3 "$bindir/psql" -X -q -A -t \
            -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
            break
        fi
        sleep 0.5
    done
    ((i < 60)) || die "the server runs but does not accept the password over TCP (see $dir/server.log)"

    url="postgresql://postgres:$password@127.0.0.1:$port/postgres"
    {
        printf "PGDIR='%s'\n" "$dir"
        printf "PGBIN='%s'\n" "$bindir"
        printf "PGPORT='%s'\n" "$port"
        printf "URL='%s'\n" "$url"
    } >"$dir/info"
    chmod 0600 "$dir/info"
    log "ready on 127.0.0.1:$port (scram-sha-256); stop with: bash $0 stop $dir"
    printf '%s\n' "$url"
}

case ${1:-start} in
    start) start_cluster ;;
    stop) stop_cluster "${2:-}" ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (use: start | stop DIR)" ;;
esac
