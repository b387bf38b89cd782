/** Renders a component the way main.tsx does: with the API and an i18n instance. */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { XietongApi } from '../../src/shared/api';
import { ApiProvider } from '../../src/renderer/app/apiContext';
import { createI18n, type Language } from '../../src/renderer/i18n';

export async function renderWithApi(element: ReactElement, api: XietongApi, language: Language = 'zh-CN'): Promise<RenderResult> {
  const i18n = await createI18n(language);
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider api={api}>{element}</ApiProvider>
    </I18nextProvider>,
  );
}
