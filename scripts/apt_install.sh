#!/usr/bin/env bash
# Installs Debian packages quietly, as root, without starting their services (policy-rc.d
# answers 101), so that no package takes a port the tests or benchmarks did not ask for.
#
#   scripts/apt_install.sh PACKAGE...
set -euo pipefail

apt-get update -qq
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
