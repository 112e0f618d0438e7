#!/usr/bin/env bash
# Installs the Debian tools some tests need, when missing: Chromium for the browser tests
# (tests/Portfolio.Sdk.Browser.Tests; Playwright's own browser download cannot work here), poppler-utils for the
# 確認單 tests (pdftoppm, pdftotext) and fonts-noto-cjk for both (the zh-TW pages and the PDF's embedded face).
# Sourced by build.sh. Without root or apt-get it only says what is missing: those tests then skip, or fail when CI=true.

portfolio_tools_setup() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "tools: installing ${missing[*]} from Debian packages"
    if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null); then
      return 0
    fi
  fi
  echo "tools: missing ${missing[*]}; the browser and 確認單 tests skip (and fail when CI=true)" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  return 0
}
