/** The channel-file reader of the update feed: electron-builder's shape in, anything else refused by line. */
import { describe, expect, it } from 'vitest';
import { parseChannelFile } from '../../../src-tracker/updates/releases.ts';

const GOOD = `version: 1.2.3
files:
  - url: Guardline-Setup-1.2.3.exe
    sha512: abc==
    size: 42
  - url: Guardline-1.2.3.AppImage
    sha512: def==
    size: 7
path: Guardline-Setup-1.2.3.exe
sha512: abc==
releaseDate: '2026-12-05T04:00:00.000Z'
`;

describe('update channel files', () => {
  it('reads the version, every file and the main path', () => {
    expect(parseChannelFile(GOOD)).toEqual({
      version: '1.2.3',
      files: [
        { url: 'Guardline-Setup-1.2.3.exe', sha512: 'abc==', size: 42 },
        { url: 'Guardline-1.2.3.AppImage', sha512: 'def==', size: 7 },
      ],
      path: 'Guardline-Setup-1.2.3.exe',
      sha512: 'abc==',
      releaseDate: '2026-12-05T04:00:00.000Z',
    });
  });

  it('refuses what is not a release, naming why', () => {
    expect(() => parseChannelFile('files:\n  - url: a\n    sha512: b\n    size: 1\n')).toThrow('no version');
    expect(() => parseChannelFile('version: 1\n')).toThrow('no files');
    expect(() => parseChannelFile('version: 1\nfiles:\n  - url: a\n    size: x\n')).toThrow('files.0');
    expect(() => parseChannelFile('version: 1\n<html>\n')).toThrow('line 2');
  });
});
