import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('fails when the core imports electron', async () => {
    const errors = await layeringErrors(
      'src-main/core/store/x.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(errors.join()).toMatch(/must not depend on Electron/);
  });

  it('fails when the shared contract imports electron or a Node built-in', async () => {
    expect(
      await layeringErrors(
        'src-shared/x.ts',
        "import { ipcRenderer } from 'electron/renderer';\nexport const a = ipcRenderer;\n",
      ),
    ).toHaveLength(1);
    expect(
      (
        await layeringErrors(
          'src-shared/x.ts',
          "import { createHash } from 'node:crypto';\nexport const a = createHash;\n",
        )
      ).join(),
    ).toMatch(/no Node built-ins/);
  });

  it('fails when code both servers share imports the console core or the tracker', async () => {
    const errors = await layeringErrors(
      'src-common/trust/x.ts',
      "import { openEventStore } from '../../src-main/core/store/event-store.ts';\nexport const a = openEventStore;\n",
    );
    expect(errors.join()).toMatch(/imports neither/);
  });

  it('fails when the renderer imports anything from src-main', async () => {
    const errors = await layeringErrors(
      'src-renderer/features/x.tsx',
      "import { createConsoleCore } from '../../src-main/core/console-core.ts';\nexport const a = createConsoleCore;\n",
    );
    expect(errors.join()).toMatch(/only through the API in src-shared/);
  });

  it('allows the renderer to import the shared contract', async () => {
    expect(
      await layeringErrors(
        'src-renderer/features/x.tsx',
        "import { consoleApi } from '../../src-shared/api.ts';\nexport const a = consoleApi;\n",
      ),
    ).toEqual([]);
  });
});
