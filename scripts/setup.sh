#!/usr/bin/env bash
# Installs OpenBLAS and LAPACKE from Debian's packages when they are missing; with --mpi, also
# Open MPI (for `swift build --traits MPI`, docs/scaling.md).
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! pkg-config --exists openblas 2>/dev/null || [ ! -f /usr/include/lapacke.h ]; then
    echo "installing libopenblas-dev liblapacke-dev (apt-get)…" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas-dev liblapacke-dev pkg-config >/dev/null
fi
if [ "${1:-}" = "--mpi" ] && { ! pkg-config --exists ompi-c 2>/dev/null || ! command -v mpirun >/dev/null; }; then
    echo "installing libopenmpi-dev openmpi-bin (apt-get)…" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenmpi-dev openmpi-bin pkg-config >/dev/null
fi
