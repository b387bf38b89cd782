/**
 * The screen shown instead of the app when `deployment.json` is unusable: what is wrong, in which
 * file, and who can fix it. Served from the app scheme under the same CSP (no script, inline style
 * is not allowed either, so the page links the tiny stylesheet it also generates).
 */

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

export const ERROR_PAGE_PATH = '/deployment-error.html';
export const ERROR_STYLE_PATH = '/deployment-error.css';

export const ERROR_PAGE_CSS = `body{margin:0;font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;background:#f5f5f2;color:#222}
main{max-width:720px;margin:64px auto;padding:32px 40px;background:#fff;border-top:4px solid #b71c1c;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:22px;margin:0 0 16px;color:#b71c1c}code{background:#f2f2f2;padding:2px 6px;word-break:break-all}
li{margin:6px 0;line-height:1.6}p{line-height:1.7}`;

export function renderDeploymentErrorPage(file: string, problems: readonly string[]): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>协同办公 — 部署配置有误</title><link rel="stylesheet" href="${ERROR_STYLE_PATH}"></head>
<body><main role="alert">
<h1>部署配置有误，协同办公无法启动</h1>
<p>配置文件：<code>${escapeHtml(file)}</code></p>
<p>发现以下问题：</p>
<ul>${problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul>
<p>请联系本单位系统管理员修正该文件后重新启动。您的本地数据未受影响。</p>
</main></body>
</html>`;
}
