#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Qt needs to run (and, for tests, the fonts and LibreOffice
# used to render screenshots and documents). As root it installs what is missing; otherwise it
# prints the apt line to run. Does nothing on systems without dpkg.
set -eu
profile=${1:-run}
packages="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0 fonts-noto-cjk"
if [ "$profile" = "test" ]; then
  packages="$packages xvfb xauth libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils"
fi
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "正在安装系统依赖：$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "缺少系统依赖，请运行：sudo apt-get install -y$missing"
  [ "$profile" = "test" ] && exit 1
  exit 0
fi
