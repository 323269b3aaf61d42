# bin/cluster/lib.sh — sourced by bin/standalone-check and bin/cluster-failover: a Kafka broker and a
# standalone Flink cluster (JobManager, TaskManagers) as separate JVMs from Maven jars, on loopback,
# each server under `timeout` and stopped by its PID; bounded waits; the job jar submitted with
# `flink run`. How the cluster is put together: ../shared/design/PLATFORM-NOTES.md ("Real processes").
#
# The sourcing script sets, before calling anything here:
#   tool_name            prefix of messages on stderr (e.g. standalone-check)
#   root                 the repository root (cwd)
#   host                 127.0.0.1
#   rest_port rpc_port kafka_port controller_port
#   kafka_nodes          optional: KRaft nodes (broker + controller each, default 1); node i listens on
#                        kafka_port + 2(i-1), its controller on controller_port + 2(i-1)
#   work                 its work dir (compiled tools in $work/tool; the cluster's class paths are cached
#                        for every script in .nextbest/cluster-lib/{flink,kafka})
#   run                  this run's dir (config, logs, broker data, checkpoints), made afresh
#   budget               seconds the whole run may take
# then calls cluster_init (derives rest, bootstrap, logs, conf, jar, deadline …) and installs its traps:
#   trap cluster_cleanup EXIT; trap 'fail "interrupted"' INT TERM
# It sets result=PASS when it passed; cluster_cleanup cancels the job, stops every server (reverse
# start order) and calls on_cleanup if the script defines it.
# shellcheck shell=bash disable=SC2034

cluster_init() {
  rest="http://$host:$rest_port"
  kafka_nodes="${kafka_nodes:-1}"
  local i voters=() servers=()
  for ((i = 1; i <= kafka_nodes; i++)); do
    servers+=("$host:$(kafka_node_port "$i")")
    voters+=("$i@$host:$((controller_port + 2 * (i - 1)))")
  done
  bootstrap="$(IFS=,; echo "${servers[*]}")"
  kafka_voters="$(IFS=,; echo "${voters[*]}")"
  logs="$run/logs"
  conf="$run/flink-conf"
  jar="$root/flink-jobs/target/nextbest-job.jar"
  lib_cache="$root/.nextbest/cluster-lib"
  flink_lib="$lib_cache/flink/lib"
  kafka_lib="$lib_cache/kafka/lib"
  tool_dir="$root/cluster-tools/target/classes"
  tool_cp="$tool_dir:$root/generator/target/classes" # the drivers and the synthetic generator they reuse
  start_time=$EPOCHREALTIME
  deadline=$((SECONDS + budget))
  server_limit=$((budget + 60)) # backstop: a server outlives a killed script by at most this
  job_id=""
  result=FAIL
  declare -gA pids=() # name -> PID of the `timeout` wrapper (it forwards TERM to the JVM)
  order=()            # start order; stopped in reverse
}

# --- helpers ------------------------------------------------------------------------------------
kafka_node_port() { echo $((kafka_port + 2 * ($1 - 1))); }
# kafka_name NODE: the server's name (logs, pids): "kafka" for a single broker, else "kafka-NODE"
kafka_name() { ((kafka_nodes == 1)) && echo kafka || echo "kafka-$1"; }
# kafka_dir NODE: the node's config and data ($run/kafka for a single broker, $run/kafka-NODE else)
kafka_dir() { ((kafka_nodes == 1)) && echo "$run/kafka" || echo "$run/kafka-$1"; }
say() { printf '[%6.1fs] %s\n' "$(elapsed "$start_time")" "$*"; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
now_ms() { local t=$EPOCHREALTIME; echo "${t%.*}${t#*.}" | cut -c1-13; }
remaining() { local r=$((deadline - SECONDS)); ((r > 0)) && echo "$r" || echo 1; }
fail() {
  say "FAIL: $*" >&2
  failure="$*"
  result=FAIL
  exit 1
}
# bounded foreground command: never longer than the time left
bounded() { timeout --foreground -k 5 "$(remaining)" "$@"; }
listening() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
rest_get() { curl -sf --max-time 5 "$rest$1"; }
# wait_until DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.5 s
wait_until() { wait_every 0.5 "$@"; }
# wait_every PERIOD DESCRIPTION SECONDS COMMAND...
wait_every() {
  local period="$1" what="$2" limit=$((SECONDS + $3))
  shift 3
  until "$@"; do
    ((SECONDS < deadline)) || fail "overall time limit (${budget}s) reached waiting for $what"
    ((SECONDS < limit)) || fail "timed out waiting for $what"
    check_servers
    sleep "$period"
  done
}

# Flink's bin/config.sh passes these to every JVM on Java 17 (env.java.opts.all of flink-dist's config.yaml)
java17_opts=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# --- processes: started under `timeout`, stopped by PID --------------------------------------------
start_server() { # NAME LOGFILE COMMAND...
  local name="$1" out="$2"
  shift 2
  timeout -k 10 "$server_limit" "$@" >"$out" 2>&1 </dev/null &
  pids[$name]=$!
  order+=("$name")
}

check_servers() {
  local name
  for name in "${order[@]}"; do
    if [[ -n "${pids[$name]:-}" ]] && ! kill -0 "${pids[$name]}" 2>/dev/null; then
      local pid="${pids[$name]}"
      unset "pids[$name]"
      fail "$name (pid $pid) exited unexpectedly; see $logs/$name.out and $logs/$name.log"
    fi
  done
}

# server_jvm NAME: the PID of the server's JVM (the child of its `timeout` wrapper)
server_jvm() { pgrep -P "${pids[$1]}" | head -n1; }

# kill_server NAME: kill -9 of the server's JVM, as a crash would; sets killed_pid to the JVM's PID.
# The server counts as gone from then on (check_servers no longer watches it). Not in a subshell.
kill_server() {
  local name="$1" wrapper="${pids[$1]}"
  killed_pid=$(server_jvm "$name") || true
  [[ -n "$killed_pid" ]] || fail "$name (wrapper pid $wrapper) has no JVM to kill"
  unset "pids[$name]"
  kill -KILL "$killed_pid"
  wait "$wrapper" 2>/dev/null || true
}

stop_server() {
  local name="$1" pid="${pids[$1]:-}" i
  [[ -n "$pid" ]] || return 0
  unset "pids[$name]"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  echo "$tool_name: $name (pid $pid) did not stop within 30s: killing it" >&2
  local child
  for child in $(pgrep -P "$pid" || true); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cluster_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  declare -F on_cleanup >/dev/null && on_cleanup
  if [[ -n "$job_id" && -n "${pids[jobmanager]:-}" ]]; then
    curl -sf --max-time 5 -X PATCH "$rest/jobs/$job_id?mode=cancel" >/dev/null 2>&1
    local i state
    for ((i = 0; i < 30; i++)); do
      state=$(rest_get "/jobs/$job_id" 2>/dev/null | jq -r .state 2>/dev/null)
      [[ "$state" == CANCELED || "$state" == FAILED || "$state" == FINISHED ]] && break
      sleep 0.5
    done
    echo "$tool_name: job $job_id ${state:-unknown}" >&2
  fi
  local n
  for ((n = ${#order[@]} - 1; n >= 0; n--)); do stop_server "${order[n]}"; done
  if [[ "$result" != PASS ]]; then
    [[ -d "$logs" ]] && echo "$tool_name: logs in $logs" >&2
    ((rc == 0)) && rc=1
  fi
  exit "$rc"
}

# refuse to start when a port of ours is taken (another run on this machine?)
ports_free() {
  local p i kafka_ports=()
  for ((i = 1; i <= ${kafka_nodes:-1}; i++)); do
    kafka_ports+=("$((kafka_port + 2 * (i - 1)))" "$((controller_port + 2 * (i - 1)))")
  done
  for p in "$rest_port" "$rpc_port" "${kafka_ports[@]}"; do
    listening "$p" && { echo "$tool_name: port $p on $host is in use (another run?)" >&2; logs=/nonexistent; exit 1; }
  done
  return 0
}

# --- the job jar and the class paths -----------------------------------------------------------------
ensure_jar() { # FORCE_BUILD(true|false)
  mkdir -p "$work"
  if $1 || [[ ! -f "$jar" ]]; then
    say "building the job jar (./mvnw package -DskipTests) …"
    # package, not install: the reactor builds schemas + flink-jobs without touching ~/.m2
    bounded ./mvnw -o -q -B -pl schemas,flink-jobs package -DskipTests >"$work/build.log" 2>&1 ||
      bounded ./mvnw -q -B -pl schemas,flink-jobs package -DskipTests >>"$work/build.log" 2>&1 ||
      { tail -n 30 "$work/build.log" >&2; fail "build failed; see $work/build.log"; }
  elif [[ -n "$(find pom.xml schemas/src flink-jobs/src flink-jobs/pom.xml -newer "$jar" -type f -print -quit)" ]]; then
    say "note: sources are newer than $jar (use --build to rebuild it)"
  fi
}

copy_lib() { # NAME: copies bin/cluster/NAME/pom.xml's runtime dependencies into $lib_cache/NAME/lib
  local name="$1" dir="$lib_cache/$1" pom="bin/cluster/$1/pom.xml"
  if [[ -f "$dir/lib.stamp" && "$dir/lib.stamp" -nt "$pom" && "$dir/lib.stamp" -nt pom.xml ]]; then return 0; fi
  say "copying the $name class path from the Maven repository …"
  rm -rf "$dir/lib" && mkdir -p "$dir"
  local args=(-q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir/lib")
  bounded ./mvnw -o "${args[@]}" >"$dir/copy.log" 2>&1 || bounded ./mvnw "${args[@]}" >>"$dir/copy.log" 2>&1 ||
    { tail -n 30 "$dir/copy.log" >&2; fail "could not copy the $name jars; see $dir/copy.log"; }
  touch "$dir/lib.stamp"
}

class_paths() { # the Flink and Kafka class paths, and the logging jars for the tools
  copy_lib flink
  copy_lib kafka
  if [[ -n "$(find "$flink_lib" \( -name 'kafka-clients-*' -o -name 'flink-connector-kafka-*' \) -print -quit)" ]]; then
    fail "the cluster class path must not hold Kafka clients or the connector (the job jar brings them)"
  fi
  log_cp="$(ls "$flink_lib"/{slf4j-api,log4j-api,log4j-core,log4j-slf4j-impl}-*.jar | paste -sd:)"
}

build_tools() { # the Kafka-side drivers (cluster-tools) and the generator they reuse, compiled again when a source is newer
  local marker="$tool_dir/io/nextbest/cluster/StandaloneCheck.class"
  if [[ -f "$marker" && -f "$root/generator/target/classes/workloads.yaml" && -z "$(find "$root/cluster-tools/src" \
        "$root/cluster-tools/pom.xml" "$root/generator/src/main" "$root/generator/pom.xml" -newer "$marker" -print -quit)" ]]; then
    return 0
  fi
  mkdir -p "$root/.nextbest/logs"
  bounded ./mvnw -q -B -pl cluster-tools -am compile -DskipTests >"$root/.nextbest/logs/cluster-tools-build.log" 2>&1 \
    || fail "could not build cluster-tools (see .nextbest/logs/cluster-tools-build.log)"
}

# --- this run's files ----------------------------------------------------------------------------
prepare_run() {
  rm -rf "$run"
  mkdir -p "$logs" "$conf" "$run/plugins" "$run/checkpoints" "$run/tmp" "$run/web-tmp" "$run/blobs"
  write_kafka_config
  log4j_file "$conf/log4j.properties" INFO       # JobManager, TaskManagers (the web UI shows log.file)
  log4j_file "$conf/log4j-cli.properties" INFO   # flink run
  log4j_file "$run/kafka-log4j2.properties" INFO # brokers
  sed -i '/^logger.kafka/d' "$run/kafka-log4j2.properties"
}

write_kafka_config() { # one server.properties per node; replication as many as there are nodes (at most 3)
  local i rf=$((kafka_nodes < 3 ? kafka_nodes : 3)) min_isr=$((kafka_nodes < 3 ? 1 : 2))
  for ((i = 1; i <= kafka_nodes; i++)); do
    mkdir -p "$(kafka_dir "$i")/data"
    cat >"$(kafka_dir "$i")/server.properties" <<EOF
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$kafka_voters
listeners=PLAINTEXT://$host:$(kafka_node_port "$i"),CONTROLLER://$host:$((controller_port + 2 * (i - 1)))
advertised.listeners=PLAINTEXT://$host:$(kafka_node_port "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$(kafka_dir "$i")/data
num.partitions=2
auto.create.topics.enable=false
default.replication.factor=$rf
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
EOF
  done
}

log4j_file() { # FILE LEVEL: a log4j2 configuration writing to \${sys:log.file}
  cat >"$1" <<EOF
rootLogger.level = $2
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:log.file}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.zk.name = org.apache.zookeeper
logger.zk.level = WARN
EOF
}

# write_flink_config SLOTS_PER_TM [EXTRA_YAML]: a standalone session cluster on loopback (flat keys);
# EXTRA_YAML (more `key: value` lines) goes at the end
write_flink_config() {
  cat >"$conf/config.yaml" <<EOF
# Written by bin/$tool_name: a standalone session cluster on loopback.
env.java.opts.all: ${java17_opts[*]}
jobmanager.bind-host: $host
jobmanager.rpc.address: $host
jobmanager.rpc.port: $rpc_port
jobmanager.memory.process.size: 1024m
jobmanager.execution.failover-strategy: region
taskmanager.bind-host: $host
taskmanager.host: $host
taskmanager.numberOfTaskSlots: $1
taskmanager.memory.process.size: 1728m
parallelism.default: 1
rest.address: $host
rest.bind-address: $host
rest.port: $rest_port
io.tmp.dirs: $run/tmp
# the job turns the state changelog on (job.changelog.enabled); its log is the TaskManagers' setting
state.changelog.storage: filesystem
state.changelog.dstl.dfs.base-path: file://$run/changelog
web.tmpdir: $run/web-tmp
blob.storage.directory: $run/blobs
EOF
  [[ -z "${2:-}" ]] || printf '%s\n' "$2" >>"$conf/config.yaml"
}

# --- Kafka: kafka_nodes KRaft nodes, each a broker + controller in one JVM ---------------------------
# kafka_java NODE: sets kafka_cmd, the node's java command line
kafka_java() {
  kafka_cmd=(java -Xms512m -Xmx512m -Dlog.file="$logs/$(kafka_name "$1").log"
    -Dlog4j2.configurationFile="$run/kafka-log4j2.properties" -cp "$kafka_lib/*")
}
# kafka_format: formats every node's storage (one cluster id) in the background (kafka_format_wait waits
# for it), so that other JVMs can start meanwhile
kafka_format() {
  kafka_t0=$EPOCHREALTIME
  local cluster_uuid i
  cluster_uuid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  kafka_format_pids=()
  for ((i = 1; i <= kafka_nodes; i++)); do
    kafka_java "$i"
    # --cluster-id=ID, not -t ID: an id that starts with "-" (one in 64: base64's "+" made "-") would read as an option
    bounded "${kafka_cmd[@]}" kafka.tools.StorageTool format --cluster-id="$cluster_uuid" -c "$(kafka_dir "$i")/server.properties" \
      --ignore-formatted >"$logs/$(kafka_name "$i")-format.out" 2>&1 &
    kafka_format_pids+=($!)
  done
}
kafka_format_wait() {
  local i
  for ((i = 1; i <= kafka_nodes; i++)); do
    wait "${kafka_format_pids[i - 1]}" ||
      { cat "$logs/$(kafka_name "$i")-format.out" >&2; fail "formatting the storage of $(kafka_name "$i") failed"; }
  done
}
# kafka_server [NODE]: starts node NODE (default: every node); after a kill, again on the same data
kafka_server() {
  local i
  for i in ${1:-$(seq 1 "$kafka_nodes")}; do
    kafka_java "$i"
    start_server "$(kafka_name "$i")" "$logs/$(kafka_name "$i").out" "${kafka_cmd[@]}" kafka.Kafka "$(kafka_dir "$i")/server.properties"
  done
}
kafka_ready() {
  local i who=""
  for ((i = 1; i <= kafka_nodes; i++)); do
    wait_until "the Kafka broker on $host:$(kafka_node_port "$i")" 120 listening "$(kafka_node_port "$i")"
    who+=", $(kafka_name "$i") pid ${pids[$(kafka_name "$i")]}"
  done
  t_kafka=$(elapsed "$kafka_t0")
  say "Kafka up on $bootstrap in ${t_kafka}s ($kafka_nodes KRaft node(s), broker + controller each$who)"
}
start_kafka() {
  kafka_format
  kafka_format_wait
  kafka_server
  kafka_ready
}

# create_topics CONFIG: the contract's missing topics, with the job jar's TopicAdmin, replicated as the
# internal topics are (on every node, at most 3)
create_topics() {
  local t0=$EPOCHREALTIME
  bounded java -Dlog.file="$logs/topics-client.log" -Dlog4j.configurationFile="$conf/log4j-cli.properties" \
    -cp "$tool_cp:$jar:$log_cp" io.nextbest.cluster.StandaloneCheck topics "$1" $((kafka_nodes < 3 ? kafka_nodes : 3)) |
    tee "$logs/topics.out" ||
    fail "creating topics failed; see $logs/topics-client.log"
  t_topics=$(elapsed "$t0")
}

# --- Flink: JobManager and TaskManagers with the resources bin/taskmanager.sh would give them -------
bash_java_utils() { # COMMAND FILE: writes the two result lines (JVM flags, then -D settings), as flink's config.sh reads them
  local out
  out=$(bounded java -Dlog.file="$logs/bash-java-utils.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -cp "$flink_lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" 2>&1) ||
    { echo "$out" >"$2"; return 1; }
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' >"$2" || true
  [[ $(wc -l <"$2") -eq 2 ]] || { echo "$out" >"$2"; return 1; }
}

flink_resources() { # the JobManager's and TaskManagers' JVM flags and -D settings, both computed at once
  flink_java=(java "${java17_opts[@]}" -Dlog4j.configurationFile="file:$conf/log4j.properties" -cp "$flink_lib/*")
  export FLINK_PLUGINS_DIR="$run/plugins" # none; an empty directory keeps the processes from warning about it
  local jm_pid tm_pid what
  bash_java_utils GET_JM_RESOURCE_PARAMS "$run/jm-params" &
  jm_pid=$!
  bash_java_utils GET_TM_RESOURCE_PARAMS "$run/tm-params" &
  tm_pid=$!
  for what in jm tm; do
    local pid_var="${what}_pid"
    wait "${!pid_var}" || { cat "$run/$what-params" >&2; fail "BashJavaUtils GET_${what^^}_RESOURCE_PARAMS failed"; }
  done
  # word splitting is intended: flags and "-D key=value" pairs without spaces in values
  # shellcheck disable=SC2207
  jm_jvm=($(sed -n 1p "$run/jm-params")) jm_dyn=($(sed -n 2p "$run/jm-params"))
  # shellcheck disable=SC2207
  tm_jvm=($(sed -n 1p "$run/tm-params")) tm_dyn=($(sed -n 2p "$run/tm-params"))
}

start_jobmanager() {
  start_server jobmanager "$logs/jobmanager.out" "${flink_java[@]}" "${jm_jvm[@]}" -Dlog.file="$logs/jobmanager.log" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$conf" --executionMode cluster "${jm_dyn[@]}"
}

# start_taskmanager NAME RESOURCE_ID: logs in $logs/NAME.{out,log}, its own tmp dir
start_taskmanager() {
  local name="$1" id="$2"
  mkdir -p "$run/tmp/$name"
  start_server "$name" "$logs/$name.out" "${flink_java[@]}" "${tm_jvm[@]}" -Dlog.file="$logs/$name.log" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$conf" "${tm_dyn[@]}" \
    -D "taskmanager.resource-id=$id" -D "io.tmp.dirs=$run/tmp/$name"
}

# submit_job ARGS...: `flink run -d` of the job jar with ARGS; sets job_id and t_submit
submit_job() {
  local t0=$EPOCHREALTIME
  FLINK_CONF_DIR="$conf" bounded "${flink_java[@]}" -Dlog.file="$logs/flink-run.log" \
    -Dlog4j.configurationFile="file:$conf/log4j-cli.properties" \
    org.apache.flink.client.cli.CliFrontend run -d -m "$host:$rest_port" "$jar" "$@" >"$logs/flink-run.out" 2>&1 ||
    { cat "$logs/flink-run.out" >&2; fail "flink run failed; see $logs/flink-run.out and $logs/flink-run.log"; }
  job_id=$(grep -oE 'JobID [0-9a-f]{32}' "$logs/flink-run.out" | awk '{print $2}' | head -n1)
  [[ -n "$job_id" ]] || { cat "$logs/flink-run.out" >&2; fail "no job id in the output of flink run"; }
  t_submit=$(elapsed "$t0")
}

# job_all_running: the job is RUNNING with every task running (prints nothing)
job_all_running() {
  rest_get /jobs/overview | jq -e --arg id "$job_id" \
    '.jobs[] | select(.jid == $id) | .state == "RUNNING" and .tasks.running == .tasks.total' >/dev/null 2>&1
}

# job_running: job_all_running, but fails the run when the job failed, is failing or restarting
job_running() {
  local overview state
  overview=$(rest_get /jobs/overview) || return 1
  state=$(jq -r --arg id "$job_id" '.jobs[] | select(.jid == $id) | .state' <<<"$overview")
  case "$state" in
    FAILED | CANCELED | FINISHED | FAILING | RESTARTING)
      rest_get "/jobs/$job_id/exceptions" | jq -r '.exceptionHistory.entries[0].stacktrace // .' | head -n 40 >&2 || true
      fail "job $job_id is $state" ;;
  esac
  jq -e --arg id "$job_id" '.jobs[] | select(.jid == $id) | .state == "RUNNING" and .tasks.running == .tasks.total' \
    >/dev/null <<<"$overview"
}

job_tasks() { rest_get /jobs/overview | jq -r --arg id "$job_id" '.jobs[] | select(.jid == $id) | "\(.tasks.running)/\(.tasks.total)"'; }
