# One annotation at a time on alice's first photo: created, then edited again and again with the
# revision it last saw (on 409, an edit that applied unanswered, it reads the revision again).
# Logs annotations.txt "<annotation> <revision> <label>" per acknowledged write.
source "$(dirname "$0")/lib.sh"
asset=$(firstUpload)
annotation=
revision=0
i=0
while [ ! -e stop ]; do
  i=$((i + 1))
  if [ -z "$annotation" ]; then
    annotation=$(json -d "{\"schema\":\"tag\",\"payload\":{\"label\":\"edit-$i\"}}" \
      "$(url)/api/pinhole/v1/assets/$asset/annotations" | firstid)
    [ -n "$annotation" ] && revision=1 && echo "$annotation 1 edit-$i" >> annotations.txt
    continue
  fi
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $ALICE" \
    -H 'Content-Type: application/json' -d "{\"revision\":$revision,\"payload\":{\"label\":\"edit-$i\"}}" \
    "$(url)/api/pinhole/v1/annotations/$annotation")
  if [ "$code" = 200 ]; then
    revision=$((revision + 1))
    echo "$annotation $revision edit-$i" >> annotations.txt
  elif [ "$code" = 409 ]; then
    seen=$(api "$(url)/api/pinhole/v1/annotations/$annotation" | grep -o '"revision":[0-9]*' | tr -dc 0-9)
    [ -n "$seen" ] && revision=$seen
  fi
done
