/** A stand-in for the built renderer, for tests of the web host and its start scripts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Make `<dir>/web` holding one index.html; returns its path. */
export function writeStandInWebRoot(dir: string): string {
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Guardline</title>');
  return web;
}
