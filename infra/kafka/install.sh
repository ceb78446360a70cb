#!/usr/bin/env bash
# Resolves the Apache Kafka broker jars from Maven Central into $KAFKA_LIB_DIR (default
# .cache/kafka/lib, git-ignored). Idempotent: a complete folder is left as it is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib_dir="${KAFKA_LIB_DIR:-$root/.cache/kafka/lib}"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"

if [ -f "$lib_dir/kafka_2.13-$version.jar" ] && [ -f "$lib_dir/.complete" ]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "install.sh: Maven (mvn) is needed to fetch the Kafka jars" >&2; exit 1; }
command -v java >/dev/null || { echo "install.sh: Java 17 is needed to run Kafka" >&2; exit 1; }
echo "Fetching Apache Kafka $version jars with Maven into $lib_dir ..."
start=$(date +%s)
rm -rf "$lib_dir" && mkdir -p "$lib_dir"
mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$lib_dir"
touch "$lib_dir/.complete"
echo "Kafka $version jars ready ($(ls "$lib_dir"/*.jar | wc -l) jars, $(( $(date +%s) - start )) s)."
