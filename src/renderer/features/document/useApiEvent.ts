/** Subscribes a component to one pushed event for as long as it is mounted. */
import { useEffect, useRef } from 'react';
import type { ApiEvents, EventPayloadOf } from '../../../shared/api';
import { useApi } from '../../app/apiContext';

export function useApiEvent<K extends keyof ApiEvents>(event: K, listener: (payload: EventPayloadOf<ApiEvents, K>) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [api, event]);
}
