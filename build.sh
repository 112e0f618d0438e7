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
    out="${1:-demo-out}"
    dotnet build Portfolio.Sdk.sln -c Release -v quiet -nologo >/dev/null
    portfolio() { dotnet src/Portfolio.Cli/bin/Release/net10.0/portfolio.dll "$@"; }
    echo "== 1. 身分證號 (portfolio ids check): national ID, old and 2021 resident certificates, a wrong check digit"
    portfolio ids check A123456789 AC01234567 A800000014 A123456788 || true
    echo
    echo "== 2. 課程代碼 (portfolio course-code explain): a regular course and a 團體活動時間 course with attribute D"
    portfolio course-code explain 108060322H1110101010101 108060322H11101080D0101
    echo
    echo "== 3. Rosters with the SDK (samples/Rosters): 學期成績 from typed rows, validated as written; the 課程學習成果 package"
    dotnet samples/Rosters/bin/Release/net10.0/Rosters.dll "$out"
    echo
    echo "== 4. The workbooks with the CLI (portfolio roster inspect / validate)"
    for f in "$out"/*.xlsx; do portfolio roster inspect "$f"; done
    portfolio roster validate "$out"/*.xlsx || echo "(exit code $?: the sample roster holds the research's typical errors, as intended)"
    portfolio roster verify-package "$out"/*.zip
    echo
    echo "Rosters written to $out/ (open them in Excel)."
    ;;
  pack)
    dotnet pack Portfolio.Sdk.sln -c Release -o artifacts/packages -p:ContinuousIntegrationBuild=true -p:EnableSourceLink=true "$@"
    ;;
  *)
    echo "usage: ./build.sh demo | test | pack" >&2
    exit 2
    ;;
esac
