/**
 * `GET /updates/<file>`: the release feed for the fleet's electron-updater (generic
 * provider, `url: <tracker>/updates/`, the device token in `requestHeaders`); HQ sees
 * what is served and reloads the directory after copying a new `npm run dist` output in.
 * Only enrolled consoles and HQ may download: installers are the facility's software.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TrackerContext } from '../context.ts';
import { fail } from '../http/errors.ts';
import { loadRelease, type Release } from './releases.ts';

export interface ReleaseFeed {
  dir: string;
}

export function updateRoutes(app: FastifyInstance, ctx: TrackerContext, feed: ReleaseFeed | null): void {
  let current: Release | null = null;
  let refused: { reason: string; at: number } | null = null;
  const reload = () => {
    if (!feed) return { ok: false as const, reason: 'the tracker was started without --releases' };
    const result = loadRelease(feed.dir, ctx.clock());
    if (result.ok) {
      current = result.release;
      refused = null;
    } else refused = { reason: result.reason, at: ctx.clock() };
    return result;
  };
  if (feed) {
    const first = reload();
    if (!first.ok) app.log.warn({ dir: feed.dir, reason: first.reason }, 'release directory refused');
  }

  async function deviceOrHq(request: FastifyRequest): Promise<void> {
    try {
      await ctx.auth.device(request);
    } catch {
      await ctx.auth.viewer(request);
    }
  }

  app.get<{ Params: { file: string } }>('/updates/:file', async (request, reply) => {
    await deviceOrHq(request);
    const name = request.params.file;
    const release = current as Release | null;
    const channel = release?.channels.get(name);
    if (channel !== undefined) {
      return reply.header('content-type', 'text/yaml; charset=utf-8').header('cache-control', 'no-cache').send(channel);
    }
    const path = release?.files.get(name);
    if (!path) throw fail('not_found', `no release file ${name}`, 'file');
    return reply
      .header('content-type', 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .send(createReadStream(path));
  });

  app.get('/v1/hq/releases', async (request, reply) => {
    await ctx.auth.viewer(request);
    const release = current as Release | null;
    return reply.send({
      configured: feed !== null,
      current: release
        ? {
            version: release.version,
            channels: [...release.channels.keys()],
            files: [...release.files.keys()],
            loadedAt: release.loadedAt,
          }
        : null,
      refused,
    });
  });

  app.post('/v1/admin/releases/reload', async (request, reply) => {
    await ctx.auth.admin(request);
    const result = reload();
    if (!result.ok)
      throw fail('invalid_input', `not a release: ${result.reason}; the served release is unchanged`, 'releases');
    request.log.info({ version: result.release.version }, 'release loaded');
    return reply.send({ version: result.release.version });
  });
}
