#!/usr/bin/env bash
# Runs a command inside the servers Muze's tests need, all private to this run:
#   - a D-Bus session bus with gnome-keyring's Secret Service (unlocked, empty password),
#   - Xvfb on a free display,
#   - a PulseAudio server with a null sink "muze_sink" and a source "muze_mic" remapped
#     from its monitor (Qt's PulseAudio backend ignores plain monitor sources).
# Usage: tools/test-env.sh COMMAND [ARGS...]
set -euo pipefail

if [[ "${MUZE_TEST_ENV_INNER:-}" != 1 ]]; then
  export MUZE_TEST_ENV_INNER=1
  exec dbus-run-session -- "$0" "$@"
fi

runtime=$(mktemp -d /tmp/muze-test-env.XXXXXX)
cleanup() {
  [[ -n "${xvfb_pid:-}" ]] && kill "$xvfb_pid" 2>/dev/null || true
  [[ -n "${PULSE_SERVER:-}" ]] && pactl exit >/dev/null 2>&1 || true
  [[ -n "${keyring_pid:-}" ]] && kill "$keyring_pid" 2>/dev/null || true
  rm -rf "$runtime"
}
trap cleanup EXIT

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$runtime}
# Secret Service: a throwaway keyring. gnome-keyring creates and unlocks the "login"
# collection from the password on stdin (a non-empty one: an empty one asks a prompter).
export XDG_DATA_HOME="$runtime/data"
mkdir -p "$XDG_DATA_HOME/keyrings"
eval "$(printf 'muze-test-keyring' | gnome-keyring-daemon --unlock --components=secrets --daemonize 2>/dev/null \
        | sed 's/^/export /')" || true

# X server for widget tests.
if command -v Xvfb >/dev/null; then
  for n in $(seq 91 140); do
    [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] && continue
    Xvfb ":$n" -screen 0 1920x1200x24 -nolisten tcp >"$runtime/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$n ]] && break; sleep 0.1; done
    export DISPLAY=":$n"
    break
  done
fi

# PulseAudio with a null sink and a microphone made from its monitor.
if command -v pulseaudio >/dev/null; then
  mkdir -p "$runtime/pulse"
  export PULSE_RUNTIME_PATH="$runtime/pulse"
  export PULSE_STATE_PATH="$runtime/pulse"
  pulseaudio --daemonize=yes --exit-idle-time=-1 --disallow-exit=no --system=no \
    --use-pid-file=yes -n \
    --load="module-native-protocol-unix auth-anonymous=1 socket=$runtime/pulse/native" \
    --load="module-null-sink sink_name=muze_sink rate=48000 channels=2" \
    --load="module-remap-source master=muze_sink.monitor source_name=muze_mic" \
    --log-target=file:"$runtime/pulse/log" >/dev/null 2>&1 || true
  export PULSE_SERVER="unix:$runtime/pulse/native"
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  pactl set-default-sink muze_sink >/dev/null 2>&1 || true
  pactl set-default-source muze_mic >/dev/null 2>&1 || true
fi

"$@"
