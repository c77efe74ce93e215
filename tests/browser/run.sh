#!/usr/bin/env bash
# Browser test of the respondent form and the researcher app: a fresh SQLite database with the
# bundled survey, thirteen invitees (ten of whom answer over the JSON API first, respond.mjs), a
# researcher and a reader account, the invitations sent to an outbox folder, `peiling serve` on
# a free port, then form.test.mjs walks through the form in
# headless Chromium on a 360 px phone viewport (and closes the survey), and researcher.test.mjs
# walks a researcher from login to a published report (desktop and phone); both run axe-core on
# every page; access.test.mjs then walks the reading room without an account, a second
# researcher who is added to the survey's team, and an admin who disables that researcher.
#
# Builds nothing: run `cargo build` first (or set PEILING_BIN), and `npm ci` in tests/browser.
#   PEILING_BIN     the peiling binary (default: target/debug/peiling in the repository)
#   SCREENSHOT_DIR  where the screenshots go (default: a new temporary folder, printed)
#   CHROMIUM_PATH   the browser (default: /usr/bin/chromium)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SURVEY=maatwerkbudget-2021
# Test accounts, only ever in the throw-away database below.
RESEARCHER_EMAIL=onderzoeker@example.org
RESEARCHER_PASSWORD='proef-onderzoeker-2026'
READER_EMAIL=raadslid@example.org
READER_PASSWORD='proef-leeskamer-2026'
SECOND_EMAIL=collega@example.org
SECOND_PASSWORD='proef-collega-onderzoek-2026'
ADMIN_EMAIL=beheer@example.org
ADMIN_PASSWORD='proef-beheerder-2026'

PEILING_BIN="${PEILING_BIN:-$ROOT/target/debug/peiling}"
case "$PEILING_BIN" in /*) ;; *) PEILING_BIN="$ROOT/$PEILING_BIN" ;; esac
if [ ! -x "$PEILING_BIN" ]; then
  echo "browser test: $PEILING_BIN does not exist; run \`cargo build\` first or set PEILING_BIN" >&2
  exit 1
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "browser test: no browser at $CHROMIUM_PATH; install the Debian packages chromium and chromium-driver" >&2
  exit 1
fi
if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -d "$HERE/node_modules/axe-core" ]; then
  echo "browser test: run \`npm ci\` in tests/browser first" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/peiling-browser.XXXXXX")"
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/peiling-screenshots.XXXXXX")}"
mkdir -p "$SCREENSHOT_DIR"
SCREENSHOT_DIR="$(cd "$SCREENSHOT_DIR" && pwd)"
SERVER_PID=""

cleanup() {
  local status=$?
  # A closed output (`run.sh | head`) must not stop the cleanup half-way.
  trap '' PIPE
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$WORK/serve.log" ]; then
    echo "--- peiling serve log (last 40 lines) ---" >&2
    tail -n 40 "$WORK/serve.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# A free port: the kernel picks one, and it is released just before the server binds it.
PORT="$(node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")"

export DATABASE_URL="sqlite://$WORK/peiling.db?mode=rwc"
export PEILING_OUTBOX_DIR="$WORK/outbox"
export PEILING_BASE_URL="http://127.0.0.1:$PORT"
export PEILING_LISTEN="127.0.0.1:$PORT"
unset PEILING_SMTP_URL

echo "browser test: database and outbox in $WORK, server at $PEILING_BASE_URL"
PEILING_PASSWORD="$RESEARCHER_PASSWORD" "$PEILING_BIN" user add "$RESEARCHER_EMAIL" --role researcher
PEILING_PASSWORD="$READER_PASSWORD" "$PEILING_BIN" user add "$READER_EMAIL" --role reader
PEILING_PASSWORD="$SECOND_PASSWORD" "$PEILING_BIN" user add "$SECOND_EMAIL" --role researcher
PEILING_PASSWORD="$ADMIN_PASSWORD" "$PEILING_BIN" user add "$ADMIN_EMAIL" --role admin
"$PEILING_BIN" survey create "$ROOT/surveys/$SURVEY.toml" --owner "$RESEARCHER_EMAIL"
# Anna, Bram and Cees are walked through by form.test.mjs; ten more answer over the JSON API
# (respond.mjs), so that the report has enough responses to be published (min_base 10).
{
  printf 'email;team\nanna@example.org;SWT\nbram@example.org;JLR\ncees@example.org;SWT\n'
  for i in 01 02 03 04 05 06 07 08 09 10; do printf 'extra-%s@example.org;%s\n' "$i" "$([ $((10#$i % 2)) -eq 0 ] && echo SWT || echo JLR)"; done
} >"$WORK/invitees.csv"
"$PEILING_BIN" invitees import "$SURVEY" "$WORK/invitees.csv"
"$PEILING_BIN" survey open "$SURVEY" --closes "$(date -d '+30 days' +%F)" --send

# Sorted by recipient: anna, bram and cees first, then the ten extra-NN.
node "$HERE/links.mjs" "$PEILING_OUTBOX_DIR" "$PEILING_BASE_URL" >"$WORK/all-links.txt"
if [ "$(wc -l <"$WORK/all-links.txt")" -ne 13 ]; then
  echo "browser test: expected 13 personal links in $PEILING_OUTBOX_DIR, found:" >&2
  cat "$WORK/all-links.txt" >&2
  exit 1
fi
head -n 3 "$WORK/all-links.txt" >"$WORK/links.txt"
tail -n +4 "$WORK/all-links.txt" >"$WORK/extra-links.txt"

"$PEILING_BIN" serve --listen "$PEILING_LISTEN" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!

# Ready when an unknown link gets the 404 page.
for _ in $(seq 1 100); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "browser test: peiling serve stopped before answering" >&2
    exit 1
  fi
  if node -e "fetch(process.argv[1]).then((r) => process.exit(r.status === 404 ? 0 : 1), () => process.exit(1))" \
    "$PEILING_BASE_URL/s/not-a-token" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
if ! node -e "fetch(process.argv[1]).then((r) => process.exit(r.status === 404 ? 0 : 1), () => process.exit(1))" \
  "$PEILING_BASE_URL/s/not-a-token" 2>/dev/null; then
  echo "browser test: peiling serve does not answer at $PEILING_BASE_URL" >&2
  exit 1
fi

node "$HERE/respond.mjs" "$WORK/extra-links.txt"
echo "browser test: screenshots go to $SCREENSHOT_DIR"
BASE_URL="$PEILING_BASE_URL" LINKS_FILE="$WORK/links.txt" PEILING_BIN="$PEILING_BIN" SURVEY="$SURVEY" \
  node "$HERE/form.test.mjs"
BASE_URL="$PEILING_BASE_URL" SURVEY="$SURVEY" \
  RESEARCHER_EMAIL="$RESEARCHER_EMAIL" RESEARCHER_PASSWORD="$RESEARCHER_PASSWORD" \
  READER_EMAIL="$READER_EMAIL" READER_PASSWORD="$READER_PASSWORD" \
  node "$HERE/researcher.test.mjs"
BASE_URL="$PEILING_BASE_URL" SURVEY="$SURVEY" \
  RESEARCHER_EMAIL="$RESEARCHER_EMAIL" RESEARCHER_PASSWORD="$RESEARCHER_PASSWORD" \
  SECOND_EMAIL="$SECOND_EMAIL" SECOND_PASSWORD="$SECOND_PASSWORD" \
  ADMIN_EMAIL="$ADMIN_EMAIL" ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  node "$HERE/access.test.mjs"
echo "browser test: passed; screenshots in $SCREENSHOT_DIR"
