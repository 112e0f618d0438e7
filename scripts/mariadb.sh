#!/usr/bin/env bash
# Starts the local MariaDB the integration tests use, creates the test user and database, and exports
# PORTFOLIO_TEST_MYSQL (a MySqlConnector connection string). Sourced by build.sh. Idempotent: safe to run when
# the server is already up. In CI (CI=true) any failure here fails the run; elsewhere the MariaDB tests skip
# with a message.
#
# The user portfolio/portfolio on 127.0.0.1 owns every database whose name starts with "portfolio_": the tests
# create a database of their own per test class (portfolio_test_<guid>) and drop it afterwards.
# No awk, sed dialect or bash-only test tool is relied on beyond POSIX: Debian packages may replace awk.

portfolio_mysql_fail() {
  echo "mariadb: $*" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  return 0
}

portfolio_mysql_setup() {
  if [ -n "${PORTFOLIO_TEST_MYSQL:-}" ]; then
    echo "mariadb: using PORTFOLIO_TEST_MYSQL from the environment"
    return 0
  fi
  if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "mariadb: installing mariadb-server from Debian packages"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null) \
        || { portfolio_mysql_fail "could not install mariadb-server"; return 0; }
    else
      portfolio_mysql_fail "MariaDB is not installed and cannot be installed here; MariaDB tests will skip"
      return 0
    fi
  fi
  if [ "$(id -u)" != "0" ]; then
    portfolio_mysql_fail "starting MariaDB needs root; set PORTFOLIO_TEST_MYSQL to use a server you run yourself"
    return 0
  fi

  local admin
  admin="mariadb"
  command -v mariadb >/dev/null 2>&1 || admin="mysql"
  # Nothing starts the server at install time (no init system here): start it unless it already answers.
  if ! mariadb-admin ping --silent >/dev/null 2>&1; then
    service mariadb start >/dev/null 2>&1 || service mysql start >/dev/null 2>&1 || true
  fi
  local ready=""
  for _ in $(seq 1 30); do
    if mariadb-admin ping --silent >/dev/null 2>&1; then ready=1; break; fi
    sleep 1
  done
  [ -n "$ready" ] || { portfolio_mysql_fail "MariaDB did not start"; return 0; }

  # Root connects through the unix socket (unix_socket authentication, Debian's default).
  "$admin" --protocol=socket -u root <<'SQL' || { portfolio_mysql_fail "could not create the test user and database"; return 0; }
CREATE DATABASE IF NOT EXISTS portfolio_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'portfolio'@'127.0.0.1' IDENTIFIED BY 'portfolio';
CREATE USER IF NOT EXISTS 'portfolio'@'localhost' IDENTIFIED BY 'portfolio';
GRANT ALL PRIVILEGES ON `portfolio\_%`.* TO 'portfolio'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `portfolio\_%`.* TO 'portfolio'@'localhost';
FLUSH PRIVILEGES;
SQL
  local port
  port=$("$admin" --protocol=socket -u root -N -B -e "SELECT @@port" 2>/dev/null)
  [ -n "$port" ] || port=3306
  export PORTFOLIO_TEST_MYSQL="Server=127.0.0.1;Port=$port;User ID=portfolio;Password=portfolio;Database=portfolio_test;CharacterSet=utf8mb4"
  echo "mariadb: $("$admin" --protocol=socket -u root -N -B -e "SELECT VERSION()" 2>/dev/null) ready on 127.0.0.1:$port (database portfolio_test)"
}
