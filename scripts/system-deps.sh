#!/usr/bin/env bash
# Installs the programs vpclab needs outside Python when they are missing:
#   always:      graphviz's `dot` (every picture in the lessons);
#   --browser:   Chromium and CJK fonts, for the browser tests of `make test`
#                (Korean text in screenshots needs the fonts).
# Uses apt-get on Debian/Ubuntu (with `apt-get update` first), brew on macOS;
# otherwise says what to install.
set -euo pipefail

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
  if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=ko 2>/dev/null | grep -q .; then
    need+=(fonts-noto-cjk)
  fi
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing missing system packages: ${need[*]}"
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Need root to apt-get install ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2; exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v brew >/dev/null 2>&1; then
  for pkg in "${need[@]}"; do
    case $pkg in
      graphviz) brew install graphviz ;;
      chromium) brew install --cask chromium ;;
      *) ;;  # macOS ships Korean fonts
    esac
  done
else
  echo "Please install ${need[*]} (graphviz: https://graphviz.org/download/; on Windows 'winget install graphviz')." >&2
  exit 1
fi
command -v dot >/dev/null 2>&1 || { echo "dot is still missing after installing graphviz" >&2; exit 1; }
