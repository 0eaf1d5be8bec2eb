/**
 * A hostile host on the LAN for the discovery test: announces many `_guardline._tcp`
 * services of the victim facility under invented device ids (unknown keys), one under a
 * known device's id and fingerprint pointing at itself, some with malformed TXT, and sends
 * undecodable datagrams to the mDNS group. Prints `PUBLISHED <n>` when done, then keeps
 * answering queries until stdin closes.
 *
 * Run: node test/support/mdns-hostile.ts '{"facility":…,"count":300,"impersonate":{"deviceId":…,"fingerprint":…}}'
 */
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Bonjour, type ServiceConfig } from 'bonjour-service';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  facility: string;
  interface: string;
  count: number;
  impersonate: { deviceId: string; fingerprint: string };
};
const bonjour = new Bonjour({ interface: args.interface, bind: '0.0.0.0' } as Partial<ServiceConfig>);
const txt = (d: string, k: string) => ({ v: '1', f: args.facility, d, k });
let n = 0;
const publish = (name: string, t: Record<string, string>) => {
  bonjour.publish({ name, type: 'guardline', port: 40_000 + (n % 1000), probe: false, disableIPv6: true, txt: t });
  n += 1;
};
publish('forged-known', txt(args.impersonate.deviceId, args.impersonate.fingerprint));
for (let i = 0; i < args.count; i++) publish(`flood-${i}`, txt(randomUUID(), `fp${randomUUID().slice(0, 12)}`));
publish('bad-id', txt('../../etc/passwd; rm', 'abcdefghij'));
publish('bad-fp', txt(randomUUID(), 'x'));
publish('no-version', { f: args.facility, d: randomUUID(), k: 'abcdefghijkl' });

const garbage = createSocket({ type: 'udp4', reuseAddr: true });
garbage.bind(0, args.interface, () => {
  garbage.setMulticastInterface(args.interface);
  let sent = 0;
  const blast = () => {
    const bytes = Buffer.from(Array.from({ length: 64 + (sent % 400) }, (_, i) => (i * 37 + sent) & 0xff));
    garbage.send(bytes, 5353, '224.0.0.251', () => {
      sent += 1;
      if (sent < 200) blast();
      else process.stdout.write(`PUBLISHED ${n}\n`);
    });
  };
  blast();
});
process.stdin.resume();
process.stdin.on('end', () => bonjour.destroy(() => process.exit(0)));
