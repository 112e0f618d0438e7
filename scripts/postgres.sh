#!/usr/bin/env bash
# Starts the local PostgreSQL 15 the integration tests use, creates the test role and database, and exports
# PORTFOLIO_TEST_PG. Sourced by build.sh. Idempotent: safe to run when the server is already up.
# In CI (CI=true) any failure here fails the run; elsewhere the PostgreSQL tests skip with a message.

portfolio_pg_fail() {
  echo "postgres: $*" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  return 0
}

portfolio_pg_setup() {
  if [ -n "${PORTFOLIO_TEST_PG:-}" ]; then
    echo "postgres: using PORTFOLIO_TEST_PG from the environment"
    return 0
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "postgres: installing postgresql-15 from Debian packages"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null) \
        || { portfolio_pg_fail "could not install postgresql-15"; return 0; }
    else
      portfolio_pg_fail "PostgreSQL 15 is not installed and cannot be installed here; PostgreSQL tests will skip"
      return 0
    fi
  fi
  if [ "$(id -u)" != "0" ]; then
    portfolio_pg_fail "starting PostgreSQL needs root; set PORTFOLIO_TEST_PG to use a server you run yourself"
    return 0
  fi

  local version cluster
  version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
  if [ -z "$version" ]; then
    version=15; cluster=main
    pg_createcluster "$version" "$cluster" >/dev/null || { portfolio_pg_fail "could not create a cluster"; return 0; }
  fi
  pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p "$port" || { portfolio_pg_fail "PostgreSQL did not start on port $port"; return 0; }

  runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL' || { portfolio_pg_fail "could not create the test role"; return 0; }
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portfolio') THEN
    CREATE ROLE portfolio LOGIN PASSWORD 'portfolio' CREATEDB;
  END IF;
END
$$;
SQL
  if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'portfolio_test'" | grep -q 1; then
    runuser -u postgres -- createdb -p "$port" -O portfolio portfolio_test || { portfolio_pg_fail "could not create the test database"; return 0; }
  fi
  export PORTFOLIO_TEST_PG="Host=127.0.0.1;Port=$port;Username=portfolio;Password=portfolio;Database=portfolio_test"
  echo "postgres: ready on 127.0.0.1:$port (database portfolio_test)"
}
