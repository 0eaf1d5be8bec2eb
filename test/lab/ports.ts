/** Free loopback ports for lab services, and waiting until a killed service has let go of one. */
import dgram from 'node:dgram';
import net from 'node:net';

function bindTcp(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

function bindUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** A port free on 127.0.0.1 for both TCP and UDP right now. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await bindTcp(0);
    if (port !== null && (await bindUdp(port))) return port;
  }
  throw new Error('no free loopback port found in 50 attempts');
}

export async function isPortFree(port: number): Promise<boolean> {
  return (await bindTcp(port)) !== null && (await bindUdp(port));
}

/** Polls (bounded) until the port is free: a killed Kamailio's workers can hold it for a moment. */
export async function waitForPortFree(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortFree(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} still in use after ${timeoutMs} ms`);
}
