# Sourced by the bin/ scripts: exports JAVA_HOME for a JDK 21 or newer.
# NiFi 2 and nifi-nar-maven-plugin 2.x are Java 21 code, while the default java here may be 17.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
pick_jdk() {
  local candidate best="" best_major=0 major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /usr/local/java/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    [ -n "$major" ] || continue
    # A JAVA_HOME that is already 21+ wins; otherwise take the newest JDK found.
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best=$candidate; break; fi
    if [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ] || [ "$(java_major "$best")" -lt 21 ]; then
    echo "nifi-memmap needs a JDK 21 or newer (NiFi 2 is Java 21 code); none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "Install one (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21+) and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
pick_jdk || exit 1
# Quiet the JDK 24+ warnings Maven's own jars trigger.
if [ "$(java_major "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
