#!/usr/bin/env bash
# Make sure system programs are installed: `scripts/need.sh redis-server:redis-server chromium:chromium`
# Each argument is PROGRAM:DEBIAN_PACKAGE. A missing program is installed with apt-get when we
# are root; otherwise we say exactly what to install and fail.
set -euo pipefail
missing=()
for pair in "$@"; do
  program=${pair%%:*}
  package=${pair#*:}
  command -v "$program" >/dev/null 2>&1 || [ -x "/usr/bin/$program" ] || [ -x "/usr/sbin/$program" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
