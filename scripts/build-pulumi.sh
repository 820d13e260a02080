#!/usr/bin/env bash
# Builds the pulumi CLI from Go modules into ROOT/bin/pulumi: pkg/v3's go.mod has replace
# directives, so `go install` refuses it; a wrapper module that requires it builds it instead.
# One build at a time (a lock); ROOT/building.pid says one is running, for those who wait on it.
set -euo pipefail
say() { printf 'build-pulumi: %s\n' "$*" >&2; }
root=$1 PULUMI_VERSION=$2
bin="$root/bin/pulumi" src="$root/src"
mkdir -p "$src" "$root/bin"
exec 9>"$root/build.lock"
flock 9
[ -x "$bin" ] && exit 0
echo $$ > "$root/building.pid"
trap 'rm -f "$root/building.pid"' EXIT
say "building the pulumi CLI $PULUMI_VERSION from Go modules (about 8 minutes on 2 cores, once)"
start=$(date +%s)
cat > "$src/go.mod" <<MOD
module shakedown.local/pulumi-cli

go 1.22

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)
MOD
cd "$src"
GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION"
GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
  -o "$bin.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$bin.tmp" "$bin"
say "pulumi CLI built in $(( $(date +%s) - start )) s: $bin"
