/** 导出诊断信息 and 关于: what an administrator collects from a desk when something goes wrong. */
import { z } from 'zod';
import { defineCall } from './contract';

export const DiagnosticsExportSchema = z.object({
  /** Absolute path of the archive written on this machine. */
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Names of the files inside the archive, for the confirmation message. */
  entries: z.array(z.string()),
});
export type DiagnosticsExport = z.infer<typeof DiagnosticsExportSchema>;

export const AboutInfoSchema = z.object({
  appVersion: z.string(),
  /** Absent in the web host. */
  electronVersion: z.string().optional(),
  chromeVersion: z.string().optional(),
  nodeVersion: z.string(),
  platform: z.string(),
  arch: z.string(),
  organisationName: z.string().optional(),
  /** The deployment.json in force, or absent when none was found. */
  deploymentFile: z.string().optional(),
  serverUrl: z.string().optional(),
});
export type AboutInfo = z.infer<typeof AboutInfoSchema>;

export const diagnosticsCalls = {
  /** Zips logs, versions and the (redacted) configuration; no tokens, passwords or keys. */
  export: defineCall('diagnostics:export', z.object({}).strict(), DiagnosticsExportSchema),
  about: defineCall('diagnostics:about', z.object({}).strict(), AboutInfoSchema),
};
