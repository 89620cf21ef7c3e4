#!/usr/bin/env bash
# Checks that installer/services.sh gives what the scale-out backend needs:
# an S3 API that accepts libcurl's AWS SigV4 (put, get, list, delete of an
# object in the bucket) and a PostgreSQL that takes a connection URL. Starts the
# services if they are not running and stops them again at the end when it
# started them (also on failure).
#   tests/services/check_services.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
services="$root/installer/services.sh"
started=0
work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  ((started)) && bash "$services" stop || true
}
trap cleanup EXIT
state=$(bash "$services" status)
if [[ "$state" != *"s3 (swift): running"* || "$state" != *"postgresql: running"* ]]; then
  bash "$services" start >/dev/null
  started=1
fi
eval "$(bash "$services" env)"
endpoint=${FILETRACKER_TEST_S3#*endpoint=}
endpoint=${endpoint%%&*}
bucket=${FILETRACKER_TEST_S3#s3://}
bucket=${bucket%%\?*}
# The access key holds a colon (tempauth's account:user), so it cannot go
# through --user; a netrc keeps user name and password apart.
host=${endpoint#http://}
host=${host%%:*}
printf 'machine %s login %s password %s\n' "$host" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >"$work/netrc"
s3() { curl -sS --netrc-file "$work/netrc" --aws-sigv4 "aws:amz:us-east-1:s3" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"; }
fail() { echo "check_services: $*" >&2; exit 1; }

key="check/$$-$RANDOM"
head -c 100000 /dev/urandom >"$work/obj"
code=$(s3 -o /dev/null -w '%{http_code}' -T "$work/obj" "$endpoint/$bucket/$key")
[ "$code" = 200 ] || fail "S3 PUT answered $code"
s3 -o "$work/back" "$endpoint/$bucket/$key"
cmp -s "$work/obj" "$work/back" || fail "S3 GET did not return what was put"
s3 "$endpoint/$bucket?list-type=2&prefix=check%2F" | grep -q "<Key>$key</Key>" || fail "S3 list does not show $key"
code=$(s3 -o /dev/null -w '%{http_code}' -X DELETE "$endpoint/$bucket/$key")
[ "$code" = 204 ] || fail "S3 DELETE answered $code"
code=$(s3 -o /dev/null -w '%{http_code}' "$endpoint/$bucket/$key")
[ "$code" = 404 ] || fail "S3 GET after DELETE answered $code"
# A wrong secret must be refused: the signature is really checked.
printf 'machine %s login %s password wrong\n' "$host" "$AWS_ACCESS_KEY_ID" >"$work/netrc"
code=$(s3 -o /dev/null -w '%{http_code}' "$endpoint/$bucket?list-type=2")
[ "$code" = 403 ] || fail "S3 with a wrong secret answered $code, not 403"

out=$(psql "$FILETRACKER_TEST_POSTGRESQL" -qtAc "create temporary table t(x int); insert into t values (41); select x + 1 from t")
[ "$out" = 42 ] || fail "PostgreSQL answered '$out'"
echo "check_services: S3 (SigV4 put/get/list/delete, wrong secret refused) and PostgreSQL work"
