#!/bin/bash
# Entry point of the combined pod image.
#   socketproof-pod pod     (default) both processes in one container: `docker run`, the container-level tests
#   socketproof-pod theia   the mock Theia alone on 127.0.0.1:3000 (the Deployment's `theia` container)
#   socketproof-pod nginx   the in-pod nginx alone on :8080 (the Deployment's `nginx` container)
#   socketproof-pod --hostname=… --port=N   Theia's own command-line flags (kind/manifests' `theia` container
#                           passes them): the mock Theia, on port N (the pod nginx proxies to 3000)
# SOCKETPROOF_THEIA_CONFIG: the mock's JSON options (default: pod name = $POD_NAME or the hostname, Theia's
# timers scaled by 1/60 like the local target); SOCKETPROOF_NGINX_CONF: another nginx config (a fault).
set -euo pipefail
cd /app
conf=${SOCKETPROOF_NGINX_CONF:-/etc/socketproof/nginx.conf}
port=3000

theia_config() {
  if [ -n "${SOCKETPROOF_THEIA_CONFIG:-}" ]; then
    printf '%s' "$SOCKETPROOF_THEIA_CONFIG"
  else
    printf '{"podName":"%s","port":%s,"basePath":"/theia/","socketPath":"/theia/socket.io/","pingInterval":500,"pingTimeout":5000,"maxPayload":100000000}' \
      "${POD_NAME:-$(hostname)}" "$port"
  fi
}
# -e stderr: without it nginx opens its compiled-in /var/log/nginx/error.log before reading the config.
run_nginx() { exec nginx -e stderr -c "$conf" -g 'daemon off;'; }
run_theia() { exec node --import tsx src/topology/mock-theia/main.ts --config "$(theia_config)"; }

case "${1:-pod}" in
  theia) run_theia ;;
  nginx) run_nginx ;;
  --*)
    # Theia's flags: only the port matters to the mock, which always listens on the pod's loopback.
    for a in "$@"; do case "$a" in --port=*) port=${a#--port=} ;; esac; done
    run_theia
    ;;
  pod)
    run_theia &
    theia=$!
    run_nginx &
    nginx=$!
    trap 'kill -TERM "$theia" "$nginx" 2>/dev/null' TERM INT
    # Either process ending ends the container, as a failed container ends a pod: a half pod must not look alive.
    set +e
    wait -n
    status=$?
    kill -TERM "$theia" "$nginx" 2>/dev/null
    wait
    exit "$status"
    ;;
  *) exec "$@" ;;
esac
