/** Reads a tracker's SSE stream with fetch and hands out its data messages in order. */
import { StreamMessage } from '../../../src-shared/sync-wire.ts';
import { credentialHeaders, type Credential } from './http-client.ts';

export interface SseConnection {
  status: number;
  contentType: string | null;
  /** Resolves with the first message (received or still to come) that matches, or rejects after timeoutMs. */
  waitFor(match: (m: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  /** Every data message so far, in arrival order. */
  messages(): StreamMessage[];
  close(): void;
}

export async function openSse(url: string, token: Credential | undefined): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: token ? { ...credentialHeaders(token), accept: 'text/event-stream' } : {},
    signal: abort.signal,
  });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trim())
              .join('\n');
            if (data) messages.push(StreamMessage.parse(JSON.parse(data)));
            for (const wake of waiters) wake();
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching SSE message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    messages: () => [...messages],
    close() {
      abort.abort();
    },
  };
}
