#!/usr/bin/env bash
# Portfolio.Sdk: one entry point for a fresh machine with the .NET SDK.
#   ./build.sh demo   run the main job on embedded defaults (see README.md)
#   ./build.sh test   start PostgreSQL, build, and run every test
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
    dotnet build Portfolio.Sdk.sln -c Release -warnaserror
    log=$(mktemp)
    status=0
    dotnet test Portfolio.Sdk.sln -c Release --no-build "$@" 2>&1 | tee "$log" || status=$?
    # One closing line for humans and CI, summed over the test assemblies.
    awk '/(Passed|Failed)! +- +Failed:/ {
           for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
             if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
         END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    rm -f "$log"
    exit "$status"
    ;;
  demo)
    dotnet build src/Portfolio.Cli -c Release -v quiet -nologo >/dev/null
    portfolio() { dotnet src/Portfolio.Cli/bin/Release/net10.0/portfolio.dll "$@"; }
    echo "== portfolio ids check (身分證號、舊式與新式居留證；最後一個檢查碼錯誤)"
    portfolio ids check A123456789 AC01234567 A800000014 A123456788 || true
    echo
    echo "== portfolio course-code explain (一般課程；團體活動 8+D；彈性學習缺 D；測試學校)"
    portfolio course-code explain 108060322H1110101010101 108060322H11101080D0101 108060322H1110109010101 113000000V2230511200201
    echo
    echo "== portfolio codes list"
    portfolio codes list
    ;;
  pack)
    dotnet pack Portfolio.Sdk.sln -c Release -o artifacts/packages -p:ContinuousIntegrationBuild=true -p:EnableSourceLink=true "$@"
    ;;
  *)
    echo "usage: ./build.sh demo | test | pack" >&2
    exit 2
    ;;
esac
