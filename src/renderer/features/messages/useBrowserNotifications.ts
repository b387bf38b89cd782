import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';
import { messagePreview } from './preview';

/**
 * The web host's desktop notifications, through the browser's Notification API: a new message in a
 * conversation without 免打扰 (main decides which, and sends `messaging:notify` only where the host
 * has no notifications of its own) and new 待办 — only when the 待办 count rises, never on a refresh
 * that finds the same documents, the rule the Electron tray follows. Both respect the 设置 switch
 * 新消息和待办通知, read at each notification (it can change while running).
 *
 * Mounted once for the signed-in window, whatever section is open. The desktop app notifies from
 * main (`AppHost.notify`, the tray), so `enabled` is false there.
 */
export function useBrowserNotifications(enabled: boolean): void {
  const api = useApi();
  const { t } = useTranslation();
  useEffect(() => {
    if (!enabled || typeof Notification === 'undefined') return;
    let live = true;
    /** The 待办 count last seen; null until the first figure (which is a baseline, not news). */
    let lastTodo: number | null = null;

    const show = async (title: string, body: string, tag: string): Promise<void> => {
      const settings = await api.settings.get({});
      if (!live || (settings.ok && !settings.value.effective.notifications)) return;
      // The browser asks the person once; a refusal is theirs to change in the browser.
      const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
      if (live && permission === 'granted') new Notification(title, { body, tag });
    };

    // Worded here when main sent the parts (its title and body are zh-CN).
    const offMessage = api.on('messagingNotify', (payload) =>
      void show(payload.untitled ? t('messaging.newMessage') : payload.title, payload.content !== undefined ? messagePreview(payload.content, t) : payload.body, `message:${payload.conversationId}`),
    );
    const offBadge = api.on('badgeChanged', (count) => {
      const more = lastTodo === null ? 0 : count.todo - lastTodo;
      lastTodo = count.todo;
      if (more > 0) void show(t('app.name'), t('messaging.newTodo', { count: more }), 'todo');
    });
    void api.badge.get({}).then((result) => {
      if (live && result.ok && lastTodo === null) lastTodo = result.value.todo;
    });
    return () => {
      live = false;
      offMessage();
      offBadge();
    };
    // `t` changes with the language; the subscriptions must not.
  }, [api, enabled]);
}
