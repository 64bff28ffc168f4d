#!/usr/bin/env bash
# Installs the Nu Html Checker (vnu.jar, the W3C's HTML validator) for the test suite.
#
#   scripts/install_vnu.sh [destination]   default: .venv/share/vnu/vnu.jar
#
# The jar comes from npm's `vnu-jar` package (the checker's own release, current), fetched
# with `npm pack` so nothing is installed globally; it needs Java 11+ (Debian:
# default-jre-headless, installed here when running as root). Tests find the jar through
# VNU_JAR or at the default destination (tests/test_validators_html.py).
set -euo pipefail

VNU_VERSION=26.9.27
cd "$(dirname "$0")/.."
dest=${1:-${VNU_JAR:-.venv/share/vnu/vnu.jar}}
stamp="$dest.version"

if ! command -v java >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's default-jre-headless for the Nu Html Checker"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "The HTML validation tests need Java: sudo apt-get install default-jre-headless" >&2
    exit 1
  fi
fi

if [ -f "$dest" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$VNU_VERSION" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "Fetching vnu.jar needs npm (Debian: apt-get install npm), or set VNU_JAR to a vnu.jar." >&2
  exit 1
fi
echo "Fetching the Nu Html Checker $VNU_VERSION (npm package vnu-jar)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "vnu-jar@$VNU_VERSION" >/dev/null && tar xzf vnu-jar-*.tgz)
mkdir -p "$(dirname "$dest")"
cp "$work/package/build/dist/vnu.jar" "$dest"
echo "$VNU_VERSION" >"$stamp"
java -jar "$dest" --version
