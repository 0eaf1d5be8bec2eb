/**
 * The start of a Server-Sent Events answer, shared by the consoles' stream and HQ's: the
 * reply leaves Fastify's hands (it stays open for the connection's life), the headers keep
 * proxies from buffering or caching it, and the first line tells the browser or console how
 * long to wait before reconnecting.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

const RETRY_MS = 2000;

export function openEventStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${RETRY_MS}\n\n`);
  return res;
}
