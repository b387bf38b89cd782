/** The deployment error page speaks the person's saved language; zh-CN when it cannot be known. */
import { describe, expect, it } from 'vitest';
import { renderDeploymentErrorPage } from '../../src/main/shell/errorPage';

describe('deployment error page', () => {
  it('is English for a person who chose English, with the problems and the file escaped', () => {
    const html = renderDeploymentErrorPage('C:\\XieTong\\deployment.json', ['serverUrl: <bad>'], 'en');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>XieTong Office — deployment configuration is wrong</title>');
    expect(html).toContain('Problems found:');
    expect(html).toContain('serverUrl: &lt;bad&gt;');
    const page = html.replace(/<style[\s\S]*?<\/style>/g, '');
    expect(/[\u4e00-\u9fff]/.test(page)).toBe(false);
  });

  it('stays as it was in Chinese', () => {
    const html = renderDeploymentErrorPage('/etc/xietong/deployment.json', ['serverUrl：须为 http(s) 地址']);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>协同办公 — 部署配置有误</title>');
    expect(html).toContain('<h1>部署配置有误，协同办公无法启动</h1>');
    expect(html).toContain('<p>配置文件：<code>/etc/xietong/deployment.json</code></p>');
    expect(html).toContain('请联系本单位系统管理员修正该文件后重新启动。您的本地数据未受影响。');
  });
});
