#!/usr/bin/env bash
# package_smoke CPACK BUILD_DIR VERSION WORK_DIR
# Builds the Debian package from the build folder, checks what it declares, unpacks it into a scratch
# root and runs the installed programs from there: saliency-cli --version, `explain` on a demo scan with
# the installed demo model, saliency-studio --version with no display, and the app offscreen with
# --screenshot.
# Unpacked with `dpkg -x`, not installed with `dpkg -i`: installing needs root and changes the machine
# the tests run on (a developer's, or a CI box shared by several checkouts). The files are the same;
# dpkg's dependency check is stood in for by checking that every Depends is installed here.
set -euo pipefail
cpack=$1 build=$2 version=$3 work=$4

fail() { echo "package_smoke: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
echo "== cpack"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
debs=("$work"/package/saliency-studio_"$version"_*.deb)
deb=${debs[0]}
[ -f "$deb" ] || fail "no saliency-studio_${version}_*.deb in $work/package"
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"

echo "== what it declares"
dpkg-deb -I "$deb" | sed -n '/Package:/,$p'
depends=$(dpkg-deb -f "$deb" Depends)
for needed in libtorch1.13 libqt6widgets6 libqt6svg6 libqcustomplot2.1-qt6 libdcmtk17 libniftiio2 libsqlite3-0 \
  libopenblas0-pthread libopencv-core406; do
  [[ ", $depends," == *", $needed "* || ", $depends," == *", $needed,"* ]] || fail "Depends lacks $needed: $depends"
done
[[ "$depends" != *-dev* ]] || fail "Depends names a -dev package: $depends"
# Every dependency (one of its alternatives) is installed on this machine, as dpkg -i would demand.
IFS=',' read -ra groups <<<"$depends"
for group in "${groups[@]}"; do
  satisfied=0
  IFS='|' read -ra alternatives <<<"$group"
  for alternative in "${alternatives[@]}"; do
    name=$(echo "$alternative" | sed 's/(.*//; s/ //g')
    if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then satisfied=1; fi
  done
  [ $satisfied = 1 ] || fail "dependency not installed here: $group"
done

echo "== unpack"
root=$work/root
dpkg -x "$deb" "$root"
for f in usr/bin/saliency-cli usr/bin/saliency-studio \
  usr/share/saliency-studio/models/cnn4-demo.pt usr/share/saliency-studio/models/cnn4-demo.pt.json \
  usr/share/saliency-studio/models/cnn4-demo.pt.split.json usr/share/saliency-studio/models/efficientnet-b0-demo.pt \
  usr/share/doc/saliency-studio/README.md usr/share/doc/saliency-studio/docs/user-guide.md \
  usr/share/icons/hicolor/scalable/apps/saliency-studio.svg \
  usr/share/applications/org.saliencystudio.SaliencyStudio.desktop \
  usr/share/metainfo/org.saliencystudio.SaliencyStudio.metainfo.xml; do
  [ -f "$root/$f" ] || fail "not in the package: /$f"
done
for size in 16 32 48 64 128 256 512; do
  [ -f "$root/usr/share/icons/hicolor/${size}x${size}/apps/saliency-studio.png" ] || fail "no ${size} px icon"
done
# Nothing may point back into the build: no RPATH/RUNPATH at all is needed for system libraries.
if readelf -d "$root/usr/bin/saliency-cli" "$root/usr/bin/saliency-studio" | grep -E 'RPATH|RUNPATH'; then
  fail "installed programs carry an RPATH"
fi
cli=$root/usr/bin/saliency-cli
studio=$root/usr/bin/saliency-studio
model=$root/usr/share/saliency-studio/models/cnn4-demo.pt

echo "== installed saliency-cli --version"
"$cli" --version | tee "$work/cli-version.txt"
grep -qx "saliency-cli $version" "$work/cli-version.txt" || fail "saliency-cli --version does not say $version"
grep -q '^LibTorch ' "$work/cli-version.txt" || fail "saliency-cli --version: no LibTorch line"

echo "== installed saliency-studio --version, no display"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$studio" --version | tee "$work/studio-version.txt"
grep -qx "saliency-studio $version" "$work/studio-version.txt" || fail "saliency-studio --version does not say $version"

echo "== installed saliency-cli demo-data and explain with the installed demo model"
"$cli" demo-data --out "$work/data" --count 6 --seed 4 --size 128
scan=$(find "$work/data/Brain Tumor" -name '*.jpg' | sort | head -n 1)
[ -n "$scan" ] || fail "demo-data made no tumour scan"
"$cli" explain --model "$model" --image "$scan" --method all --out "$work/explain"
for method in cam gradcam guided-backprop guided-gradcam; do
  [ -s "$work/explain/$method.npy" ] && [ -s "$work/explain/$method.png" ] ||
    fail "explain wrote no $method.npy/.png: $(ls "$work/explain")"
done
[ -s "$work/explain/result.json" ] || fail "explain wrote no result.json"

echo "== installed saliency-studio offscreen --screenshot"
shot=$work/studio.png
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen "$studio" --data "$work/data" --model "$model" \
  --screenshot "$shot" --size 1280x720
[ -s "$shot" ] || fail "no screenshot"
# Non-trivial: the window's size, and a real picture (scans, maps, text), not one flat colour.
read -r width height colours < <(identify -format '%w %h %k\n' "$shot")
echo "screenshot ${width}x${height}, $colours colours, $(du -k "$shot" | cut -f1) KiB"
[ "$width" = 1280 ] && [ "$height" = 720 ] || fail "screenshot is ${width}x${height}, not 1280x720"
[ "$colours" -gt 1000 ] || fail "screenshot has only $colours colours"
echo "package_smoke: passed ($(basename "$deb"))"
