#!/usr/bin/env bash
# Build a corpus into a database (corpusqa serve makes the inspect file it serves it with).
# Usage: scripts/build.sh CORPUS [DB]    (DB defaults to build/corpus.db)
set -euo pipefail
corpus=${1:?usage: scripts/build.sh CORPUS [DB]}
db=${2:-build/corpus.db}
bin=$(dirname "$0")/../.venv/bin
mkdir -p "$(dirname "$db")"
"$bin/corpusqa" build "$corpus" --db "$db"
