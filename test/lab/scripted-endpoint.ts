/**
 * A loopback endpoint whose answers a test scripts, for the bad inputs no real SIP
 * server sends on purpose: garbage, wrong Call-IDs, truncated or huge packets, answers
 * split across TCP segments.
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** Headers of a request, for building answers to it. */
export function requestHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

/** A well-formed response to `request` with the given status line; `overrides` replace header values. */
export function responseTo(request: string, status = '200 OK', overrides: Record<string, string> = {}): string {
  const h = { ...requestHeaders(request), ...overrides };
  return [
    `SIP/2.0 ${status}`,
    `Via: ${h.via}`,
    `From: ${h.from}`,
    `To: ${h.to};tag=scripted`,
    `Call-ID: ${h['call-id']}`,
    `CSeq: ${h.cseq}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export type Script = (request: string, count: number) => (string | Buffer)[];

export interface ScriptedEndpoint {
  readonly port: number;
  readonly received: string[];
  close(): Promise<void>;
}

export function startUdpEndpoint(script: Script): Promise<ScriptedEndpoint> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const received: string[] = [];
    socket.on('message', (msg, rinfo) => {
      received.push(msg.toString());
      for (const answer of script(msg.toString(), received.length)) socket.send(answer, rinfo.port, rinfo.address);
    });
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: socket.address().port,
        received,
        close: () => new Promise<void>((r) => socket.close(() => r())),
      }),
    );
  });
}

/** TCP: each scripted chunk is written separately, so answers can be split mid-header. */
export function startTcpEndpoint(script: Script): Promise<ScriptedEndpoint> {
  return new Promise((resolve) => {
    const received: string[] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let buffer = '';
      socket.on('data', async (chunk) => {
        buffer += chunk.toString();
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const request = buffer.slice(0, end + 4);
        buffer = buffer.slice(end + 4);
        received.push(request);
        for (const part of script(request, received.length)) {
          socket.write(part);
          await new Promise((r) => setImmediate(r));
        }
      });
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        received,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}
