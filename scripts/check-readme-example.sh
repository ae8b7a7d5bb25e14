#!/usr/bin/env bash
# Builds and runs the README's library example as a user would: a fresh package in a temporary
# folder that depends on this one by path, with the example (the Swift block after the
# `<!-- readme-example -->` marker) pasted as its main.swift and one `import MIRI`.
#
#   scripts/check-readme-example.sh [FOLDER]     default: a new temporary folder, removed afterwards
#
# Exits non-zero when the example does not compile or fails at run time. Takes a release build
# of the package (3-6 minutes on 2 cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
folder=${1:-}
if [ -z "$folder" ]; then
    folder=$(mktemp -d)
    trap 'rm -rf "$folder"' EXIT
fi
mkdir -p "$folder/Sources/Consumer"
cat > "$folder/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "MIRI", package: "$(basename "$root")")])]
)
SWIFT
awk '/<!-- readme-example -->/ { marked = 1; next }
     marked && /^```swift/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$root/README.md" > "$folder/Sources/Consumer/main.swift"
if [ ! -s "$folder/Sources/Consumer/main.swift" ]; then
    echo "check-readme-example: no Swift block after <!-- readme-example --> in README.md" >&2
    exit 1
fi
echo "check-readme-example: building the example in $folder" >&2
cd "$folder"
swift build -c release
echo "check-readme-example: running it" >&2
.build/release/Consumer
