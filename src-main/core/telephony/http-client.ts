/**
 * One HTTP exchange on a fresh connection, for probes. `fetch` keeps pooled
 * keep-alive sockets, so a probe after a server restart can fail on a stale socket
 * (a false DOWN) or succeed on an old one (a false UP); a probe must open its own.
 * Never follows redirects; the body is capped.
 */
import http from 'node:http';
import https from 'node:https';

export type HttpExchange =
  | { ok: true; status: number; body: string }
  | { ok: false; reason: 'timeout' | 'too_large'; message: string }
  | { ok: false; reason: 'network'; error: NodeJS.ErrnoException };

export function httpExchange(
  url: string,
  options: { method?: 'GET' | 'POST'; body?: string; timeoutMs: number; maxBody?: number; statusOnly?: boolean },
): Promise<HttpExchange> {
  return new Promise((resolve) => {
    const maxBody = options.maxBody ?? 1_000_000;
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (result: HttpExchange) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(result);
    };
    const req = client.request(
      target,
      {
        method: options.method ?? 'GET',
        agent: false,
        headers:
          options.body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) },
      },
      (res) => {
        if (options.statusOnly) return finish({ ok: true, status: res.statusCode ?? 0, body: '' });
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBody) return finish({ ok: false, reason: 'too_large', message: `body over ${maxBody} bytes` });
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => finish({ ok: false, reason: 'network', error }));
      },
    );
    const deadline = setTimeout(
      () => finish({ ok: false, reason: 'timeout', message: `no answer in ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    req.on('error', (error) => finish({ ok: false, reason: 'network', error }));
    req.end(options.body);
  });
}
