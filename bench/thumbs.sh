#!/usr/bin/env bash
# thumbs: derivatives (thumb 360 square, preview 1080 wide, large 2048 long edge, JPEG Q82, plus
# the 100 px image the placeholder hash is made from) of real 12-15 MP JPEGs, in images/second,
# for Pinhole's pipeline (one decode per image) and three references making the same outputs with
# the same number of threads in the same run:
#   (a) libvips' thumbnail called once per size in one process (what Immich does through sharp),
#   (b) vipsthumbnail run once per size, (c) ImageMagick's convert, decoding once per image with
#   a jpeg:size shrink hint and deriving every size from that.
# Targets (PRODUCT.md): >= 1.6x (a), >= 4x ImageMagick.
# Inputs: the photographs of Debian's plasma-workspace-wallpapers (2560x1600), scaled to
# 4608x2880 (13.3 MP; one portrait crop at 2880x4608) with camera EXIF and varied orientations,
# made once into $BENCH_DIR/thumbs-input/.
# Env: BENCH_BUILD (build dir, default build), BENCH_THUMBS (the bench_thumbs binary),
# THUMBS_THREADS (default: cores), THUMBS_PASSES (default 5; the median pass counts).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

BENCH_BUILD="${BENCH_BUILD:-build}"
BENCH_THUMBS="${BENCH_THUMBS:-$BENCH_BUILD/bench/bench_thumbs}"
THREADS="${THUMBS_THREADS:-$(nproc)}"
PASSES="${THUMBS_PASSES:-5}"
QUALITY=82 # media/derivatives.h kJpegQuality
[ -x "$BENCH_THUMBS" ] || { echo "thumbs: no $BENCH_THUMBS (build the bench_thumbs target)" >&2; exit 1; }

wallpapers=/usr/share/wallpapers
photos=(BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am)
# Mostly upright, then the two portrait rotations and upside-down, as in a phone's camera roll.
orientations=(1 6 1 8 3 1 6 1 8 1 6 1)
input="$BENCH_DIR/thumbs-input"
recipe="v1 ${photos[*]} ${orientations[*]}"

make_inputs() {
  rm -rf "$input" && mkdir -p "$input"
  local i=0 name src
  for name in "${photos[@]}"; do
    src="$wallpapers/$name/contents/images/2560x1600.jpg"
    [ -f "$src" ] || { echo "thumbs: missing $src (install plasma-workspace-wallpapers)" >&2; exit 1; }
    vips resize "$src" "$input/$(printf %02d $i)-$name.jpg[Q=92,strip]" 1.8 2>/dev/null
    i=$((i + 1))
  done
  # One portrait original: a 1000x1600 crop of Kite, scaled to 2880x4608.
  vips crop "$wallpapers/Kite/contents/images/2560x1600.jpg" "$input/portrait.v" 780 0 1000 1600 2>/dev/null
  vips resize "$input/portrait.v" "$input/$(printf %02d $i)-Kite-portrait.jpg[Q=92,strip]" 2.88 2>/dev/null
  rm -f "$input/portrait.v"
  i=0
  for f in "$input"/*.jpg; do
    exiftool -q -overwrite_original -n -Make=Canon "-Model=Canon EOS R6" "-DateTimeOriginal=2023:06:0$((i % 9 + 1)) 10:00:00" \
      -GPSLatitude=48.8583 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E \
      "-Orientation=${orientations[$i]}" "$f"
    i=$((i + 1))
  done
  echo "$recipe" > "$input/.recipe"
}
[ "$(cat "$input/.recipe" 2>/dev/null)" = "$recipe" ] || make_inputs
mapfile -t files < <(ls "$input"/*.jpg)
count=${#files[@]}

out=$(mktemp -d "${TMPDIR:-/tmp}/thumbs-out.XXXXXX")
trap 'rm -rf "$out"' EXIT

# (b) vipsthumbnail, one process per size, one libvips thread each.
vipsthumbnail_one() {
  local f=$1 d=$2 save="[Q=$QUALITY,optimize_coding,strip]"
  mkdir -p "$d"
  VIPS_CONCURRENCY=1 vipsthumbnail "$f" --size 2048x2048 -o "$d/large.jpg$save"
  VIPS_CONCURRENCY=1 vipsthumbnail "$f" --size 1080x4096 -o "$d/preview.jpg$save"
  VIPS_CONCURRENCY=1 vipsthumbnail "$f" --size 360x360 --smartcrop attention -o "$d/thumb.jpg$save"
  VIPS_CONCURRENCY=1 vipsthumbnail "$f" --size 100x100 -o "$d/tiny.v"
}
# (c) ImageMagick: one decode, shrunk by libjpeg to about the large size (the jpeg:size hint),
# then every size from it. Its best case: it has no smart crop, so the thumb is centre-cropped.
imagemagick_one() {
  local f=$1 d=$2 hint=$3
  mkdir -p "$d"
  MAGICK_THREAD_LIMIT=1 "$IM_CONVERT" -define jpeg:size="$hint" "$f" -auto-orient -strip -colorspace sRGB \
    -quality "$QUALITY" -define jpeg:optimize-coding=true \
    \( +clone -resize '2048x2048>' -write "$d/large.jpg" +delete \) \
    \( +clone -resize '1080x4096>' -write "$d/preview.jpg" +delete \) \
    \( +clone -resize '100x100>' -write "$d/tiny.ppm" +delete \) \
    -resize '360x360^' -gravity center -extent 360x360 "$d/thumb.jpg"
}
# ImageMagick's own binary, not a wrapper script that may stand first on PATH.
IM_CONVERT="${IM_CONVERT:-$(command -v convert-im6.q16 || command -v convert)}"

# The work list, one line per input: FILE<TAB>HINT, the hint being ImageMagick's shrink-on-load
# box in stored orientation (the large size's, so libjpeg decodes at 1/2 as in our pipeline),
# worked out here so that no pass times it.
LIST="$out/list"
for f in "${files[@]}"; do
  w=$(vipsheader -f width "$f"); h=$(vipsheader -f height "$f")
  if [ "$w" -ge "$h" ]; then hint="2048x$((2048 * h / w))"; else hint="$((2048 * w / h))x2048"; fi
  printf '%s\t%s\n' "$f" "$hint" >> "$LIST"
done

# One pass of MODE over the work list, outputs into DIR/<index>/.
pass() {
  local mode=$1 dir=$2
  case "$mode" in
    pipeline|per-size)
      local inputs
      mapfile -t inputs < <(cut -f1 "$LIST")
      "$BENCH_THUMBS" --mode "$mode" --threads "$THREADS" --out "$dir" "${inputs[@]}" > /dev/null ;;
    vipsthumbnail|imagemagick)
      awk -F'\t' -v d="$dir" '{ printf "%s%c%s/%d%c%s%c", $1, 0, d, NR - 1, 0, $2, 0 }' "$LIST" |
        xargs -0 -n 3 -P "$THREADS" bash -c "${mode}_one \"\$0\" \"\$1\" \"\$2\"" ;;
  esac
}
export -f pass vipsthumbnail_one imagemagick_one
export LIST BENCH_THUMBS THREADS QUALITY IM_CONVERT

# Runs one pass of MODE; prints "WALL_SECONDS CPU_SECONDS", CPU being user + system time of every
# process of the pass (the figure the machine's other load disturbs least).
run_pass() {
  local dir="$out/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  python3 - "$1" "$dir" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
subprocess.run(["bash", "-c", 'pass "$0" "$1"', sys.argv[1], sys.argv[2]], check=True)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.4f} {after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime:.4f}")
PY
}

modes=(pipeline per-size vipsthumbnail imagemagick)
declare -A wall cpu
# Passes interleave the modes, so a noisy moment on the machine falls on all of them alike.
for round in $(seq 1 "$PASSES"); do
  for mode in "${modes[@]}"; do
    read -r w c < <(run_pass "$mode")
    wall[$mode]="${wall[$mode]:-} $w"
    cpu[$mode]="${cpu[$mode]:-} $c"
    echo "thumbs: pass $round $mode ${w}s wall, ${c}s cpu" >&2
  done
done

# The outputs agree: same derivative sizes from the pipeline and reference (a).
same_sizes=true
for i in "${!files[@]}"; do
  for v in thumb preview large; do
    a=$(vipsheader -f width "$out/pipeline/$i/$v.jpg")x$(vipsheader -f height "$out/pipeline/$i/$v.jpg")
    b=$(vipsheader -f width "$out/per-size/$i/$v.jpg")x$(vipsheader -f height "$out/per-size/$i/$v.jpg")
    [ "$a" = "$b" ] || { same_sizes=false; echo "thumbs: $v of ${files[$i]}: $a vs $b" >&2; }
  done
done
megapixels=$(for f in "${files[@]}"; do echo "$(vipsheader -f width "$f") $(vipsheader -f height "$f")"; done |
  python3 -c 'import sys; v=[int(a)*int(b)/1e6 for a,b in (l.split() for l in sys.stdin)]; print(round(min(v),1), round(max(v),1))')

{ read -r figures; read -r targets; } < <(python3 - "$count" "$THREADS" "$same_sizes" "$megapixels" \
  "${wall[pipeline]}" "${wall[per-size]}" "${wall[vipsthumbnail]}" "${wall[imagemagick]}" \
  "${cpu[pipeline]}" "${cpu[per-size]}" "${cpu[vipsthumbnail]}" "${cpu[imagemagick]}" <<'PY'
import json, statistics, sys
count, threads, same, mp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "true", sys.argv[4].split()
names = ["pipeline", "libvips_thumbnail_per_size", "vipsthumbnail_per_size", "imagemagick"]
wall = {n: [float(x) for x in sys.argv[5 + i].split()] for i, n in enumerate(names)}
cpu = {n: [float(x) for x in sys.argv[9 + i].split()] for i, n in enumerate(names)}
ips = {n: round(count / statistics.median(r), 3) for n, r in wall.items()}
cpu_ms = {n: round(1000 * statistics.median(r) / count, 1) for n, r in cpu.items()}
figures = {
    "images": count, "megapixels_min": float(mp[0]), "megapixels_max": float(mp[1]), "threads": threads,
    "passes": len(wall["pipeline"]),
    "outputs": "thumb 360x360 + preview 1080w + large 2048 (JPEG Q82) + 100px placeholder source",
    "same_sizes_as_reference": same,
    "notes": "images_per_second from the median pass's wall time; cpu_ms_per_image from the median pass's user+system "
             "time. Pipeline and (a) write every file crash-safely (temporary file, fsync, rename, directory fsync) "
             "and compute the ThumbHash; (b) vipsthumbnail and (c) ImageMagick write plainly and only make the "
             "100 px image the hash is computed from; ImageMagick centre-crops the thumb (it has no attention crop)",
}
for n in names:
    figures[f"{n}_images_per_second"] = ips[n]
    figures[f"{n}_cpu_ms_per_image"] = cpu_ms[n]
    figures[f"{n}_pass_wall_seconds"] = [round(x, 3) for x in wall[n]]
for n in names[1:]:
    figures[f"ratio_vs_{n}"] = round(ips["pipeline"] / ips[n], 3)
    figures[f"cpu_ratio_vs_{n}"] = round(cpu_ms[n] / cpu_ms["pipeline"], 3)
def target(what, ratio, bar):
    return {"what": what, "measured": ratio, "target": f">= {bar}", "met": ratio >= bar}
targets = [
    target("pipeline throughput / libvips thumbnail once per size, one process", figures["ratio_vs_libvips_thumbnail_per_size"], 1.6),
    target("pipeline throughput / ImageMagick convert", figures["ratio_vs_imagemagick"], 4),
]
print(json.dumps(figures))
print(json.dumps(targets))
PY
)
bench_json thumbs "$figures" "$targets"
