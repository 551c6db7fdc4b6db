#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the project's own resolved jars: one master and
# N workers on 127.0.0.1, each a real JVM whose executors are real JVMs too.
#
#   cluster/standalone.sh start [--workers N] [--cores C] [--memory M]   (idempotent)
#   cluster/standalone.sh stop                                           (by PID; TERM, then KILL)
#   cluster/standalone.sh status
#
# Then: bin/videorl --master spark://127.0.0.1:7077 <command> ...
#
# SPARK_HOME is built under spark-home/target/spark-home as a cluster's Spark is installed: jars/
# links Spark's own jars (Spark, Scala, Hadoop's client: spark-home/pom.xml) and none of the
# project's, conf/ has the project's log4j2.properties, bin/spark-submit runs SparkSubmit. Jobs
# reach the executors in the one jar dist/ shades (bin/videorl --master ships it). Logs, PID files
# and the workers' folders live in its run/ folder. Environment:
# VIDEORL_SPARK_PORT (7077), VIDEORL_SPARK_UI_PORT (8080; workers take the next ones),
# VIDEORL_SPARK_RUN (the run folder), VIDEORL_NO_BUILD / MAVEN_ARGS as for bin/videorl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spark_home="$root/spark-home/target/spark-home"
run="${VIDEORL_SPARK_RUN:-$spark_home/run}"
port="${VIDEORL_SPARK_PORT:-7077}"
ui_port="${VIDEORL_SPARK_UI_PORT:-8080}"
master_url="spark://127.0.0.1:$port"

# shellcheck source=../bin/lib/build.sh
source "$root/bin/lib/build.sh"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# A PID file names a live daemon only while that PID is still a Spark daemon: PIDs get reused.
alive() {
  [[ -f "$1" ]] && ps -o args= -p "$(cat "$1")" 2>/dev/null | grep -q 'org.apache.spark.deploy'
}

# The SPARK_HOME the daemons run from: rebuilt when the project was rebuilt.
prepare_home() {
  build_if_needed standalone dist "$root/dist/target/built" "${VIDEORL_NO_BUILD:-0}" "${VIDEORL_REBUILD:-0}" \
    "$root/pom.xml" "$root/common" "$root/cluster/src" "$root/cluster/pom.xml" "$root/jobs" "$root/spark-home/pom.xml" "$root/dist/pom.xml"
  mkdir -p "$spark_home/jars" "$spark_home/conf" "$spark_home/bin" "$run"
  find "$spark_home/jars" -maxdepth 1 -type l -delete
  local jar
  IFS=':' read -r -a jars < "$root/spark-home/target/classpath.txt" || true  # one line, no line end
  for jar in "${jars[@]}"; do
    ln -sf "$jar" "$spark_home/jars/$(basename "$jar")"
  done
  cp "$root/conf/log4j2.properties" "$spark_home/conf/log4j2.properties"
  cat > "$spark_home/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
# Spark's spark-submit, as its bin/ runs it: SparkSubmit on this installation's jars.
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${SPARK_SUBMIT_OPTS:-} -cp "$home/conf:$home/jars/*" org.apache.spark.deploy.SparkSubmit "$@"
SUBMIT
  chmod +x "$spark_home/bin/spark-submit"
  echo "videorl standalone cluster: Spark's own jars" > "$spark_home/RELEASE"
}

# Starts a daemon in its own session, detached; records its PID.
daemon() {
  local name="$1"
  shift
  read -r -a flags < "$root/jobs/target/launcher/jvm-flags"
  GLIBC_TUNABLES="${GLIBC_TUNABLES:-$(cat "$root/jobs/target/launcher/glibc-tunables")}" setsid "${JAVA_HOME:+$JAVA_HOME/bin/}java" "${flags[@]}" -cp "$spark_home/conf:$spark_home/jars/*" "$@" > "$run/$name.log" 2>&1 < /dev/null &
  echo $! > "$run/$name.pid"
}

wait_for() {
  local what="$1" check="$2" i
  for i in $(seq 1 60); do
    if eval "$check"; then return 0; fi
    sleep 1
  done
  echo "standalone: $what did not come up in 60 s; see $run" >&2
  exit 1
}

alive_workers() {
  curl -sf "http://127.0.0.1:$ui_port/json/" 2>/dev/null | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

start() {
  local workers=1 cores=1 memory=2g
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --workers) workers="$2"; shift 2 ;;
      --cores) cores="$2"; shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      *) usage ;;
    esac
  done
  prepare_home
  export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  # Executors inherit the worker's environment: DJL and JavaCV unpack their natives once, here.
  export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.djl.ai}"
  if alive "$run/master.pid"; then
    echo "standalone: master already running (pid $(cat "$run/master.pid"))"
  else
    daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$ui_port"
    wait_for "the master" "curl -sf http://127.0.0.1:$ui_port/json/ > /dev/null"
    echo "standalone: master $master_url (pid $(cat "$run/master.pid"), log $run/master.log)"
  fi
  local n started=0
  for n in $(seq 1 "$workers"); do
    if alive "$run/worker-$n.pid"; then
      echo "standalone: worker $n already running (pid $(cat "$run/worker-$n.pid"))"
      continue
    fi
    mkdir -p "$run/work-$n"
    daemon "worker-$n" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory "$memory" \
      --webui-port "$((ui_port + n))" --work-dir "$run/work-$n" "$master_url"
    started=$((started + 1))
  done
  wait_for "$workers workers" "[[ \$(alive_workers) -ge $workers ]]"
  echo "standalone: $(alive_workers) workers registered ($started started now); submit with: bin/videorl --master $master_url ..."
}

stop() {
  local pidfile pid i
  for pidfile in "$run"/worker-*.pid "$run"/master.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    if alive "$pidfile"; then
      # The daemon leads its own session: its executor JVMs go with it.
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      kill -KILL -- "-$pid" 2>/dev/null || true
      echo "standalone: stopped $(basename "$pidfile" .pid) (pid $pid)"
    fi
    rm -f "$pidfile"
  done
}

status() {
  local pidfile any=1
  for pidfile in "$run"/master.pid "$run"/worker-*.pid; do
    [[ -f "$pidfile" ]] || continue
    if alive "$pidfile"; then
      echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"
      any=0
    else
      echo "$(basename "$pidfile" .pid): not running (stale pid file)"
    fi
  done
  if [[ $any == 0 ]]; then
    echo "master: $master_url, $(alive_workers) alive workers"
  else
    echo "standalone: not running"
  fi
  return $any
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
