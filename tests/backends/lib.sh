# Shared by the backends' scripts (sourced, not run).

# stop_pidfile FILE: stops the daemon whose pid FILE holds — TERM, up to 5 s to exit, then KILL.
stop_pidfile() {
  local pid
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  return 0
}
