import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';

/**
 * The browser's badge: in a browser tab (the web host) the page title carries the 待办 + unread count,
 * `(3) 协同办公`. The desktop app shows the count on the tray and the taskbar/dock instead and keeps
 * its window title, so `enabled` is false there.
 */
export function useBadgeTitle(enabled: boolean): void {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [total, setTotal] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const off = api.on('badgeChanged', (count) => setTotal(count.total));
    void api.badge.get({}).then((result) => {
      if (live && result.ok) setTotal(result.value.total);
    });
    return () => {
      live = false;
      off();
      document.title = t('app.name');
    };
    // `t` changes with the language; the subscription must not.
  }, [api, enabled]);
  useEffect(() => {
    if (!enabled) return;
    const name = t('app.name');
    document.title = total > 0 ? `(${total}) ${name}` : name;
  }, [enabled, total, t, i18n.language]);
}
