#!/usr/bin/env bash
# Regenerates the image seeds of corpus/imageprobe and corpus/metadata: tiny real images of every
# accepted format and layout (alpha, 16-bit, CMYK, grey, animated, orientations) and JPEGs
# carrying EXIF, GPS and XMP as cameras and editors write them. The seeds are committed; run this
# only to change them (needs ImageMagick, libvips-tools and exiftool).
set -euo pipefail
cd "$(dirname "$0")/corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
probe=imageprobe meta=metadata
rm -rf "$probe" "$meta"
mkdir -p "$probe" "$meta"

convert -size 16x12 gradient:red-blue -quality 70 "$tmp/rgb.jpg"
convert -size 16x12 gradient:red-blue -colorspace CMYK -quality 70 "$tmp/cmyk.jpg"
convert -size 16x12 gradient:white-black -colorspace Gray "$tmp/grey.jpg"
convert -size 16x12 gradient:red-blue -interlace JPEG "$tmp/progressive.jpg"
convert -size 16x12 gradient:red-blue "$tmp/rgb.png"
convert -size 16x12 gradient:red-none "$tmp/alpha.png"
convert -size 16x12 gradient:red-blue -depth 16 "$tmp/deep16.png"
convert -size 16x12 gradient:red-blue -type Palette "$tmp/palette.png"
convert -size 16x12 gradient:red-blue -interlace PNG "$tmp/interlaced.png"
convert -size 8x8 xc:red -size 8x8 xc:blue -delay 10 -loop 0 "$tmp/animated.gif"
convert -size 16x12 gradient:red-blue "$tmp/still.gif"
vips copy "$tmp/rgb.png" "$tmp/lossy.webp[Q=50]"
vips copy "$tmp/alpha.png" "$tmp/lossless.webp[lossless]"
convert -size 8x8 xc:red -size 8x8 xc:blue -delay 10 -loop 0 "$tmp/animated.webp"
vips copy "$tmp/rgb.png" "$tmp/rgb.tif[compression=deflate]"
vips copy "$tmp/deep16.png" "$tmp/deep16.tif"
vips copy "$tmp/rgb.png" "$tmp/rgb.heic[Q=30]"
for f in "$tmp"/*; do cp "$f" "$probe/"; done

# Metadata: the fields readMetadata() reads, in EXIF and in XMP, and odd values.
cp "$tmp/rgb.jpg" "$tmp/exif.jpg"
exiftool -q -overwrite_original -Make="Pinhole Optics" -Model="Test Camera" -LensModel="50mm F1.8" \
  -DateTimeOriginal="2024:05:01 14:03:22" -OffsetTimeOriginal="+02:00" -ExposureTime=1/250 -FNumber=2.8 \
  -ISO=400 -FocalLength=50 -FocalLengthIn35mmFormat=75 -Orientation#=6 \
  -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E -GPSAltitude=35 \
  -GPSAltitudeRef#=1 "$tmp/exif.jpg"
cp "$tmp/rgb.jpg" "$tmp/xmp.jpg"
exiftool -q -overwrite_original -XMP-exif:DateTimeOriginal="2023-01-02T03:04:05.123Z" \
  -XMP-photoshop:DateCreated="2023-01-02T03:04:05+01:00" -XMP-tiff:Make=XmpMake -XMP-dc:Subject=tag \
  -XMP-exif:GPSLatitude="10,30.5S" -XMP-exif:GPSLongitude="20,15.25W" "$tmp/xmp.jpg"
cp "$tmp/rgb.jpg" "$tmp/odd.jpg"
exiftool -q -overwrite_original -DateTimeOriginal="0000:00:00 00:00:00" -ApertureValue=4 -FNumber=0 \
  -ExposureTime=0 -ISO=0 -FocalLengthIn35mmFormat=65535 -Orientation#=9 "$tmp/odd.jpg"
cp "$tmp/rgb.png" "$tmp/exif.png"
exiftool -q -overwrite_original -Make=PngMake -DateTimeOriginal="2022:02:02 02:02:02" "$tmp/exif.png"
cp "$tmp/rgb.heic" "$tmp/exif.heic"
exiftool -q -overwrite_original -Make=HeicMake "$tmp/exif.heic" || true
cp "$tmp/rgb.tif" "$tmp/exif.tif"
exiftool -q -overwrite_original -Make=TiffMake -GPSLatitude=1 -GPSLatitudeRef=S "$tmp/exif.tif"
for f in exif.jpg xmp.jpg odd.jpg exif.png exif.heic exif.tif rgb.webp cmyk.jpg animated.gif; do
  [ -f "$tmp/$f" ] && cp "$tmp/$f" "$meta/"
done
cp "$tmp/lossy.webp" "$meta/"
ls -l "$probe" "$meta"
