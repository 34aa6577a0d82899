# shellcheck shell=bash
# Variables set here (PW_PG_STARTED, PW_PG_CONNINFO, ...) are read by the sourcing scripts.
# shellcheck disable=SC2034
# Shared helpers for scripts/run and scripts/test. Source it; do not run it.
#
#   ROOT                 repository root (set from this file's location if unset)
#   pw_install_packages  install the Debian packages the project needs (no-op when present);
#                        scripts that fuzz first add PW_FUZZ_PACKAGES to PW_PACKAGES
#   pw_build MODE        configure + build: release -> build/release, debug -> build/debug (ASan+UBSan),
#                        valgrind -> build/valgrind (Debug, no sanitizers: for valgrind memcheck)
#   pw_build_fuzz        configure + build the libFuzzer targets (clang) in build/fuzz
#   pw_asan_wrap         set PW_ASAN_WRAP to the command prefix sanitized programs need here
#   pw_pg_bin            print the PostgreSQL (>= 15) server bin directory
#   pw_pg_init DIR [throwaway]   create a cluster in DIR/data (socket in DIR); idempotent
#   pw_pg_start DIR      start it (or reuse a running one); sets PW_PG_CONNINFO, PW_PG_STARTED=1|0
#   pw_pg_stop DIR       stop it (-m fast, then -m immediate)
#   pw_pg_conninfo DIR [USER]  print "host=DIR port=5432 dbname=pathways user=USER"
#                        (USER defaults to the owner, pathways)
#   pw_pg_app_role DIR   create the service's login role pathways_app (no CREATE anywhere,
#                        not an owner); sets PW_PG_APP_CONNINFO. Migrations run as the owner
#                        (PW_PG_CONNINFO) with PATHWAYS_APP_ROLE=pathways_app, which grants
#                        the app role DML on the tables; `serve` connects as the app role.
#   pw_pg_ctl_cmd DIR start|stop   print a shell command line that starts/stops the cluster
#   pw_pg_kill DIR       crash it: SIGKILL the postmaster and every backend at once
#   pw_pg_kill_cmd DIR   print a shell command line that runs pw_pg_kill DIR
#   pw_traps_install     trap EXIT/INT/TERM/HUP to run the cleanups registered with
#   pw_cleanup_pg DIR / pw_cleanup_rm DIR
#
# Environment knobs: PW_SKIP_INSTALL=1 skips package installation; PW_PG_BIN overrides the
# PostgreSQL server bin directory.

if [[ -z ${ROOT:-} ]]; then
  ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
fi

PW_PACKAGES=(
  build-essential cmake pkg-config libmicrohttpd-dev libpq-dev libjansson-dev check
  libjwt-dev libsodium-dev libcurl4-openssl-dev postgresql postgresql-contrib
  ca-certificates curl python3 python3-yaml openssl docker-compose
)
# Only for the fuzz targets (scripts/fuzz, the smoke run of scripts/test): clang and its
# libFuzzer runtime (libclang-rt-dev pulls the one of Debian's default clang).
PW_FUZZ_PACKAGES=(clang libclang-rt-dev)
PW_PG_MIN_VERSION=15
PW_PG_PORT=5432
PW_PG_DBNAME=pathways
PW_PG_USER=pathways
PW_PG_APP_USER=pathways_app
# Outputs of pw_pg_start.
PW_PG_STARTED=0
PW_PG_CONNINFO=
PW_PG_APP_CONNINFO=

pw_log() { printf '==> %s\n' "$*" >&2; }
pw_warn() { printf 'warning: %s\n' "$*" >&2; }
pw_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------
# Packages

pw_install_packages() {
  if [[ ${PW_SKIP_INSTALL:-0} == 1 ]]; then
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    pw_warn "not a Debian system (no dpkg-query/apt-get); make sure these are installed: ${PW_PACKAGES[*]}"
    return 0
  fi
  local pkg status missing=()
  for pkg in "${PW_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ $status != *"ok installed"* ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      pw_die "missing packages and not root (and no sudo): install them with
  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    fi
  fi
  pw_log "installing missing packages: ${missing[*]}"
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}

# ---------------------------------------------------------------------------
# Build

pw_build() {
  local mode=${1:-} dir
  local args=()
  case $mode in
    release)
      dir=$ROOT/build/release
      args=(-DCMAKE_BUILD_TYPE=Release)
      ;;
    debug)
      dir=$ROOT/build/debug
      args=(-DCMAKE_BUILD_TYPE=Debug -DPW_SANITIZE=ON)
      ;;
    valgrind)
      # No sanitizers (valgrind cannot run ASan binaries); integration tests get more time.
      dir=$ROOT/build/valgrind
      args=(-DCMAKE_BUILD_TYPE=Debug -DPW_SANITIZE=OFF -DPW_IT_TIMEOUT=1800)
      ;;
    *) pw_die "pw_build: expected 'release', 'debug' or 'valgrind', got '${mode}'" ;;
  esac
  pw_log "building ($mode) in $dir"
  cmake -S "$ROOT" -B "$dir" "${args[@]}"
  cmake --build "$dir" -j"$(nproc)"
}

# The libFuzzer targets of tests/fuzz: clang with -fsanitize=fuzzer,address,undefined.
# RelWithDebInfo: fuzzing wants speed, and crash reports want line numbers.
pw_build_fuzz() {
  local dir=$ROOT/build/fuzz
  command -v clang >/dev/null 2>&1 || pw_die "clang is not installed (packages: ${PW_FUZZ_PACKAGES[*]})"
  pw_log "building the fuzz targets (clang, libFuzzer + ASan + UBSan) in $dir"
  cmake -S "$ROOT" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPW_FUZZ=ON
  cmake --build "$dir" --target fuzz -j"$(nproc)"
}

# ASan (GCC 12's, clang 14's) crashes at start-up (AddressSanitizer:DEADLYSIGNAL) when the
# kernel uses more than 28 bits of mmap randomisation. Sets PW_ASAN_WRAP to a command prefix
# that runs a sanitized program without ASLR there (empty when not needed or not allowed).
pw_asan_wrap() {
  PW_ASAN_WRAP=()
  if [[ -r /proc/sys/vm/mmap_rnd_bits ]] && (($(</proc/sys/vm/mmap_rnd_bits) > 28)); then
    if setarch "$(uname -m)" -R true 2>/dev/null; then
      PW_ASAN_WRAP=(setarch "$(uname -m)" -R)
      pw_log "vm.mmap_rnd_bits > 28: running sanitized binaries without ASLR"
    else
      pw_warn "vm.mmap_rnd_bits > 28 and ASLR cannot be disabled here; ASan binaries may crash (fix: sysctl -w vm.mmap_rnd_bits=28)"
    fi
  fi
}

# ---------------------------------------------------------------------------
# PostgreSQL

# Server bin dir (with initdb, pg_ctl), version >= 15. pg_config --bindir may name a
# client-only dir, so prefer Debian's /usr/lib/postgresql/<highest>/bin.
pw_pg_bin() {
  if [[ -n ${PW_PG_BIN:-} ]]; then
    [[ -x $PW_PG_BIN/initdb && -x $PW_PG_BIN/pg_ctl ]] ||
      pw_die "PW_PG_BIN=$PW_PG_BIN has no initdb/pg_ctl"
    printf '%s\n' "$PW_PG_BIN"
    return 0
  fi
  local d v best=-1 bestdir=
  for d in /usr/lib/postgresql/*/bin; do
    v=${d#/usr/lib/postgresql/}
    v=${v%/bin}
    [[ $v =~ ^[0-9]+$ ]] || continue
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] || continue
    if ((v >= PW_PG_MIN_VERSION && v > best)); then
      best=$v
      bestdir=$d
    fi
  done
  if [[ -n $bestdir ]]; then
    printf '%s\n' "$bestdir"
    return 0
  fi
  local cand=()
  if command -v pg_config >/dev/null 2>&1; then
    cand+=("$(pg_config --bindir)")
  fi
  if command -v initdb >/dev/null 2>&1; then
    cand+=("$(dirname -- "$(command -v initdb)")")
  fi
  for d in "${cand[@]}"; do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] || continue
    v=$("$d/postgres" --version 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\)[.].*/\1/p')
    if [[ $v =~ ^[0-9]+$ ]] && ((v >= PW_PG_MIN_VERSION)); then
      printf '%s\n' "$d"
      return 0
    fi
  done
  pw_die "no PostgreSQL >= $PW_PG_MIN_VERSION server found (install package 'postgresql')"
}

# Resolve the server bin dir once into PW__PGBIN (not in a subshell, so failure exits).
pw__pg_resolve() {
  if [[ -z ${PW__PGBIN:-} ]]; then
    PW__PGBIN=$(pw_pg_bin) || exit 1
  fi
}

# PW__OWNER: prefix that runs a PostgreSQL server program as the 'postgres' OS user when
# we are root (PostgreSQL refuses to run as root), empty otherwise. "env -C /" keeps the
# program from complaining about a working directory it cannot enter.
pw__pg_owner() {
  PW__OWNER=()
  if ((EUID == 0)); then
    PW__OWNER=(runuser -u postgres -- env -C /)
  fi
}

pw__pg_run() {
  pw__pg_owner
  "${PW__OWNER[@]}" "$@"
}

pw__check_root_setup() {
  if ((EUID == 0)); then
    id -u postgres >/dev/null 2>&1 ||
      pw_die "running as root needs the 'postgres' OS user (install package 'postgresql')"
    command -v runuser >/dev/null 2>&1 || pw_die "running as root needs runuser (util-linux)"
  fi
}

pw_pg_conninfo() {
  local dir=${1:?pw_pg_conninfo DIR [USER]} user=${2:-$PW_PG_USER}
  printf 'host=%s port=%s dbname=%s user=%s\n' "$dir" "$PW_PG_PORT" "$PW_PG_DBNAME" "$user"
}

# Can DIR hold a cluster? Socket path short enough, and (as root) reachable by 'postgres'.
pw_pg_dir_usable() {
  local dir=${1:?pw_pg_dir_usable DIR}
  local sock="$dir/.s.PGSQL.$PW_PG_PORT"
  ((${#sock} < 100)) || return 1
  [[ $dir != *[[:space:]\'\"\\]* ]] || return 1
  if ((EUID == 0)); then
    local parent
    parent=$(dirname -- "$dir")
    mkdir -p -- "$parent" || return 1
    runuser -u postgres -- test -x "$parent" 2>/dev/null || return 1
  fi
  return 0
}

pw_pg_init() {
  local dir=${1:?pw_pg_init DIR [throwaway]} throwaway=0
  [[ ${2:-} == throwaway ]] && throwaway=1
  [[ $dir == /* ]] || pw_die "pw_pg_init: DIR must be absolute: $dir"
  pw_pg_dir_usable "$dir" ||
    pw_die "cannot use $dir for PostgreSQL (socket path must be < 100 chars, no spaces/quotes, and reachable by the 'postgres' user when root)"
  pw__check_root_setup
  pw__pg_resolve
  mkdir -p -- "$dir"
  if ((EUID == 0)); then
    chown postgres:postgres -- "$dir"
  fi
  if [[ -f $dir/data/PG_VERSION ]]; then
    return 0
  fi
  pw_log "creating PostgreSQL cluster in $dir/data"
  local initdb_args=(-D "$dir/data" -U "$PW_PG_USER" --auth=trust -E UTF8 --locale=C)
  ((throwaway)) && initdb_args+=(--no-sync)
  rm -rf -- "$dir/data"
  if ! pw__pg_run "$PW__PGBIN/initdb" "${initdb_args[@]}" >"$dir/initdb.log" 2>&1; then
    cat -- "$dir/initdb.log" >&2
    pw_die "initdb failed"
  fi
  {
    printf '\n# --- added by scripts/lib/common.sh ---\n'
    printf "listen_addresses = ''\n"
    printf "unix_socket_directories = '%s'\n" "$dir"
    printf 'unix_socket_permissions = 0777\n'
    printf 'port = %s\n' "$PW_PG_PORT"
    printf "log_min_messages = warning\n"
    if ((throwaway)); then
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
    fi
  } >>"$dir/data/postgresql.conf"
  if ((EUID == 0)); then
    chown -R postgres:postgres -- "$dir"
  fi
}

# Exit status of pg_ctl status: 0 running, 3 not running, 4 no data dir.
pw_pg_running() {
  local dir=${1:?pw_pg_running DIR}
  pw__pg_resolve
  pw__pg_run "$PW__PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# Sets PW__ARGV to the pg_ctl command that starts/stops the cluster in DIR.
pw__pg_ctl_argv() {
  local dir=${1:?} action=${2:?}
  pw__pg_resolve
  pw__pg_owner
  PW__ARGV=("${PW__OWNER[@]}" "$PW__PGBIN/pg_ctl" -D "$dir/data")
  case $action in
    start) PW__ARGV+=(-l "$dir/postgres.log" -w -t 60 start) ;;
    stop) PW__ARGV+=(-m fast -w -t 60 stop) ;;
    stop-immediate) PW__ARGV+=(-m immediate -w -t 60 stop) ;;
    *) pw_die "pw__pg_ctl_argv: bad action $action" ;;
  esac
}

# Print a single shell command line (for sh -c / system()) that starts or stops the
# cluster in DIR: pw_pg_ctl_cmd DIR start|stop
pw_pg_ctl_cmd() {
  local out
  pw__pg_ctl_argv "$@"
  printf -v out '%q ' "${PW__ARGV[@]}"
  printf '%s\n' "${out% }"
}

# Crash the cluster in DIR the hard way (what an OOM kill or a lost host does): freeze
# the postmaster so it forks nothing more, SIGKILL it and all its children at once, wait
# until they are dead. The next start runs crash recovery. PID 1 of a container may never
# reap the dead postmaster; a zombie still "exists" for PostgreSQL's lock-file check, so
# the stale lock files of processes that are dead for sure are removed.
pw_pg_kill() {
  local dir=${1:?pw_pg_kill DIR} pm kids pid i state alive
  [[ -f $dir/data/postmaster.pid ]] || pw_die "pw_pg_kill: no postmaster.pid in $dir/data"
  pm=$(head -n 1 -- "$dir/data/postmaster.pid")
  [[ $pm =~ ^[0-9]+$ ]] || pw_die "pw_pg_kill: bad postmaster.pid in $dir/data"
  kill -STOP "$pm"
  kids=$(pgrep -P "$pm" | tr '\n' ' ')
  # shellcheck disable=SC2086 # a list of pids
  kill -KILL "$pm" $kids 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    alive=0
    for pid in $pm $kids; do
      state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
      if [[ -n $state && $state != Z* ]]; then
        alive=1
      fi
    done
    ((alive)) || break
    sleep 0.05
  done
  ((alive == 0)) || pw_die "pw_pg_kill: PostgreSQL in $dir did not die"
  rm -f -- "$dir/data/postmaster.pid" "$dir/.s.PGSQL.$PW_PG_PORT.lock"
}

pw_pg_kill_cmd() {
  local dir=${1:?pw_pg_kill_cmd DIR} out
  # shellcheck disable=SC2016 # expanded by the inner bash, not here
  printf -v out '%q ' bash -c 'source "$1" && pw_pg_kill "$2"' pw_pg_kill \
    "$ROOT/scripts/lib/common.sh" "$dir"
  printf '%s\n' "${out% }"
}

pw_pg_start() {
  local dir=${1:?pw_pg_start DIR}
  pw__check_root_setup
  pw__pg_resolve
  [[ -f $dir/data/PG_VERSION ]] || pw_die "no cluster in $dir/data (run pw_pg_init first)"
  PW_PG_STARTED=0
  if pw_pg_running "$dir"; then
    pw_log "reusing running PostgreSQL in $dir"
  else
    pw_log "starting PostgreSQL in $dir (log: $dir/postgres.log)"
    pw__pg_ctl_argv "$dir" start
    if ! "${PW__ARGV[@]}" >/dev/null; then
      tail -n 30 -- "$dir/postgres.log" >&2 2>/dev/null || true
      pw_die "PostgreSQL failed to start in $dir"
    fi
    PW_PG_STARTED=1
  fi
  PW_PG_CONNINFO=$(pw_pg_conninfo "$dir")
  export PW_PG_CONNINFO
  local admin exists psql=$PW__PGBIN/psql
  [[ -x $psql ]] || psql=psql
  admin="host=$dir port=$PW_PG_PORT dbname=postgres user=$PW_PG_USER"
  exists=$("$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin" -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PW_PG_DBNAME'") ||
    pw_die "cannot connect to PostgreSQL in $dir"
  if [[ $exists != 1 ]]; then
    "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin" -c "CREATE DATABASE $PW_PG_DBNAME" >/dev/null ||
      pw_die "cannot create database $PW_PG_DBNAME"
  fi
}

# Least privilege (README "Security"): the service logs in as PW_PG_APP_USER, a role that
# owns nothing and may create nothing; `pathways migrate` (as the owner, with
# PATHWAYS_APP_ROLE) grants it SELECT/INSERT/UPDATE/DELETE on the tables. PostgreSQL 15
# already creates databases without CREATE on schema public for PUBLIC; the REVOKE makes
# that explicit (and holds for clusters initialised by older defaults). Idempotent.
pw_pg_app_role() {
  local dir=${1:?pw_pg_app_role DIR} psql
  pw__pg_resolve
  psql=$PW__PGBIN/psql
  [[ -x $psql ]] || psql=psql
  "$psql" -X -q -v ON_ERROR_STOP=1 -d "$(pw_pg_conninfo "$dir")" >/dev/null <<SQL ||
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PW_PG_APP_USER') THEN
    CREATE ROLE $PW_PG_APP_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END
\$\$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
    pw_die "cannot create the app role $PW_PG_APP_USER in $dir"
  PW_PG_APP_CONNINFO=$(pw_pg_conninfo "$dir" "$PW_PG_APP_USER")
  export PW_PG_APP_CONNINFO
}

pw_pg_stop() {
  local dir=${1:?pw_pg_stop DIR}
  [[ -f $dir/data/PG_VERSION ]] || return 0
  pw_pg_running "$dir" || return 0
  pw_log "stopping PostgreSQL in $dir"
  pw__pg_ctl_argv "$dir" stop
  if "${PW__ARGV[@]}" >/dev/null 2>&1; then
    return 0
  fi
  pw_warn "fast shutdown of PostgreSQL in $dir failed; trying immediate"
  pw__pg_ctl_argv "$dir" stop-immediate
  "${PW__ARGV[@]}" >/dev/null 2>&1 && return 0
  pw_pg_running "$dir" || return 0
  pw_warn "could not stop PostgreSQL in $dir"
  return 1
}

# ---------------------------------------------------------------------------
# Cleanup

PW__CLEANUP_PG=()
PW__CLEANUP_RM=()

pw_cleanup_pg() { PW__CLEANUP_PG+=("$1"); }
pw_cleanup_rm() { PW__CLEANUP_RM+=("$1"); }

# Stop registered clusters (newest first), then remove registered dirs. Idempotent.
pw_cleanup() {
  local i
  for ((i = ${#PW__CLEANUP_PG[@]} - 1; i >= 0; i--)); do
    pw_pg_stop "${PW__CLEANUP_PG[i]}" || true
  done
  PW__CLEANUP_PG=()
  for ((i = ${#PW__CLEANUP_RM[@]} - 1; i >= 0; i--)); do
    [[ -n ${PW__CLEANUP_RM[i]} && ${PW__CLEANUP_RM[i]} != / ]] && rm -rf -- "${PW__CLEANUP_RM[i]}"
  done
  PW__CLEANUP_RM=()
}

pw__on_exit() {
  local rc=$?
  set +e
  pw_cleanup
  exit "$rc"
}

pw__on_signal() {
  local sig=$1 rc=$2
  trap '' INT TERM HUP
  set +e
  printf '\n' >&2
  pw_log "caught SIG$sig, cleaning up"
  pw_cleanup
  trap - EXIT
  exit "$rc"
}

pw_traps_install() {
  trap pw__on_exit EXIT
  trap 'pw__on_signal INT 130' INT
  trap 'pw__on_signal TERM 143' TERM
  trap 'pw__on_signal HUP 129' HUP
}
