#!/usr/bin/env bash
# schemathesis (from PyPI) against a running astudio-mock, with every check
# over every operation of spec/openapi.yaml; what is configured, and why, is in
# schemathesis.toml beside this file. Called by `cargo xtask conformance` with
# the virtualenv's bin directory as $1 and the mock's base URL in
# ARTIFICIAL_STUDIO_BASE_URL (rate limits off, generations instant).
set -euo pipefail
bin="$1"
url="${ARTIFICIAL_STUDIO_BASE_URL:?}"
cd "$(dirname "$0")/../.."
# Hypothesis (under schemathesis) keeps caches; keep them in target/, not at the top.
export HYPOTHESIS_STORAGE_DIRECTORY=target/hypothesis

"$bin/schemathesis" --no-color --config-file tests/conformance/schemathesis.toml \
  run spec/openapi.yaml \
  --url "$url" \
  --report junit --report-dir target/schemathesis-report
