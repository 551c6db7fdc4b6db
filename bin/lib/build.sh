# Sourced by bin/videorl and bin/bench: build a module (and what it depends on) with Maven when
# any watched source or pom is newer than the last successful build.
#
#   build_if_needed NAME MODULE STAMP NO_BUILD REBUILD WATCHED...
#
# NAME prefixes messages; STAMP is touched after a successful build (its folder holds build.log);
# NO_BUILD=1 never builds, REBUILD=1 always does. MAVEN_ARGS adds flags to the build (e.g. -o).
build_if_needed() {
  local name="$1" module="$2" stamp="$3" no_build="$4" rebuild="$5"
  shift 5
  [[ "$no_build" == 1 ]] && return 0
  if [[ "$rebuild" != 1 && -f "$stamp" ]] \
      && [[ -z "$(find "$@" \( -path '*/target' -prune \) -o \( -type f -newer "$stamp" -print -quit \))" ]]; then
    return 0
  fi
  local log
  log="$(dirname "$stamp")/build.log"
  mkdir -p "$(dirname "$stamp")"
  echo "$name: building (mvn package -pl $module -am), log in ${log#"$root/"} ..." >&2
  # shellcheck disable=SC2086
  if ! (cd "$root" && mvn -B ${MAVEN_ARGS:-} package -DskipTests -pl "$module" -am) > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "$name: build failed; full log in ${log#"$root/"}" >&2
    exit 1
  fi
  touch "$stamp"
}
