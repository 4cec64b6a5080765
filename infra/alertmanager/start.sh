#!/bin/sh
# Starts Alertmanager with the Discord webhook URL put into its configuration, which Alertmanager
# 0.25 reads only inline (alertmanager.yml says why):
#
#   start.sh OUTPUT [COMMAND...]
#
# writes alertmanager.yml (next to this script) to OUTPUT with its placeholder replaced by the URL
# from the file $DISCORD_WEBHOOK_URL_FILE, else $DISCORD_WEBHOOK_URL, then execs COMMAND (the
# alertmanager binary with --config.file=OUTPUT). Never prints the URL: it holds a secret token.
# POSIX sh and awk only (the prom/alertmanager image is busybox); infra-tests runs it too.
set -eu

output=${1:?usage: start.sh OUTPUT [COMMAND...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
placeholder='https://discord-webhook-url.invalid/set-by-start.sh'

url=""
if [ -n "${DISCORD_WEBHOOK_URL_FILE:-}" ] && [ -r "$DISCORD_WEBHOOK_URL_FILE" ]; then
  url=$(tr -d ' \t\r\n' < "$DISCORD_WEBHOOK_URL_FILE")
fi
if [ -z "$url" ]; then
  url=${DISCORD_WEBHOOK_URL:-}
fi

case "$url" in
  "")
    echo "start.sh: no Discord webhook URL (DISCORD_WEBHOOK_URL_FILE, DISCORD_WEBHOOK_URL): alerts are not delivered" >&2
    url=$placeholder ;;
  *[!A-Za-z0-9:/._~%?\&=+-]*)
    echo "start.sh: the Discord webhook URL has characters a URL does not have; alerts are not delivered" >&2
    url=$placeholder ;;
  https://*) echo "start.sh: alerts go to the Discord webhook ${url%/*}/****" >&2 ;;
  *)
    echo "start.sh: the Discord webhook URL is not an https:// URL; alerts are not delivered" >&2
    url=$placeholder ;;
esac

# index/substr rather than sub(): a replacement's & and \ would be read as regex syntax; the
# search goes on after each replacement, so a URL that contains the placeholder cannot loop
WEBHOOK_URL=$url awk -v placeholder="$placeholder" '
  { out = ""; rest = $0
    while ((i = index(rest, placeholder)) > 0) {
      out = out substr(rest, 1, i - 1) ENVIRON["WEBHOOK_URL"]
      rest = substr(rest, i + length(placeholder))
    }
    print out rest }' "$here/alertmanager.yml" > "$output"
# the templates: path is relative to the configuration file; -L: a ConfigMap mount's entries are
# symbolic links into its ..data folder
if [ "$(dirname "$output")" != "$here" ]; then
  rm -rf "$(dirname "$output")/templates"
  cp -RL "$here/templates" "$(dirname "$output")/templates"
fi

if [ $# -gt 0 ]; then
  exec "$@"
fi
