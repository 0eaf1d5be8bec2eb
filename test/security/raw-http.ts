/**
 * HTTP written by hand on a plain socket: request targets go out byte for byte as given
 * (`/../x`, `%2e%2e`, backslashes), which HTTP client libraries would normalise first.
 */
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

const RAW_TIMEOUT_MS = 10_000;

/** Sends `request` (already framed) to 127.0.0.1:port and reads until the server closes. */
export function rawExchange(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${RAW_TIMEOUT_MS} ms`));
    }, RAW_TIMEOUT_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    // A server may answer and hang up before it has read everything we send.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

/** A GET with `Connection: close`, so the exchange ends when the answer does. */
export function rawGet(port: number, target: string, hostHeader = `127.0.0.1:${port}`): Promise<RawResponse> {
  return rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
}
