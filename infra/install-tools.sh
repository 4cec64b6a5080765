#!/usr/bin/env bash
# Installs the host tools the infra checks, the fault suite and the local stack use, from Debian's packages,
# when they are missing: prometheus (and promtool), nginx, redis-server, wrk; kubectl is expected from the machine
# image or Debian/Kubernetes packages. Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

declare -A package_of=([prometheus]=prometheus [promtool]=prometheus [nginx]=nginx [redis-server]=redis-server [wrk]=wrk)
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(prometheus promtool nginx)

missing=()
for tool in "${wanted[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ] && [ ! -x "/usr/bin/$tool" ]; then
    missing+=("${package_of[$tool]:-$tool}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "Missing: $packages— install them with: apt-get install $packages" >&2; exit 2
fi
echo "• Installing $packages(apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
# no services: the packages' own init scripts would start a system Prometheus/nginx on public
# ports; policy-rc.d answering 101 tells Debian's maintainer scripts not to start them
policy=/usr/sbin/policy-rc.d
placed_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && placed_policy=true
fi
trap '[ "$placed_policy" = true ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold $packages >/dev/null
