// Round 16l, throwaway: how long writing the presized WAL (41 MB of zeros) and its fdatasync take on this disk.
import { openSync, writeSync, fdatasyncSync, closeSync, unlinkSync } from 'node:fs';
for (const mb of [4, 8, 41, 4, 8, 41]) {
  const f = `/tmp/zw-${mb}.bin`;
  const t = performance.now();
  const fd = openSync(f, 'w');
  const z = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) writeSync(fd, z);
  const t1 = performance.now();
  fdatasyncSync(fd);
  closeSync(fd);
  console.log(mb, 'MB write', (t1 - t).toFixed(1), 'ms, sync', (performance.now() - t1).toFixed(1), 'ms');
  unlinkSync(f);
}
