#!/usr/bin/env bash
# Installs the Debian packages that the tests, the scanner lab and the benchmarks need,
# only when one is missing, so a warm machine pays nothing. Services are never started
# by apt (policy-rc.d): the tests start their own instances on loopback.
set -euo pipefail

# Usage: install-system-packages.sh run|test
#   run:  what `make run` needs (translations are compiled; Node.js builds the static assets)
#   test: that, plus what the tests, the scanner lab and the benchmarks need
mode=${1:-test}
packages=(gettext nodejs npm)
# PDF exports of incident reports (WeasyPrint needs pango; Japanese fonts) are a product feature
packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
if [ "$mode" = test ]; then
  packages+=(
    chromium fonts-noto-cjk                          # browser tests (axe-core), PDF fonts
    postgresql redis-server                          # the suite on PostgreSQL; RQ task backend
    nginx apache2 openssh-server vsftpd memcached   # scanner lab: real Debian servers
    exim4-daemon-light nsd nmap nftables iproute2    # SMTP, DNS zones, reference scanner, netns
    openssl                                          # lab certificates
    squid                                            # scanner lab: an open HTTP proxy
    poppler-utils                                    # pdftotext/pdftoppm in the export tests
    openjdk-17-jre-headless                          # PySpark (local mode) for the security cloud's national view
  )
fi

missing=()
for p in "${packages[@]}"; do
  case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run as root or install them)" >&2
  exit 1
fi
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
