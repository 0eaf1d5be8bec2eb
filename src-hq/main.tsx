/** HQ entry: translations (the console's plus HQ's own), the session gate, the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n, preloadLanguages } from '../src-renderer/i18n/index.ts';
import { App } from './App.tsx';
import { SessionGate } from './session.tsx';
import sv from './i18n/sv.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };
import '../src-renderer/app/app.css';
import '../src-renderer/features/status/status.css';
import '../src-renderer/features/incidents/incidents.css';
import './hq.css';

await initI18n({ sv, en });
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    <SessionGate>
      <App />
    </SessionGate>
  </StrictMode>,
);
// English after the first paint, so a switch never waits.
void preloadLanguages().catch(() => undefined);
