#!/bin/sh
# Writes Alertmanager's configuration from alertmanager.yml and the city's ALERT_* variables, so that
# no address, URL or password is ever committed. docker compose runs it before Alertmanager starts
# (busybox sh and awk of the official image); tools/monitoring/alertmanager.spec.ts runs it too.
#
#   render-config.sh [template] [output]
#
# ALERT_EMAIL_TO        comma-separated addresses for warnings (and, unless set apart below, critical)
# ALERT_WEBHOOK_URL     a webhook receiving Alertmanager's JSON (a chat bridge, the city's ticketing)
# ALERT_CRITICAL_EMAIL_TO, ALERT_CRITICAL_WEBHOOK_URL   where critical alerts go (default: the above)
# ALERT_SMTP_SMARTHOST (host:port), ALERT_SMTP_FROM, ALERT_SMTP_USERNAME, ALERT_SMTP_PASSWORD,
# ALERT_SMTP_REQUIRE_TLS (true)   the mail server, required when an address is set
# None set: alerts are routed, grouped and shown by Alertmanager, and sent nowhere.
set -eu
template=${1:-/etc/alertmanager/alertmanager.yml}
output=${2:-/run/alertmanager/alertmanager.yml}

ALERT_CRITICAL_EMAIL_TO=${ALERT_CRITICAL_EMAIL_TO:-${ALERT_EMAIL_TO:-}}
ALERT_CRITICAL_WEBHOOK_URL=${ALERT_CRITICAL_WEBHOOK_URL:-${ALERT_WEBHOOK_URL:-}}
export ALERT_CRITICAL_EMAIL_TO ALERT_CRITICAL_WEBHOOK_URL

if [ -n "${ALERT_EMAIL_TO:-}${ALERT_CRITICAL_EMAIL_TO}" ]; then
  if [ -z "${ALERT_SMTP_SMARTHOST:-}" ] || [ -z "${ALERT_SMTP_FROM:-}" ]; then
    echo "render-config.sh: ALERT_EMAIL_TO needs ALERT_SMTP_SMARTHOST (host:port) and ALERT_SMTP_FROM" >&2
    exit 64
  fi
  ALERT_EMAIL=on
else
  ALERT_EMAIL=
fi
export ALERT_EMAIL

mkdir -p "$(dirname "$output")"
awk '
  # YAML single-quoted scalar: a quote inside is doubled, so no value can change the structure.
  function quoted(value,    sq) {
    sq = "\047"
    gsub(sq, sq sq, value)
    gsub(/[\r\n]/, "", value)
    return sq value sq
  }
  function integrations(email, webhook) {
    if (email != "") {
      print "    email_configs:"
      print "      - to: " quoted(email)
      print "        send_resolved: true"
    }
    if (webhook != "") {
      print "    webhook_configs:"
      print "      - url: " quoted(webhook)
      print "        send_resolved: true"
    }
  }
  /^  # smtp:/ {
    if (ENVIRON["ALERT_EMAIL"] != "") {
      print "  smtp_smarthost: " quoted(ENVIRON["ALERT_SMTP_SMARTHOST"])
      print "  smtp_from: " quoted(ENVIRON["ALERT_SMTP_FROM"])
      if (ENVIRON["ALERT_SMTP_USERNAME"] != "") {
        print "  smtp_auth_username: " quoted(ENVIRON["ALERT_SMTP_USERNAME"])
        print "  smtp_auth_password: " quoted(ENVIRON["ALERT_SMTP_PASSWORD"])
      }
      tls = ENVIRON["ALERT_SMTP_REQUIRE_TLS"] == "false" ? "false" : "true"
      print "  smtp_require_tls: " tls
    }
    next
  }
  /^    # integrations: ALERT_EMAIL_TO/ {
    integrations(ENVIRON["ALERT_EMAIL_TO"], ENVIRON["ALERT_WEBHOOK_URL"])
    next
  }
  /^    # integrations: ALERT_CRITICAL_EMAIL_TO/ {
    integrations(ENVIRON["ALERT_CRITICAL_EMAIL_TO"], ENVIRON["ALERT_CRITICAL_WEBHOOK_URL"])
    next
  }
  { print }
' "$template" > "$output"
echo "render-config.sh: wrote $output (email: ${ALERT_EMAIL:-off}, webhook: $([ -n "${ALERT_WEBHOOK_URL:-}${ALERT_CRITICAL_WEBHOOK_URL}" ] && echo on || echo off))"
