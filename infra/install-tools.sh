#!/usr/bin/env bash
# Installs the host programs the tests and ./rushcoupon run, from the machine's apt packages, when
# they are missing: bash infra/install-tools.sh TOOL...   (redis-server redis-cli nginx prometheus promtool amtool kubectl wrk)
#
# ./mvnw verify runs it once per module before that module's integration tests (exec-maven-plugin,
# phase pre-integration-test, tools from the module's rushcoupon.test.tools; docs/testing.md); the tests
# themselves only look the programs up. Prints one line when everything is there, says what it installs
# and why otherwise, and exits non-zero at once, with the command to run, when it cannot install
# (not root and no sudo without a password, or apt has no such package).
set -euo pipefail

declare -A package_of=([redis-server]=redis-server [redis-cli]=redis-tools [nginx]=nginx [prometheus]=prometheus [promtool]=prometheus
  [amtool]=prometheus-alertmanager [kubectl]=kubectl [wrk]=wrk)
declare -A needed_for=(
  [redis-server]="a Redis the fault tests kill and restart (test-support, system-tests)"
  [redis-cli]="redis-cli --cluster create of a Redis Cluster (harness, system-tests F8, ./rushcoupon up --redis-cluster)"
  [nginx]="nginx -t and a proxying nginx (infra-tests), two gateways behind nginx (system-tests), ./rushcoupon up --gateways N"
  [prometheus]="a real Prometheus evaluating the dashboard and alerts during a rush (system-tests)"
  [promtool]="promtool check of infra/prometheus (infra-tests)"
  [amtool]="amtool check-config of infra/alertmanager (infra-tests; Alertmanager >= 0.25 for discord_configs)"
  [kubectl]="kubectl kustomize of infra/k8s (infra-tests)"
  [wrk]="the load generator of ./rushcoupon bench")

if [ $# -eq 0 ]; then
  echo "usage: bash infra/install-tools.sh TOOL...   (tools: ${!package_of[*]})" >&2
  exit 2
fi

found() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

missing=()
for tool in "$@"; do
  if [ -z "${package_of[$tool]:-}" ]; then
    echo "install-tools.sh: unknown tool '$tool' (known: ${!package_of[*]})" >&2
    exit 2
  fi
  found "$tool" || missing+=("$tool")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "• Host tools present: $*"
  exit 0
fi

packages=$(for tool in "${missing[@]}"; do echo "${package_of[$tool]}"; done | sort -u | tr '\n' ' ')
packages=${packages% }
for tool in "${missing[@]}"; do
  echo "• $tool is missing; needed for ${needed_for[$tool]}"
done

if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "✗ Cannot install $packages: not root and no password-less sudo. Run, then build again:" >&2
  echo "    sudo bash infra/install-tools.sh ${missing[*]}" >&2
  exit 2
fi

echo "• Installing apt packages: $packages"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
for package in $packages; do
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    echo "✗ apt knows no package '$package'. Install it by hand (for kubectl: Kubernetes' or the Google" \
      "Cloud SDK's apt repository), then build again." >&2
    exit 2
  fi
done
# no services: the packages' own init scripts would start a system Prometheus/Alertmanager/nginx on public
# ports; policy-rc.d answering 101 tells Debian's maintainer scripts not to start them
policy=/usr/sbin/policy-rc.d
placed_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && placed_policy=true
fi
trap '[ "$placed_policy" = true ] && $sudo rm -f "$policy"' EXIT
# shellcheck disable=SC2086 # one word per package
if ! $sudo apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold $packages >/dev/null; then
  echo "✗ apt-get install $packages failed (output above). Fix that, then: sudo bash infra/install-tools.sh ${missing[*]}" >&2
  exit 2
fi
for tool in "${missing[@]}"; do
  found "$tool" || { echo "✗ $tool is still missing after installing ${package_of[$tool]}" >&2; exit 2; }
done
echo "• Installed: ${missing[*]}"
