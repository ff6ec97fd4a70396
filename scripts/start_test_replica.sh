#!/usr/bin/env bash
# Give a throw-away test server of scripts/start_test_postgres.sh a streaming replica
# (a PostgreSQL hot standby), as a centre would run one for its heavy readers
# (SEATDESK_REPORTING_URL): pg_basebackup -R from the primary over TCP with the
# superuser's password, into DIR/replica/data, started on the next free port with
# hot_standby on. The replica shares the primary's roles and passwords and its
# pg_hba.conf (scram-sha-256 on 127.0.0.1), as a real standby does.
#
# Needs root, like start_test_postgres.sh (the servers run as the postgres OS user).
#
# Usage:
#   scripts/start_test_replica.sh [start] DIR   DIR: a running test server's directory
#                                               (its info file); prints the replica's
#                                               superuser URL on stdout (the only line)
#   scripts/start_test_replica.sh stop DIR      stop the replica of DIR (the primary
#                                               stays; start_test_postgres.sh stop DIR
#                                               stops both and deletes DIR)
#
# Environment (optional): SEATDESK_PG_REPLICA_PORT, the first port to try (default:
# the primary's port + 1). Layout: DIR/replica/{data,sock,server.log,info}.
set -euo pipefail

log() { printf 'start_test_replica: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (it runs the server as the postgres OS user)"

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

read_primary() {
    local dir=${1:?usage: $0 start DIR}
    [[ -f $dir/info ]] || die "$dir/info not found: start the primary with scripts/start_test_postgres.sh"
    PGBIN=$(sed -n "s/^PGBIN='\(.*\)'$/\1/p" "$dir/info")
    PRIMARY_PORT=$(sed -n "s/^PGPORT='\(.*\)'$/\1/p" "$dir/info")
    PRIMARY_URL=$(sed -n "s/^URL='\(.*\)'$/\1/p" "$dir/info")
    PASSWORD=$(sed -E 's#^postgresql://[^:]+:([^@]*)@.*#\1#' <<<"$PRIMARY_URL")
    [[ -n $PGBIN && -n $PRIMARY_PORT && -n $PASSWORD ]] || die "$dir/info is incomplete"
}

start_replica() {
    local dir
    dir=$(cd "${1:?usage: $0 start DIR}" && pwd -P)
    read_primary "$dir"
    local rdir=$dir/replica port i started=0
    [[ ! -e $rdir ]] || die "$rdir exists already: one replica per test server"
    install -d -o postgres -g postgres -m 0700 "$rdir" "$rdir/sock"

    log "pg_basebackup -R from 127.0.0.1:$PRIMARY_PORT into $rdir/data"
    # -X stream: the WAL written during the copy comes along; -R: standby.signal and
    # primary_conninfo (with the password, in postgresql.auto.conf, mode 0600).
    if ! as_postgres env PGPASSWORD="$PASSWORD" "$PGBIN/pg_basebackup" -h 127.0.0.1 \
        -p "$PRIMARY_PORT" -U postgres -D "$rdir/data" -X stream -R -c fast \
        >"$rdir/basebackup.log" 2>&1; then
        cat "$rdir/basebackup.log" >&2
        die "pg_basebackup failed"
    fi

    cat >>"$rdir/data/postgresql.conf" <<CONF

# --- seatdesk test replica (scripts/start_test_replica.sh) ---
unix_socket_directories = '$rdir/sock'
hot_standby = on
hot_standby_feedback = on
CONF

    port=${SEATDESK_PG_REPLICA_PORT:-$((PRIMARY_PORT + 1))}
    for ((i = 0; i < 50; i++, port++)); do
        if port_busy "$port" || [[ -e /tmp/.s.PGSQL.$port.lock ]]; then
            continue
        fi
        # The port goes into the configuration: a restart (pg_ctl start -D) finds it.
        printf "port = %s\n" "$port" >>"$rdir/data/postgresql.conf"
        log "starting the replica on 127.0.0.1:$port"
        if as_postgres "$PGBIN/pg_ctl" -D "$rdir/data" -l "$rdir/server.log" -w -t 60 \
            start >&2; then
            started=1
            break
        fi
        grep -q 'could not bind\|Address already in use' "$rdir/server.log" 2>/dev/null \
            || die "the replica did not start (see $rdir/server.log)"
        sed -i '$d' "$rdir/data/postgresql.conf"
    done
    ((started)) || die "no free port for the replica"

    # Ready means: a password login over TCP, and the server says it is a standby.
    for ((i = 0; i < 60; i++)); do
        if [[ $(PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 "$PGBIN/psql" -X -q -A -t \
            -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            -c 'select pg_is_in_recovery()' 2>/dev/null) == t ]]; then
            break
        fi
        sleep 0.5
    done
    ((i < 60)) || die "the replica runs but does not answer as a standby (see $rdir/server.log)"

    local url="postgresql://postgres:$PASSWORD@127.0.0.1:$port/postgres"
    {
        printf "PGDIR='%s'\n" "$rdir"
        printf "PGBIN='%s'\n" "$PGBIN"
        printf "PGPORT='%s'\n" "$port"
        printf "URL='%s'\n" "$url"
    } >"$rdir/info"
    chmod 0600 "$rdir/info"
    log "replica ready on 127.0.0.1:$port, streaming from 127.0.0.1:$PRIMARY_PORT"
    printf '%s\n' "$url"
}

stop_replica() {
    local dir=${1:?usage: $0 stop DIR}
    read_primary "$dir"
    if [[ -f $dir/replica/data/postmaster.pid ]]; then
        as_postgres "$PGBIN/pg_ctl" -D "$dir/replica/data" -m fast -w -t 60 stop >&2 \
            || log "pg_ctl stop failed (replica already gone?)"
    fi
}

case ${1:-} in
    start) start_replica "${2:-}" ;;
    stop) stop_replica "${2:-}" ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' ;;
    "") die "usage: $0 [start] DIR | stop DIR" ;;
    *) start_replica "$1" ;;
esac
