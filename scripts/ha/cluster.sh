#!/usr/bin/env bash
# A local high-availability cluster for tests and for trying it (issue 23): etcd and a Patroni
# cluster of Postgres 15 nodes on loopback ports in a directory of its own, with
# synchronous_mode: true (an acknowledged COMMIT is on two nodes). Never touches the
# machine's shared Postgres (127.0.0.1:5432). Runs everything as the `postgres` user.
#
#   scripts/ha/cluster.sh up DIR          start etcd + nodes, wait for a leader and a sync standby;
#                                         writes DIR/env (HA_DATABASE_URL, a multi-host URL)
#   scripts/ha/cluster.sh down DIR        stop everything started in DIR and remove DIR
#   scripts/ha/cluster.sh leader DIR      the primary's node number (1..N)
#   scripts/ha/cluster.sh kill DIR N      SIGKILL node N's Patroni and its postmaster with its
#                                         backends (the machine is lost)
#   scripts/ha/cluster.sh start DIR N     start node N's Patroni again (it rejoins as a replica)
#   scripts/ha/cluster.sh ctl DIR ARGS…   patronictl on this cluster (e.g. list, switchover)
#
# Environment: HA_NODES (2), HA_BASE_PORT (25400: etcd BASE/BASE+1, Postgres BASE+10+N,
# Patroni REST BASE+20+N), HA_SYNC (1; 0 = asynchronous replication), HA_ARCHIVE_COMMAND
# (sets archive_mode=on with this archive_command, for pgBackRest), PG_BIN.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
NODES="${HA_NODES:-2}"
BASE="${HA_BASE_PORT:-25400}"
SYNC="${HA_SYNC:-1}"
cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,18p' "$0"; exit 2; }

as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_port() { echo $((BASE + 10 + $1)); }
api_port() { echo $((BASE + 20 + $1)); }
ctl() { as_postgres patronictl -c "$dir/node1/patroni.yml" "$@"; }

# The node whose REST API answers 200 on /primary (Patroni's health check for the leader).
leader() {
	local n
	for n in $(seq 1 "$NODES"); do
		if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(api_port "$n")/primary"; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

start_node() {
	local n="$1"
	# The pid file holds Patroni's own pid (bash execs into it), not runuser's.
	as_postgres bash -c "cd '$dir/node$n' && echo \$\$ >'$dir/node$n/patroni.pid' && exec patroni '$dir/node$n/patroni.yml' >>'$dir/node$n/patroni.log' 2>&1" </dev/null >/dev/null 2>&1 &
	for _ in $(seq 1 20); do [ -s "$dir/node$n/patroni.pid" ] && break; sleep 0.1; done
}

# Node N's Patroni, its postmaster and the postmaster's children (backends, walsender…).
node_pids() {
	local n="$1" pm
	cat "$dir/node$n/patroni.pid" 2>/dev/null || true
	pm="$(head -n 1 "$dir/node$n/data/postmaster.pid" 2>/dev/null || true)"
	if [ -n "$pm" ] && [ -d "/proc/$pm" ]; then
		echo "$pm"
		pgrep -P "$pm" 2>/dev/null || true
	fi
}

kill_node() {
	local n="$1" pids
	pids="$(node_pids "$n" | tr '\n' ' ')"
	# One signal round: the postmaster, its backends and Patroni die together (machine lost).
	[ -n "${pids// /}" ] && kill -KILL $pids 2>/dev/null || true
	rm -f "$dir/node$n/patroni.pid"
}

down() {
	[ -d "$dir" ] || return 0
	local n
	for n in $(seq 1 "$NODES"); do
		if [ -f "$dir/node$n/patroni.pid" ]; then kill -TERM "$(cat "$dir/node$n/patroni.pid")" 2>/dev/null || true; fi
	done
	for _ in $(seq 1 20); do
		pgrep -f "patroni $dir/" >/dev/null 2>&1 || break
		sleep 0.5
	done
	for n in $(seq 1 "$NODES"); do
		kill_node "$n"
		if [ -f "$dir/node$n/data/postmaster.pid" ]; then
			as_postgres "$PG_BIN/pg_ctl" -D "$dir/node$n/data" stop -m immediate >/dev/null 2>&1 || true
		fi
	done
	if [ -f "$dir/etcd.pid" ]; then
		kill -TERM "$(cat "$dir/etcd.pid")" 2>/dev/null || true
		sleep 0.5
		kill -KILL "$(cat "$dir/etcd.pid")" 2>/dev/null || true
	fi
	rm -rf "$dir"
}

up() {
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
	trap 'echo "[ha] bringing the cluster up failed; tearing down" >&2; down' ERR
	local etcd_client="127.0.0.1:$BASE" etcd_peer="127.0.0.1:$((BASE + 1))"
	as_postgres bash -c "echo \$\$ >'$dir/etcd.pid' && exec etcd --name ha --data-dir '$dir/etcd' \
		--listen-client-urls http://$etcd_client --advertise-client-urls http://$etcd_client \
		--listen-peer-urls http://$etcd_peer --initial-advertise-peer-urls http://$etcd_peer \
		--initial-cluster ha=http://$etcd_peer --initial-cluster-state new \
		--unsafe-no-fsync >'$dir/etcd.log' 2>&1" </dev/null >/dev/null 2>&1 &
	sleep 0.3
	for _ in $(seq 1 50); do curl -fs --max-time 1 "http://$etcd_client/health" >/dev/null && break; sleep 0.2; done
	curl -fs --max-time 2 "http://$etcd_client/health" >/dev/null

	local archive=""
	if [ -n "${HA_ARCHIVE_COMMAND:-}" ]; then
		archive="        archive_mode: 'on'
        archive_command: '${HA_ARCHIVE_COMMAND}'
        archive_timeout: 60"
	fi
	local n hosts=""
	for n in $(seq 1 "$NODES"); do
		mkdir -p "$dir/node$n"
		cat >"$dir/node$n/patroni.yml" <<YAML
scope: kopek
namespace: /kopek-ha/
name: node$n
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:$(api_port "$n")
  connect_address: 127.0.0.1:$(api_port "$n")
etcd3:
  host: $etcd_client
bootstrap:
  dcs:
    # A lost primary's leader key expires after ttl seconds; then a synchronous standby
    # is promoted. loop_wait + 2 * retry_timeout must stay below ttl.
    ttl: 14
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: $([ "$SYNC" = 1 ] && echo true || echo false)
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 100
        shared_buffers: 64MB
$archive
  initdb:
    - encoding: UTF8
    - locale: C
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $dir/node$n/data
  bin_dir: $PG_BIN
  pgpass: $dir/node$n/pgpass
  authentication:
    superuser: {username: postgres, password: postgres}
    replication: {username: replicator, password: replicator}
    rewind: {username: postgres, password: postgres}
  parameters:
    unix_socket_directories: $dir/node$n
YAML
		hosts="${hosts:+$hosts,}127.0.0.1:$(pg_port "$n")"
	done
	[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
	start_node 1
	# The first node bootstraps alone; the others clone it once it leads.
	for _ in $(seq 1 120); do leader >/dev/null && break; sleep 0.5; done
	leader >/dev/null || { echo "[ha] no leader after 60 s" >&2; tail -n 30 "$dir/node1/patroni.log" >&2; false; }
	for n in $(seq 2 "$NODES"); do start_node "$n"; done
	local want="Replica"
	[ "$SYNC" = 1 ] && want="Sync Standby"
	for _ in $(seq 1 180); do
		if ctl list -f json 2>/dev/null | grep -qE "\"Role\": ?\"$want\""; then break; fi
		sleep 0.5
	done
	ctl list -f json 2>/dev/null | grep -qE "\"Role\": ?\"$want\"" || { echo "[ha] no $want standby after 90 s" >&2; ctl list >&2 || true; false; }
	cat >"$dir/env" <<ENV
HA_DATABASE_URL=postgres://postgres:postgres@$hosts/postgres?target_session_attrs=read-write
HA_HOSTS=$hosts
ENV
	trap - ERR
	echo "[ha] cluster up in $dir: nodes $hosts, etcd $etcd_client, synchronous_mode $([ "$SYNC" = 1 ] && echo on || echo off)"
	ctl list
}

case "$cmd" in
up) up ;;
down) down ;;
leader) leader ;;
kill) kill_node "$3" ;;
start) start_node "$3" ;;
ctl) shift 2; ctl "$@" ;;
*) sed -n '2,18p' "$0"; exit 2 ;;
esac
