/**
 * The typeface roles of GB/T 9704-2012 and how a deployment points them at installed fonts.
 *
 * Lives in `shared` so the deployment configuration (which an administrator edits) and the
 * renderer in `src/signing` agree on the names without either importing the other.
 */
import { z } from 'zod';

/** 仿宋 body text, 小标宋 标志 and titles, 楷体 second-level headings and 签发人 names, 黑体 first-level headings and 密级, 宋体 page numbers. */
export const FontRoleSchema = z.enum(['fangsong', 'xiaobiaosong', 'kaiti', 'heiti', 'song']);
export type FontRole = z.infer<typeof FontRoleSchema>;

/** Chinese names of the roles, for messages shown to administrators. */
export const fontRoleLabels: Record<FontRole, string> = {
  fangsong: '仿宋',
  xiaobiaosong: '小标宋',
  kaiti: '楷体',
  heiti: '黑体',
  song: '宋体',
};

/**
 * Paths of installed official fonts (e.g. 仿宋_GB2312, 方正小标宋简体) per role. A font collection
 * (.ttc) may name its face after `#`: `/usr/share/fonts/simsun.ttc#SimSun`; without it the first
 * face is used.
 */
export const FontOverridesSchema = z.partialRecord(FontRoleSchema, z.string().min(1));
export type FontOverrides = z.infer<typeof FontOverridesSchema>;
