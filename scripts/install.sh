#!/usr/bin/env bash
# Installs `concord` as a command: publishes a Release build (without the test hooks) into
# PREFIX/lib/concord and puts a `concord` launcher in PREFIX/bin (default PREFIX: /usr/local,
# whose bin is on PATH). Run it again to update. Needs the .NET 10 SDK.
#   scripts/install.sh [PREFIX]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:-/usr/local}"
if ! command -v dotnet >/dev/null; then
  echo "install.sh: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi
build=$(mktemp -d /tmp/concord-install.XXXXXX)
trap 'rm -rf "$build"' EXIT
echo "install.sh: publishing concord (Release) ..." >&2
# Its own artifacts folder: a build in the source tree (tests, benchmarks) is left as it is.
dotnet publish "$root/src/Concord/Concord.csproj" -c Release -nologo -v quiet \
  --artifacts-path "$build" -o "$build/out" >&2
mkdir -p "$prefix/lib" "$prefix/bin"
rm -rf "$prefix/lib/concord"
cp -r "$build/out" "$prefix/lib/concord"
dotnet_path="$(command -v dotnet)"
cat > "$prefix/bin/concord" <<LAUNCHER
#!/bin/sh
exec "$dotnet_path" "$prefix/lib/concord/concord.dll" "\$@"
LAUNCHER
chmod 755 "$prefix/bin/concord"
echo "install.sh: installed $prefix/bin/concord" >&2
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "install.sh: add $prefix/bin to PATH to call it as 'concord'" >&2 ;;
esac
