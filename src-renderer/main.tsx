/** Renderer entry: choose the bridge, load translations, mount the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client.ts';
import { ApiProvider } from './api/ApiContext.tsx';
import { App } from './app/App.tsx';
import { ToastProvider } from './app/toasts.tsx';
import { selectBridge } from './bridge/index.ts';
import { initI18n } from './i18n/index.ts';
import './app/app.css';
import './features/incidents/incidents.css';

await initI18n();
const { bridge, connection } = selectBridge();
const api = createApiClient(bridge);
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    <ApiProvider api={api} connection={connection}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </ApiProvider>
  </StrictMode>,
);
