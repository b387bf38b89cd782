/** Hands the API (whichever bridge carries it) to the component tree; tests provide their own. */
import { createContext, useContext, type ReactNode } from 'react';
import type { XietongApi } from '../../shared/api';

const ApiContext = createContext<XietongApi | null>(null);

export function ApiProvider({ api, children }: { api: XietongApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The API of this window. */
export function useApi(): XietongApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
