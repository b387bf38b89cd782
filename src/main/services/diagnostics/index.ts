/** 导出诊断信息: the zip of logs, versions and redacted configuration. */
export { createDiagnosticsService, type DiagnosticsService, type DiagnosticsSource } from './exportDiagnostics';
export { createDiagnosticsHandlers } from './handlers';
export { createZip, type ZipEntry } from './zipWriter';
export { defaultDiagnosticsService, APP_VERSION, type DefaultDiagnosticsHost } from './defaultDiagnostics';
