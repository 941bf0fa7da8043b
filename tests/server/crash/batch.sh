# Batch operations under the key (alice, tag, crash-bot): each round opens one, stages 500 items
# labelled batch-<round> in two requests, and commits. A failed step abandons the operation (it
# stays open, never committed). Logs batches.txt "<round> <operation> opened|committed".
source "$(dirname "$0")/lib.sh"
asset=$(firstUpload)
item="{\"asset_id\":\"$asset\",\"payload\":{\"label\":\"batch-ROUND\"}}"
items=$(for _ in $(seq 1 250); do printf '%s,' "$item"; done)
items="{\"items\":[${items%,}]}"
ops=/api/pinhole/v1/annotations/operations
round=0
while [ ! -e stop ]; do
  round=$((round + 1))
  op=$(json -d '{"schema":"tag","writer":"crash-bot"}' "$(url)$ops" | firstid)
  [ -z "$op" ] && continue
  echo "$round $op opened" >> batches.txt
  body=${items//ROUND/$round}
  json -o /dev/null -d "$body" "$(url)$ops/$op/items" && json -o /dev/null -d "$body" "$(url)$ops/$op/items" &&
    json -o /dev/null -X POST "$(url)$ops/$op/commit" && echo "$round $op committed" >> batches.txt
done
