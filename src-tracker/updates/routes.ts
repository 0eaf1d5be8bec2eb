/**
 * `GET /updates/<file>`: the release feed for the fleet's electron-updater (generic
 * provider, `url: <tracker>/updates/`, the device token in `requestHeaders`). HQ sees
 * what is served, uploads a new `npm run dist` output (`POST /v1/hq/releases`,
 * multipart, HQ admin) or reloads the directory after copying one in.
 * Only enrolled consoles and HQ may download: installers are the facility's software.
 *
 * An upload is taken whole or not at all: the files are staged beside the served
 * release, verified like a release directory (every channel file parses, every file it
 * names is there with its size and sha512, nothing else is), and only then renamed into
 * place (releases.ts). A refused or broken upload leaves the served release as it was.
 * Uploads are limited in file count, per-file and total bytes (TrackerLimits
 * `releaseUpload`), one at a time.
 *
 * Several trackers on one PostgreSQL each serve their own `--releases` directory: put
 * it on storage they share, or upload to each.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TrackerContext, TrackerLimits } from '../context.ts';
import { callerName } from '../http/auth.ts';
import { fail, TrackerFailure } from '../http/errors.ts';
import { commitUpload, isPlainFileName, loadRelease, servedDir, UPLOADS_DIR, type Release } from './releases.ts';

export interface ReleaseFeed {
  dir: string;
}

export type ReleaseUploadLimits = TrackerLimits['releaseUpload'];

/** An electron-builder output for three platforms with blockmaps fits in 16 files; installers are ~100–200 MB. */
export const DEFAULT_RELEASE_UPLOAD: ReleaseUploadLimits = {
  maxFiles: 16,
  maxFileBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
};

const NOT_CONFIGURED = 'the tracker was started without --releases DIR, so it has no release directory';

export async function updateRoutes(app: FastifyInstance, ctx: TrackerContext, feed: ReleaseFeed | null): Promise<void> {
  const limits = ctx.limits.releaseUpload;
  let current: Release | null = null;
  let refused: { reason: string; at: number } | null = null;
  let uploading = false;

  const reload = async () => {
    if (!feed) return { ok: false as const, reason: NOT_CONFIGURED };
    let dir: string;
    try {
      dir = await servedDir(feed.dir);
    } catch (error) {
      return { ok: false as const, reason: (error as Error).message };
    }
    const result = await loadRelease(dir, ctx.clock());
    if (result.ok) {
      current = result.release;
      refused = null;
    } else refused = { reason: result.reason, at: ctx.clock() };
    return result;
  };
  if (feed) {
    // Uploads cut off by a crash or restart left only their staging directories.
    const uploads = join(feed.dir, UPLOADS_DIR);
    for (const name of await readdir(uploads).catch(() => [] as string[])) {
      if (name.startsWith('.staging-')) await rm(join(uploads, name), { recursive: true, force: true });
    }
    const first = await reload();
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
    if (!release || !release.files.has(name)) throw fail('not_found', `no release file ${name}`, 'file');
    return reply
      .header('content-type', 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .send(createReadStream(join(release.dir, name)));
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
            files: [...release.files],
            loadedAt: release.loadedAt,
          }
        : null,
      refused,
    });
  });

  app.post('/v1/admin/releases/reload', async (request, reply) => {
    await ctx.auth.admin(request);
    const result = await reload();
    if (!result.ok)
      throw fail('invalid_input', `not a release: ${result.reason}; the served release is unchanged`, 'releases');
    request.log.info({ version: result.release.version }, 'release loaded');
    return reply.send({ version: result.release.version });
  });

  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { files: limits.maxFiles, parts: limits.maxFiles, fields: 0, fileSize: limits.maxFileBytes },
    });
    scope.post('/v1/hq/releases', async (request, reply) => {
      const caller = await ctx.auth.admin(request);
      if (!feed) throw fail('conflict', NOT_CONFIGURED, 'releases');
      if (!request.isMultipart()) {
        throw fail('invalid_input', 'send the release files as multipart/form-data', 'content-type');
      }
      if (uploading)
        throw fail('conflict', 'another release upload is in progress; try again when it is done', 'files');
      uploading = true;
      const uploads = join(feed.dir, UPLOADS_DIR);
      let staging: string | null = null;
      try {
        await mkdir(uploads, { recursive: true });
        staging = await mkdtemp(join(uploads, '.staging-'));
        const staged = await receive(request, staging, limits);
        const checked = await loadRelease(staging, ctx.clock(), true);
        if (!checked.ok) {
          throw fail('invalid_input', `not a release: ${checked.reason}; the served release is unchanged`, 'files');
        }
        current = await commitUpload(feed.dir, checked.release, ctx.clock());
        staging = null;
        refused = null;
        request.log.info(
          { version: current.version, files: staged, by: callerName(caller) },
          'release uploaded and served',
        );
        return reply.code(201).send({ version: current.version, files: [...current.files] });
      } finally {
        uploading = false;
        if (staging) await rm(staging, { recursive: true, force: true });
      }
    });
  });
}

/** Streams every uploaded file into `dir`; returns their names. Refuses what no release holds. */
async function receive(request: FastifyRequest, dir: string, limits: ReleaseUploadLimits): Promise<string[]> {
  const names: string[] = [];
  let total = 0;
  try {
    for await (const part of request.files()) {
      const name = part.filename;
      if (!isPlainFileName(name)) {
        part.file.resume();
        throw fail('invalid_input', `${JSON.stringify(name)} is not a plain file name of a release`, 'files');
      }
      if (names.includes(name)) {
        part.file.resume();
        throw fail('invalid_input', `${name} is uploaded twice`, 'files');
      }
      names.push(name);
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          total += chunk.length;
          if (total > limits.maxTotalBytes) {
            done(fail('payload_too_large', `the upload is over ${limits.maxTotalBytes} bytes in all`, 'files'));
          } else done(null, chunk);
        },
      });
      await pipeline(part.file, counted, createWriteStream(join(dir, name), { flags: 'wx' }));
    }
  } catch (error) {
    if (error instanceof TrackerFailure) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw fail('payload_too_large', `a file is over ${limits.maxFileBytes} bytes`, 'files');
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw fail('payload_too_large', `more than ${limits.maxFiles} files`, 'files');
    }
    if (code === 'FST_FIELDS_LIMIT') throw fail('invalid_input', 'send only files', 'files');
    throw error;
  }
  if (names.length === 0) {
    throw fail('invalid_input', 'no files: upload latest*.yml and the installers it names', 'files');
  }
  return names;
}
