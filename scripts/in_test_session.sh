#!/usr/bin/env bash
# Inside a private D-Bus session: unlock a throwaway keyring, then run the
# command under a virtual X screen (Qt and VTK views need one for OpenGL).
set -euo pipefail
printf 'test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
