#!/usr/bin/env bash
# Installs every Debian 12 package Recourse needs to build, run and test. Idempotent: it
# asks apt only for what is missing, and does nothing when everything is there.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake make pkg-config clang-format clang-tidy
  # libraries (docs/architecture.md says why each was chosen)
  libpoco-dev libsqlite3-dev libsodium-dev libhpdf-dev libqpdf-dev libcsv-dev libkainjow-mustache-dev
  libfreetype-dev libharfbuzz-dev libpng-dev libjpeg-dev
  # the app's memory allocator (mimalloc: docs/architecture.md)
  libmimalloc-dev
  # the organization store: libpq for Poco's PostgreSQL connector, and the server whose
  # initdb and pg_ctl start a throwaway cluster for the tests (scripts/pg_cluster.sh)
  libpq-dev postgresql-15
  # tests
  googletest libgtest-dev
  # fuzzing (scripts/fuzz.sh): clang and its libFuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
  # fonts for PDFs with names such as "Zoë Müller-Nuñez", and the PDF checking tools
  fonts-dejavu-core poppler-utils qpdf
  # the browser tests: Debian's Chromium, driven by playwright-core from npm (tests/e2e)
  chromium
  # the TLS tests make a throwaway certificate with it
  openssl
  # the HTTP benchmark (bench/http.sh)
  wrk
)
# Node.js and npm run the browser tests. A machine that already has them (any source, version
# 18 or later) keeps its own; otherwise Debian's are installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages are installed."
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: these packages are missing and this user cannot install them: ${missing[*]}" >&2
    echo "setup: run this script as root, or install them with apt-get." >&2
    exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Debian's server package makes and starts a cluster "main" on port 5432 unless told not to;
# the tests start their own throwaway cluster and need no server left running.
if [[ " ${missing[*]} " == *" postgresql-15 "* ]] && [ ! -d /var/lib/postgresql/15/main ]; then
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" |
    $SUDO tee /etc/postgresql-common/createcluster.d/recourse-no-main-cluster.conf >/dev/null
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done."
