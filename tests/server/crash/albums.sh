# Album edits: each round creates an album, adds alice's last 20 acknowledged photos at the front
# (each insert moves the others along), renames it and moves one photo. Logs albums.txt
# "<album> created", "<album> has <asset>", "<album> named <name>".
source "$(dirname "$0")/lib.sh"
firstUpload > /dev/null
albums=/api/pinhole/v1/albums
n=0
while [ ! -e stop ]; do
  n=$((n + 1))
  album=$(json -d "{\"name\":\"crash-$n\"}" "$(url)$albums" | firstid)
  [ -z "$album" ] && continue
  echo "$album created" >> albums.txt
  assets=$(tail -n 20 uploads.txt | cut -d' ' -f1 | sort -u)
  list=$(sed 's/.*/"&"/' <<< "$assets" | paste -sd, -)
  json -o /dev/null -d "{\"asset_ids\":[$list],\"position\":0}" "$(url)$albums/$album/assets" &&
    for a in $assets; do echo "$album has $a"; done >> albums.txt
  json -o /dev/null -X PATCH -d "{\"name\":\"renamed-$n\"}" "$(url)$albums/$album" &&
    echo "$album named renamed-$n" >> albums.txt
  json -o /dev/null -X PATCH -d '{"position":3}' "$(url)$albums/$album/assets/$(head -n 1 <<< "$assets")"
done
