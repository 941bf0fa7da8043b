# Resumable uploads through tus, chunk by chunk, each resumed from the offset HEAD reports after
# a failure. Logs: tus-offsets.txt "<upload> <offset>" per acknowledged PATCH; tus-uploads.txt
# "<asset> <sha256>" per completed upload; tus-unanswered.txt "<upload> <offset>" per PATCH
# without a 2xx answer (the kills fall in PATCHes); tus-regressions.txt whenever the server
# reports less than it had acknowledged, loses the upload (404), finds the assembled file is
# not what was sent (460 against the declared SHA-256) or has every byte but no asset — the test
# expects none.
source "$(dirname "$0")/lib.sh"
tus=/api/pinhole/v1/uploads
n=0
while [ ! -e stop ]; do
  n=$((n + 1))
  { cat big.jpg; echo "tus$n"; } > tus.jpg
  length=$(stat -c %s tus.jpg)
  sha=$(sha256sum tus.jpg | cut -c1-64)
  location=
  while [ -z "$location" ] && [ ! -e stop ]; do
    location=$(api -o /dev/null -D - -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $length" \
      -H "Upload-Metadata: filename dHVzLmpwZw==,sha256 $(printf %s "$sha" | base64 -w0)" "$(url)$tus" | header Location)
  done
  id=${location##*/}
  acked=0
  asset=
  while [ -n "$id" ] && [ -z "$asset" ] && [ ! -e stop ]; do
    state=$(curl -s -m 5 -I -H "Authorization: Bearer $ALICE" -H 'Tus-Resumable: 1.0.0' "$(url)$tus/$id") || continue
    case "$state" in
      "HTTP/1.1 200"*) ;;
      "HTTP/1.1 404"*) echo "$id $acked lost" >> tus-regressions.txt; break ;;
      *) continue ;;
    esac
    offset=$(header Upload-Offset <<< "$state")
    asset=$(header Pinhole-Asset-Id <<< "$state")
    [ "$offset" -lt "$acked" ] && echo "$id $acked $offset" >> tus-regressions.txt
    [ -n "$asset" ] && break
    tail -c +"$((offset + 1))" tus.jpg | head -c "$CHUNK" > chunk.bin
    answer=$(curl -s -m 5 -o /dev/null -D - -X PATCH -H "Authorization: Bearer $ALICE" -H 'Tus-Resumable: 1.0.0' \
      -H 'Content-Type: application/offset+octet-stream' -H "Upload-Offset: $offset" --data-binary @chunk.bin \
      "$(url)$tus/$id")
    case "$answer" in
      "HTTP/1.1 204"*) ;;
      "HTTP/1.1 460"*) echo "$id $offset refused: the bytes stored differ from those sent" >> tus-regressions.txt; break ;;
      *) echo "$id $offset" >> tus-unanswered.txt; continue ;;
    esac
    acked=$(header Upload-Offset <<< "$answer")
    echo "$id $acked" >> tus-offsets.txt
    asset=$(header Pinhole-Asset-Id <<< "$answer")
    [ -z "$asset" ] && [ "$acked" = "$length" ] && { echo "$id $acked complete without an asset" >> tus-regressions.txt; break; }
  done
  [ -n "$asset" ] && echo "$asset $sha" >> tus-uploads.txt
done
