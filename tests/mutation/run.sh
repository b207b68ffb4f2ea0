#!/usr/bin/env bash
# Mutation testing of the core (checks/, units.py, numbers.py, reader/cells.py, reader/csvfile.py)
# with mutmut 3; configuration in pyproject.toml [tool.mutmut]. Only the behaviour tests run
# against the mutants (golden-file tests are excluded there). Not part of .ci/run.
#
#   bash tests/mutation/run.sh            # fresh run, then tests/mutation/RESULTS.generated.md
#   bash tests/mutation/run.sh --resume   # keep mutants/ and the results mutmut already has
#   bash tests/mutation/run.sh --resume "cbcheck.checks.base*" "cbcheck.reader.csvfile*"
#                                         # only the mutants of those modules (mutmut name globs)
#
# ~5,900 mutants with mutmut 3.8.1; with the core test selection (pyproject.toml) about 100 a minute
# on 2 cores, so the whole core takes about an hour, a module a few minutes. MUTMUT_CHILDREN sets the
# workers (default 2). mutmut has been seen to exit 0 with mutants still "not checked": rerun with
# --resume and the same names until the table's "other" column is 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
if ! "$PY" -c 'import mutmut' 2>/dev/null; then
  "$PY" -m pip install --quiet -e '.[test,mutation]'
fi
MUTMUT="$(dirname "$PY")/mutmut"
if [ "${1:-}" = "--resume" ]; then
  shift
else
  rm -rf mutants   # a stale cache would keep verdicts for code that has since changed
fi
start=$(date +%s)
"$MUTMUT" run --max-children "${MUTMUT_CHILDREN:-2}" "$@" || true   # non-zero when mutants survive
end=$(date +%s)
# survivors by name (fast); `python tests/mutation/summarize.py` adds each diff (one `mutmut show` per survivor)
"$PY" tests/mutation/summarize.py --no-diffs --seconds "$((end - start))" > tests/mutation/RESULTS.generated.md
cat tests/mutation/RESULTS.generated.md
