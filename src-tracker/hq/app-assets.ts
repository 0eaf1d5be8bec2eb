/**
 * Serves the built React HQ app (`npm run build:hq` writes `dist-hq/`) at `/hq`. The
 * files are read once into memory: a few hundred KB, and the tracker then never
 * touches the disk for them. Every answer carries HQ's CSP, which allows no inline
 * script or style, so the app is built with every asset a file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const HQ_APP_DIR = fileURLToPath(new URL('../../dist-hq/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

interface Asset {
  body: Buffer;
  type: string;
  /** Hashed file names never change content: cache them for good. */
  immutable: boolean;
}

function readTree(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const key = relative(dir, path).split(sep).join('/');
        assets.set(key, {
          body: readFileSync(path),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          immutable: key.startsWith('assets/'),
        });
      }
    }
  };
  walk(dir);
  return assets;
}

export function hqAppRoutes(app: FastifyInstance, headers: Record<string, string>, dir = HQ_APP_DIR): void {
  let assets: Map<string, Asset> | null = null;
  const load = () => {
    if (!assets && existsSync(join(dir, 'index.html'))) assets = readTree(dir);
    return assets;
  };
  const send = (reply: FastifyReply, name: string) => {
    for (const [header, value] of Object.entries(headers)) void reply.header(header, value);
    const tree = load();
    if (!tree) {
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The HQ app is not built: run npm run build:hq\n');
    }
    const asset = tree.get(name);
    if (!asset) return reply.code(404).send({ code: 'not_found', message: `no HQ file ${name}` });
    return reply
      .header('content-type', asset.type)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(asset.body);
  };
  app.get('/hq', (_request, reply) => send(reply, 'index.html'));
  app.get('/hq/', (_request, reply) => send(reply, 'index.html'));
  app.get<{ Params: { '*': string } }>('/hq/*', (request, reply) => send(reply, request.params['*']));
}
