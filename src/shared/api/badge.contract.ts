/**
 * The count on the tray icon, the taskbar/dock badge and (in a browser) the page title: 待办 plus
 * unread messages. Main computes it; the renderer only shows it.
 */
import { z } from 'zod';
import { defineCall, defineEvent } from './contract';

export const BadgeCountSchema = z.object({
  /** Documents waiting in 待办. */
  todo: z.number().int().nonnegative(),
  /** Unread messages (0 until messaging feeds the count). */
  unread: z.number().int().nonnegative(),
  /** `todo + unread`: the number shown. */
  total: z.number().int().nonnegative(),
});
export type BadgeCount = z.infer<typeof BadgeCountSchema>;

export const badgeCalls = {
  get: defineCall('badge:get', z.object({}).strict(), BadgeCountSchema),
};

export const badgeEvents = {
  /** The count changed (a document arrived in or left 待办, a message was read, a sign-in or sign-out). */
  badgeChanged: defineEvent('badge:changed', BadgeCountSchema),
};
