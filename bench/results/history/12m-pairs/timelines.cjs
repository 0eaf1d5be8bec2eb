// The timeline columns of docs/performance.md's round 12m table, from the `<run>.timeline.txt`
// files here (test/bench/mesh-timeline.ts over each run's session timelines; run.sh writes them).
// Run in this directory: node timelines.cjs > timelines.md
const fs = require('fs');
const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.timeline.txt')).sort();
const num = (text, re) => {
  const m = text.match(re);
  return m ? Number(m[1]) : '';
};
const causes = [
  'on the wire / not yet all in at B',
  'in the worker queue',
  'being prepared by the worker',
  'answer posted, B thread not yet taken it',
  'ready and queued (B thread scheduling)',
  'A had not sent it: window full',
  'A had not sent it: A reading/encoding',
  'A had not sent it: other',
];
console.log(
  `| run | chain guesses taken | not taken | first frame → B's last store (ms) | B thread CPU over it (ms) | transactions | their wall (ms) | their CPU (ms) | between them busy (ms) | between them idle (ms) | ${causes.map((c) => `idle: ${c} (ms)`).join(' | ')} |`,
);
console.log(`| ${Array(causes.length + 10).fill('---').join(' | ')} |`);
for (const f of files) {
  const t = fs.readFileSync(`${__dirname}/${f}`, 'utf8');
  const cells = [
    num(t, /guessed on the frame worker: (\d+) taken/),
    num(t, /taken by the append, (\d+) not taken/),
    num(t, /B's last transaction stored: ([\d.]+) ms/),
    num(t, /B's thread CPU over it ([\d.]+) ms/),
    num(t, /B's transactions \(≥ 100 events\): (\d+),/),
    num(t, /B's transactions \(≥ 100 events\): \d+, ([\d.]+) ms wall/),
    num(t, /ms wall, ([\d.]+) ms CPU/),
    num(t, /between them ([\d.]+) ms busy/),
    num(t, /ms busy, ([\d.]+) ms idle/),
    ...causes.map((c) => {
      const line = t.split('\n').find((l) => l.trim().startsWith(c));
      return line ? Number(line.trim().split(/\s+/).at(-2)) : 0;
    }),
  ];
  console.log(`| ${f.replace('.timeline.txt', '')} | ${cells.join(' | ')} |`);
}
