#!/usr/bin/env bash
# Installs OpenBLAS and LAPACKE from Debian's packages when they are missing.
set -euo pipefail
if ! pkg-config --exists openblas 2>/dev/null || [ ! -f /usr/include/lapacke.h ]; then
    echo "installing libopenblas-dev liblapacke-dev (apt-get)…" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas-dev liblapacke-dev pkg-config >/dev/null
fi
