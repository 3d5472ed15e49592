#!/usr/bin/env bash
# Runs every test suite (JUnit, pytest, the report's headless-Chromium tests) even when one fails,
# then prints one closing line counting them all from their JUnit XML reports.
set -uo pipefail
cd "$(dirname "$0")/.."
reports=target/test-reports
rm -rf "$reports"; mkdir -p "$reports"
status=0

echo "== JUnit (mvn test)"
mvn -q -B test || status=1
cp target/surefire-reports/TEST-*.xml "$reports"/ 2>/dev/null

if [ -d tests/python ]; then
  echo "== pytest tests/python"
  .venv/bin/python -m pytest -q tests/python --junitxml="$reports/pytest.xml"
  rc=$?; [ $rc = 0 ] || [ $rc = 5 ] || status=1
fi

if [ -d tests/report ] && ls tests/report/*.test.js >/dev/null 2>&1; then
  echo "== node --test tests/report"
  node --test --test-reporter=spec --test-reporter-destination=stdout \
       --test-reporter=junit --test-reporter-destination="$reports/report-tests.xml" \
       tests/report/*.test.js || status=1
fi

.venv/bin/python scripts/count-tests.py "$reports" || status=1
exit $status
