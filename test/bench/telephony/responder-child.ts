/**
 * A demo SIP responder in its own process, for the probe-cost bench: the monitor's CPU
 * is measured with `process.cpuUsage()`, which would otherwise count the answering too.
 * Usage: node responder-child.ts <lines>; prints one JSON line `{ports: {lineId: port}}`,
 * then answers until stdin closes or SIGTERM.
 */
import { startDemoResponder } from '../../../src-main/core/telephony/demo-responder.ts';
import { costLineSpecs } from './cost-lines.ts';

const count = Number(process.argv[2] ?? '200');
const specs = costLineSpecs(count);
const responder = await startDemoResponder(specs);
const ports = Object.fromEntries(specs.map((s) => [s.lineId, responder.port(s.lineId)]));
process.stdout.write(`${JSON.stringify({ ports })}\n`);

const stop = () => void responder.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
