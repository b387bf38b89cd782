#!/usr/bin/env bash
# Repackages the deb electron-builder makes into the layout 统信UOS expects:
#
#   /opt/apps/<appid>/info                      JSON: appid, name, version, arch, permissions
#   /opt/apps/<appid>/files/…                   the application (was /opt/<productName>/)
#   /opt/apps/<appid>/entries/applications/<appid>.desktop
#   /opt/apps/<appid>/entries/icons/hicolor/<N>x<N>/apps/<appid>.png
#
# with the package named after the app id and nothing installed outside /opt/apps/<appid> (UOS links
# the entries into the system itself). electron-builder's deb target cannot produce this alone.
#
# usage: build/uos/make-uos-deb.sh IN.deb OUT_DIR [APP_ID]      (needs dpkg-deb)
set -euo pipefail

die() { echo "make-uos-deb: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: make-uos-deb.sh IN.deb OUT_DIR [APP_ID]"
in_deb="$1"
out_dir="$2"
appid="${3:-cn.gov.xietong.desktop}"
command -v dpkg-deb >/dev/null || die "dpkg-deb is required (apt-get install dpkg)"
[ -f "$in_deb" ] || die "no such file: $in_deb"
[[ "$appid" =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || die "invalid app id (Debian package names are lower case): $appid"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="$work/src"
pkg="$work/pkg"
dpkg-deb -R "$in_deb" "$src"

field() { sed -n "s/^$1: //p" "$src/DEBIAN/control" | head -n 1; }
version="$(field Version)"
arch="$(field Architecture)"
[ -n "$version" ] && [ -n "$arch" ] || die "$in_deb has no Version/Architecture in its control file"

# The application folder electron-builder installs: the one directory under /opt.
mapfile -t app_dirs < <(find "$src/opt" -mindepth 1 -maxdepth 1 -type d)
[ "${#app_dirs[@]}" -eq 1 ] || die "expected exactly one application folder under /opt in $in_deb, found ${#app_dirs[@]}"
old_prefix="/opt/$(basename "${app_dirs[0]}")"

desktop_src="$(find "$src/usr/share/applications" -name '*.desktop' 2>/dev/null | head -n 1)"
[ -n "$desktop_src" ] || die "$in_deb has no desktop entry under /usr/share/applications"
exec_line="$(sed -n 's/^Exec=//p' "$desktop_src" | head -n 1)"
executable="$(basename "$(printf '%s' "$exec_line" | sed -E 's/^"([^"]*)".*/\1/; s/^([^ ]*).*/\1/')")"
name="$(sed -n 's/^Name\[zh_CN\]=//p' "$desktop_src" | head -n 1)"
[ -n "$name" ] || name="$(sed -n 's/^Name=//p' "$desktop_src" | head -n 1)"

base="/opt/apps/$appid"
root="$pkg$base"
mkdir -p "$root/files" "$root/entries/applications" "$root/entries/icons" "$pkg/DEBIAN"
cp -a "${app_dirs[0]}/." "$root/files/"
[ -x "$root/files/$executable" ] || die "executable $executable (from the desktop entry) not found in $old_prefix"

# The desktop entry, pointing at the new place and naming the icon after the app id.
sed -E \
  -e "s#^Exec=.*#Exec=\"$base/files/$executable\" %U#" \
  -e "s#^Icon=.*#Icon=$appid#" \
  "$desktop_src" > "$root/entries/applications/$appid.desktop"

# Icons: every hicolor size electron-builder installed, renamed to the app id.
if [ -d "$src/usr/share/icons/hicolor" ]; then
  while IFS= read -r icon; do
    size_dir="$(basename "$(dirname "$(dirname "$icon")")")"
    mkdir -p "$root/entries/icons/hicolor/$size_dir/apps"
    cp "$icon" "$root/entries/icons/hicolor/$size_dir/apps/$appid.${icon##*.}"
  done < <(find "$src/usr/share/icons/hicolor" -path '*/apps/*' -type f \( -name '*.png' -o -name '*.svg' \))
fi
# MIME definitions (e.g. application/ofd), if any.
if [ -d "$src/usr/share/mime/packages" ]; then
  mkdir -p "$root/entries/mime/packages"
  cp "$src"/usr/share/mime/packages/* "$root/entries/mime/packages/"
fi

case "$arch" in
  amd64|arm64|mips64el|loong64|sw_64) ;;
  *) die "unsupported architecture for UOS: $arch" ;;
esac
json_escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
cat > "$root/info" <<INFO
{
  "appid": "$(json_escape "$appid")",
  "name": "$(json_escape "$name")",
  "version": "$(json_escape "$version")",
  "arch": ["$arch"],
  "permissions": {
    "autostart": false,
    "notification": true,
    "trayicon": true,
    "clipboard": true,
    "account": false,
    "bluetooth": false,
    "camera": false,
    "audio_record": true,
    "installed_apps": false
  }
}
INFO

# Control file: the package is named after the app id; everything else carried over.
installed_size="$(du -sk "$pkg/opt" | cut -f1)"
sed -E \
  -e "s/^Package: .*/Package: $appid/" \
  -e "s/^Installed-Size: .*/Installed-Size: $installed_size/" \
  "$src/DEBIAN/control" > "$pkg/DEBIAN/control"
grep -q '^Installed-Size:' "$pkg/DEBIAN/control" || echo "Installed-Size: $installed_size" >> "$pkg/DEBIAN/control"

# Maintainer script: only what the app needs at its new place. Chromium's sandbox helper must be
# setuid root where unprivileged user namespaces are unavailable (older kernels, hardened UOS).
cat > "$pkg/DEBIAN/postinst" <<POSTINST
#!/bin/sh
set -e
sandbox="$base/files/chrome-sandbox"
if [ -f "\$sandbox" ]; then
  if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
    chmod 0755 "\$sandbox" || true
  else
    chown root:root "\$sandbox" || true
    chmod 4755 "\$sandbox" || true
  fi
fi
exit 0
POSTINST
chmod 0755 "$pkg/DEBIAN/postinst"

mkdir -p "$out_dir"
out="$out_dir/${appid}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -b "$pkg" "$out" >/dev/null
echo "$out"
