/**
 * The screen shown instead of the app when `deployment.json` is unusable: what is wrong, in which
 * file, and who can fix it. Served from the app scheme under the same CSP (no script, inline style
 * is not allowed either, so the page links the tiny stylesheet it also generates).
 */
import { shellTexts, type ShellLanguage } from './shellTexts';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

export const ERROR_PAGE_PATH = '/deployment-error.html';
export const ERROR_STYLE_PATH = '/deployment-error.css';

export const ERROR_PAGE_CSS = `body{margin:0;font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;background:#f5f5f2;color:#222}
main{max-width:720px;margin:64px auto;padding:32px 40px;background:#fff;border-top:4px solid #b71c1c;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:22px;margin:0 0 16px;color:#b71c1c}code{background:#f2f2f2;padding:2px 6px;word-break:break-all}
li{margin:6px 0;line-height:1.6}p{line-height:1.7}`;

/**
 * The page in `language`: the person's saved interface language when their settings file can be
 * read (the deployment file is what is broken), else zh-CN. The problems are the loader's own words.
 */
export function renderDeploymentErrorPage(file: string, problems: readonly string[], language: ShellLanguage = 'zh-CN'): string {
  const texts = shellTexts[language];
  const page = texts.deploymentError;
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><title>${escapeHtml(texts.dialogs.deploymentErrorTitle)}</title><link rel="stylesheet" href="${ERROR_STYLE_PATH}"></head>
<body><main role="alert">
<h1>${escapeHtml(page.heading)}</h1>
<p>${escapeHtml(page.file)}<code>${escapeHtml(file)}</code></p>
<p>${escapeHtml(page.problems)}</p>
<ul>${problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul>
<p>${escapeHtml(page.whatToDo)}</p>
</main></body>
</html>`;
}
