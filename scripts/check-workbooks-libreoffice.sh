#!/usr/bin/env bash
# Opens the rosters `portfolio demo` writes with LibreOffice, headless, as a clerk's spreadsheet program would, and
# checks that it reads what our own reader reads: the cover cell by cell (the 學校代碼 keeps its leading zero), every
# sheet's row count, and the text-format columns (身分證號 10 characters, 課程代碼 23). .ci/run calls it when
# LibreOffice is installed (Debian: libreoffice-calc); without soffice it says so and exits 0.
#   scripts/check-workbooks-libreoffice.sh [folder-with-xlsx]   (default: a fresh `portfolio demo` run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v soffice >/dev/null 2>&1; then
  echo "libreoffice check: soffice is not installed; skipped (apt-get install libreoffice-calc to run it)"
  exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "libreoffice check: python3 is needed to compare the files" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
portfolio() { dotnet src/Portfolio.Cli/bin/Release/net10.0/portfolio.dll "$@"; }
folder="${1:-}"
if [ -z "$folder" ]; then
  portfolio demo --out "$work/demo" >/dev/null
  folder="$work/demo/rosters"
fi

failures=0
checked=0
for workbook in "$folder"/*.xlsx; do
  name=$(basename "$workbook" .xlsx)
  mkdir -p "$work/csv/$name"
  cp "$workbook" "$work/csv/$name/book.xlsx"
  # Every sheet to its own CSV (UTF-8, comma, quoted text; the last token -1 exports all sheets).
  soffice --headless -env:UserInstallation=file://"$work/profile" \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$work/csv/$name" "$work/csv/$name/book.xlsx" >/dev/null 2>&1
  portfolio roster inspect --json "$workbook" > "$work/csv/$name/inspect.json"
  if python3 - "$work/csv/$name" <<'PY'
import csv, json, pathlib, re, sys
folder = pathlib.Path(sys.argv[1])
ours = json.loads((folder / "inspect.json").read_text(encoding="utf-8"))
problems = []
def sheet(name):
    path = folder / f"book-{name}.csv"
    if not path.exists():
        problems.append(f"LibreOffice wrote no sheet {name}")
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))
cover = sheet("封面")
want = [ours["cover"]["schoolCode"], ours["cover"]["schoolYear"], ours["cover"]["term"], ours["cover"]["book"]]
if len(cover) < 2 or cover[1][:4] != want:
    problems.append(f"cover: LibreOffice read {cover[1][:4] if len(cover) > 1 else None}, we read {want}")
for s in ours["sheets"]:
    rows = sheet(s["name"])
    data = [r for r in rows[1:] if any(c.strip() for c in r)]
    if len(data) != s["rows"]:
        problems.append(f"{s['name']}: LibreOffice read {len(data)} rows, we read {s['rows']}")
    header = rows[0] if rows else []
    for column, pattern in (("身分證號", r"^[A-Z][0-9A-D][0-9]{8}$"), ("課程代碼", r"^[0-9A-Z]{23}$")):
        if column in header:
            i = header.index(column)
            bad = [r[i] for r in data if i < len(r) and r[i] and not re.match(pattern, r[i])]
            if bad:
                problems.append(f"{s['name']}/{column}: {len(bad)} cells changed, e.g. {bad[0][:3]}…")
for p in problems:
    print("  " + p)
if not problems:
    print("  cover and " + ", ".join(f"{s['name']} {s['rows']} rows" for s in ours["sheets"]) + ": the same in LibreOffice")
sys.exit(1 if problems else 0)
PY
  then
    echo "libreoffice check: $name.xlsx read alike"
  else
    echo "libreoffice check: $name.xlsx differs in LibreOffice" >&2
    failures=$((failures + 1))
  fi
  checked=$((checked + 1))
done

[ "$checked" -gt 0 ] || { echo "libreoffice check: no workbooks in $folder" >&2; exit 1; }
echo "libreoffice check: $checked workbooks, $failures with differences"
[ "$failures" -eq 0 ]
