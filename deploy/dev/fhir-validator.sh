#!/usr/bin/env bash
# HAPI FHIR's reference validator (FhirInstanceValidator) for the hub's FHIR
# conformance tests, from HAPI FHIR's published jars on Maven Central (no
# downloads from elsewhere), fetched as kafka.sh fetches Kafka's. Needs Java 17+
# and Maven.
#
#   deploy/dev/fhir-validator.sh fetch       resolve and cache the jars
#   deploy/dev/fhir-validator.sh classpath   fetch if needed; print the classpath
#   deploy/dev/fhir-validator.sh run         the validator on stdin/stdout, one
#                                            resource (JSON) per line in, one
#                                            verdict (JSON) per line out
#
# The jars are cached in ${NILECARE_CACHE:-~/.cache/nilecare}/fhir-validator-<version>.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/fhir-validator-pom.xml"
version="$(sed -n 's:.*<hapi.version>\(.*\)</hapi.version>.*:\1:p' "$pom")"
cache="${NILECARE_CACHE:-$HOME/.cache/nilecare}/fhir-validator-$version"
libs="$cache/libs"

fetch() {
  if [ -f "$cache/.complete" ]; then return; fi
  command -v mvn >/dev/null || { echo "fhir-validator.sh: Maven (mvn) is needed: apt-get install maven" >&2; exit 1; }
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime >&2
  touch "$cache/.complete"
}

case "${1:-}" in
  fetch) fetch ;;
  classpath) fetch; echo "$libs/*" ;;
  run)
    command -v java >/dev/null || { echo "fhir-validator.sh: Java 17+ is needed: apt-get install openjdk-17-jre-headless" >&2; exit 1; }
    fetch
    exec java -Xms128m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
      -cp "$libs/*" "$here/fhir-validator/ValidatorProcess.java"
    ;;
  *) echo "usage: $0 fetch | classpath | run" >&2; exit 2 ;;
esac
