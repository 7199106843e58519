#!/usr/bin/env bash
# Publish a built database with the project's metadata, templates and plugins.
# Usage: scripts/publish.sh DB [package|PUBLISHER] [extra datasette options]
#   scripts/publish.sh build/corpus.db package --tag corpusqa      # a Docker image
#   scripts/publish.sh build/corpus.db cloudrun --service corpusqa  # Google Cloud Run
# The file must be named corpus.db: metadata.yml describes the database "corpus".
# Datasette's Dockerfile serves it immutable, with an inspect file made at image build time.
set -euo pipefail
db=${1:?usage: scripts/publish.sh DB [package|PUBLISHER] [options]}
target=${2:-package}
shift $(( $# < 2 ? $# : 2 ))
root=$(cd "$(dirname "$0")/.." && pwd)
datasette=$root/.venv/bin/datasette
options=(--metadata "$root/metadata.yml" --template-dir "$root/templates"
         --plugins-dir "$root/plugins" --version-note "corpusqa")
if [ "$target" = package ]; then
  exec "$datasette" package "$db" "${options[@]}" "$@"
fi
exec "$datasette" publish "$target" "$db" "${options[@]}" "$@"
