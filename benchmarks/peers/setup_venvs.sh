#!/usr/bin/env bash
# Build one virtualenv per peer under benchmarks/.cache/venvs/ (gitignored).
#
# The peers pin incompatible pandas/numpy/scipy/tpcp versions, so each gets its own venv.
# Idempotent: a venv whose stamp file records the same pinned requirement is left alone;
# pass --force to rebuild.  Versions are the ones that ran on this project's machine
# (Python 3.11, Linux x86_64): scikit-digital-health 0.17.18, mobgap 1.2.0.
#
# Usage: benchmarks/peers/setup_venvs.sh [--force]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${RUNFORM_PEER_VENVS:-$(cd "$HERE/.." && pwd)/.cache/venvs}"
PYTHON="${PYTHON:-python3}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

declare -A PEER_REQUIREMENTS=(
  [skdh]="scikit-digital-health==0.17.18"
  [mobgap]="mobgap==1.2.0"
)

mkdir -p "$ROOT"
for peer in "${!PEER_REQUIREMENTS[@]}"; do
  req="${PEER_REQUIREMENTS[$peer]}"
  venv="$ROOT/$peer"
  stamp="$venv/.runform-peer"
  if [[ $FORCE -eq 0 && -f "$stamp" && "$(cat "$stamp")" == "$req" ]]; then
    echo "$peer: up to date ($req) in $venv"
    continue
  fi
  start=$(date +%s)
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  # (pip's warnings about this machine's local index paths are dropped, errors are kept)
  "$venv/bin/pip" install -q --upgrade pip 2>&1 | { grep -v "is ignored: it is neither" || true; }
  "$venv/bin/pip" install -q "$req" 2>&1 | { grep -v "is ignored: it is neither" || true; }
  "$venv/bin/pip" freeze > "$venv/requirements.lock.txt"
  echo "$req" > "$stamp"
  echo "$peer: installed $req in $(( $(date +%s) - start )) s ($venv)"
done
