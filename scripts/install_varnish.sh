#!/usr/bin/env bash
# Installs Varnish and its xkey module (Debian's varnish and varnish-modules) for the tests.
#
#   scripts/install_varnish.sh
#
# The Varnish tests (tests/test_varnish*.py) start their own varnishd on a loopback port with
# deploy/varnish/newsroom.vcl; they need varnishd on PATH (or in /usr/sbin) and the xkey vmod.
# Nothing is started or enabled here: Debian's package starts a system varnishd on port 6081,
# which is stopped again so it does not hold a port nobody asked for.
set -euo pipefail

has_xkey() {
  local dir
  for dir in /usr/lib/*/varnish/vmods /usr/lib/varnish/vmods; do
    [ -e "$dir/libvmod_xkey.so" ] && return 0
  done
  return 1
}

if command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ]; then
  has_xkey && exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "The Varnish tests need varnish and its xkey module: sudo apt-get install varnish varnish-modules" >&2
  exit 1
fi
echo "Installing Debian's varnish and varnish-modules for the Varnish tests"
"$(dirname "$0")/apt_install.sh" varnish varnish-modules
/usr/sbin/varnishd -V
