# shellcheck shell=bash
# The system tools the chaos runs need, installed with apt-get when missing (root only):
# iproute2 and iptables for partitions (network namespaces), faketime for clock skew.
# Sourced by scripts/chaos; scripts/ensure-chaos-tools runs it for the Maven build.

apt_install() {
  [[ $(id -u) == 0 ]] || die "$1 is missing and only root can install it (apt-get install $1)"
  say "installing $1 (apt-get)..."
  apt-get install -y -q "$1" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$1" >/dev/null 2>&1; } \
    || die "apt-get install $1 failed"
}

# Prints the packages the faults in $1 (comma-separated, e.g. partition,skew) need and this
# machine lacks, one per line.
missing_chaos_tools() {
  local faults=$1
  if [[ ,$faults, == *,partition,* ]]; then
    command -v ip >/dev/null || echo iproute2
    command -v iptables >/dev/null || echo iptables
  fi
  if [[ ,$faults, == *,skew,* ]]; then
    compgen -G "/usr/lib/*/faketime/libfaketime.so.1" >/dev/null \
      || [[ -f /usr/lib/faketime/libfaketime.so.1 ]] || echo faketime
  fi
}

# Installs what the faults in $1 need.
ensure_chaos_tools() {
  local faults=$1 package
  if [[ ,$faults, == *,partition,* ]]; then
    [[ $(id -u) == 0 ]] || die "partitions use network namespaces and iptables: run as root"
  fi
  for package in $(missing_chaos_tools "$faults"); do
    apt_install "$package"
  done
}
