import { describe, expect, it } from 'vitest';
import { browserOpener } from '../../../scripts/open-browser.ts';

const url = 'http://127.0.0.1:5000/#token=abc';

describe('browserOpener', () => {
  it('uses xdg-open on Linux, open on macOS and start on Windows', () => {
    expect(browserOpener('linux', url)).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserOpener('darwin', url)).toEqual({ command: 'open', args: [url] });
    expect(browserOpener('win32', url)).toEqual({ command: 'cmd', args: ['/c', 'start', '""', url] });
  });
});
