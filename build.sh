#!/usr/bin/env bash
# Portfolio.Sdk: one entry point for a fresh machine with the .NET SDK.
#   ./build.sh demo   run the main job on embedded defaults (see README.md)
#   ./build.sh test   start PostgreSQL and MariaDB, install Chromium and poppler when missing, build, run every test
#   ./build.sh pack   produce the NuGet packages in artifacts/packages
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cmd="${1:-}"
shift || true
case "$cmd" in
  test)
    # shellcheck source=scripts/postgres.sh
    source scripts/postgres.sh
    portfolio_pg_setup
    # shellcheck source=scripts/mariadb.sh
    source scripts/mariadb.sh
    portfolio_mysql_setup
    # shellcheck source=scripts/test-tools.sh
    source scripts/test-tools.sh
    portfolio_tools_setup
    dotnet build Portfolio.Sdk.sln -c Release -warnaserror
    log=$(mktemp)
    status=0
    dotnet test Portfolio.Sdk.sln -c Release --no-build "$@" 2>&1 | tee "$log" || status=$?
    # One closing line for humans and CI, summed over the test assemblies.
    scripts/test-summary.sh "$log"
    rm -f "$log"
    exit "$status"
    ;;
  demo)
    out="${1:-demo-out}"
    dotnet build Portfolio.Sdk.sln -c Release -v quiet -nologo >/dev/null
    portfolio() { dotnet src/Portfolio.Cli/bin/Release/net10.0/portfolio.dll "$@"; }
    # The main job: demo SIS (SQLite) -> rosters and per-year packages -> sandbox gateway in process -> receipts.
    portfolio demo --out "$out"
    echo
    echo "== The rosters, as a school developer checks them (portfolio roster validate):"
    portfolio roster validate "$out"/rosters/*.xlsx
    echo
    echo "Rosters are in $out/rosters/ (open them in Excel). Run ./build.sh demo again: nothing is submitted twice."
    ;;
  pack)
    dotnet pack Portfolio.Sdk.sln -c Release -o artifacts/packages -p:ContinuousIntegrationBuild=true -p:EnableSourceLink=true "$@"
    ;;
  *)
    echo "usage: ./build.sh demo | test | pack" >&2
    exit 2
    ;;
esac
