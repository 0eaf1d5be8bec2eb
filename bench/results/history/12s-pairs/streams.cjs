// node streams.cjs <stream-*.txt>: totals per side (the label before its "-<n>") of stream.ts's
// lines: runs, waits for room, ms in them, the longest wait, and the WAL's most frames.
const fs = require('node:fs');
const sides = {};
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  const m = /^(\w+)-\d+: .* in ([\d.]+) ms .*waits for room (\d+), ([\d.]+) ms \(([^)]*)\); most frames (\d+)/.exec(line);
  if (!m) continue;
  const s = (sides[m[1]] ??= { runs: 0, wall: 0, waits: 0, ms: 0, longest: 0, most: 0 });
  s.runs += 1;
  s.wall += Number(m[2]);
  s.waits += Number(m[3]);
  s.ms += Number(m[4]);
  for (const x of m[5].split(', ').filter(Boolean)) s.longest = Math.max(s.longest, Number(x));
  s.most = Math.max(s.most, Number(m[6]));
}
for (const [side, s] of Object.entries(sides))
  console.log(
    `${side}: ${s.runs} runs, ${s.wall.toFixed(1)} ms of streaming, ${s.waits} waits for room, ${s.ms.toFixed(1)} ms in them, longest ${s.longest.toFixed(1)} ms; most WAL frames ${s.most}`,
  );
