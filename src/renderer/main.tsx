/** Renderer entry: pick the bridge, load the interface language, render. */
// First: it configures zod before any other module parses with it.
import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/App';
import { ApiProvider } from './app/apiContext';
import { getApi } from './bridge/getApi';
import { createI18n } from './i18n';
import './styles/app.css';

const container = document.getElementById('root');
if (!container) throw new Error('missing #root');

void createI18n().then((i18n) => {
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ApiProvider api={getApi()}>
          <App />
        </ApiProvider>
      </I18nextProvider>
    </StrictMode>,
  );
});
