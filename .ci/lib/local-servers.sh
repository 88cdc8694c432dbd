# Sourced by .ci/demo and the benchmarks: a throwaway PostgreSQL and S3Proxy on free loopback
# ports, inside one work directory. Call start_postgres and start_s3proxy after setting $work;
# stop_local_servers stops both. The server is Debian's PostgreSQL 15 unless pg_bin is set before
# start_postgres to another server's bin directory (initdb, pg_ctl, postgres); psql is always
# Debian's 15. Exposes: pg_port, pg_password, pg_bin, s3_port, s3_secret, s3_access_key, s3_dir
# (buckets are directories under it).

pg_client_bin=/usr/lib/postgresql/15/bin
pg_bin=${pg_bin:-$pg_client_bin}
s3_access_key=local-access-key

free_port() {
  local port
  for port in $(seq "$1" $(($1 + 200))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port near $1" >&2
  return 1
}

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  pg_port=$(free_port 55432)
  pg_password="pw-$(random_hex 12)"
  mkdir -p "$work/pgdata" "$work/pgsock"
  echo "$pg_password" >"$work/pwfile"
  [ "$(id -u)" = 0 ] && chown -R postgres "$work/pgdata" "$work/pgsock" "$work/pwfile"
  as_postgres "$pg_bin/initdb" -D "$work/pgdata" -U neondb_owner --pwfile="$work/pwfile" \
    --auth=scram-sha-256 -E UTF8 >/dev/null
  rm -f "$work/pwfile"
  as_postgres "$pg_bin/pg_ctl" -D "$work/pgdata" -l "$work/pgdata/server.log" -w \
    -o "-p $pg_port -k $work/pgsock -c listen_addresses=127.0.0.1" start >/dev/null \
    || { tail -n 20 "$work/pgdata/server.log" >&2; return 1; }
}

# psql_as_owner DATABASE [psql args...]: psql as the owner, password through the environment.
psql_as_owner() {
  local database=$1; shift
  PGPASSWORD="$pg_password" "$pg_client_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" \
    -U neondb_owner -d "$database" "$@"
}

start_s3proxy() {
  s3_port=$(free_port 59000)
  s3_secret=$(random_hex 20)
  s3_dir="$work/s3"
  mkdir -p "$s3_dir"
  cat >"$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$s3_access_key
s3proxy.credential=$s3_secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$s3_dir
PROPS
  java -jar target/test-servers/s3proxy.jar --properties "$work/s3proxy.properties" \
    >"$work/s3proxy.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "S3Proxy did not start; see $work/s3proxy.log" >&2
  return 1
}

stop_local_servers() {
  as_postgres "$pg_bin/pg_ctl" -D "$work/pgdata" -m immediate stop >/dev/null 2>&1 || true
  if [ -n "${s3_pid:-}" ]; then kill "$s3_pid" 2>/dev/null || true; fi
}
