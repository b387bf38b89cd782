/** The connection to the server as main sees it (在线 / 离线 / 连接中), followed while mounted. */
import { useEffect, useState } from 'react';
import type { ConnectionState } from '../../shared/api';
import { useApi } from './apiContext';

export function useConnectionState(): ConnectionState {
  const api = useApi();
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => {
    let live = true;
    // An event that arrives before the first answer is newer than that answer.
    let heard = false;
    const off = api.on('connectionChanged', ({ state: next }) => {
      heard = true;
      setState(next);
    });
    void api.session.connection({}).then((result) => {
      if (live && !heard && result.ok) setState(result.value.state);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return state;
}
