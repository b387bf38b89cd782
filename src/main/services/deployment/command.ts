/**
 * `npx xietong deployment check [FILE]` and `npx xietong deployment sample`: lets an administrator
 * validate a deployment.json with exactly the rules the app applies at start, before rolling it out
 * to thousands of desks. (Shaped like src/cli's CliCommand; services may not import the CLI layer.)
 */
import type { DeploymentConfig } from '../../../shared/deployment';
import { DeploymentConfigError, loadDeployment } from './load';
import { deploymentCandidates } from './locate';

const USAGE = 'usage: xietong deployment check [FILE] | xietong deployment sample';

/** A complete, valid example (docs/deployment.md shows the same). */
export const SAMPLE_DEPLOYMENT = {
  serverUrl: 'https://oa.example.gov.cn',
  organisationName: '某市人民政府办公室',
  trustedRoots: [],
  tsaUrl: 'http://tsa.example.gov.cn/tsr',
  updateUrl: 'https://oa.example.gov.cn/xietong/updates/',
  fonts: {
    fangsong: 'C:\\Windows\\Fonts\\simfang.ttf',
    kaiti: 'C:\\Windows\\Fonts\\simkai.ttf',
    heiti: 'C:\\Windows\\Fonts\\simhei.ttf',
    song: 'C:\\Windows\\Fonts\\simsun.ttc#SimSun',
  },
  voiceMaxSeconds: 60,
  ukeyModules: [{ name: '飞天诚信 ePass3003', path: 'C:\\Windows\\System32\\eps3003csp11.dll' }],
  policies: {
    offlineDays: 7,
    rememberPassword: false,
    allowUserServerUrl: false,
    allowUserDisableUpdates: false,
    allowUserFonts: true,
    startOnLogin: 'user',
    closeToTray: false,
  },
};

const describeConfig = (source: string, config: DeploymentConfig): string[] => [
  `deployment.json 有效：${source}`,
  `  服务器        ${config.serverUrl ?? '（未设置，由用户填写）'}`,
  `  单位          ${config.organisationName ?? '（未设置）'}`,
  `  信任根证书    ${config.trustedRoots.length} 张`,
  `  时间戳服务    ${config.tsaUrl ?? '（未设置）'}`,
  `  更新地址      ${config.updateUrl ?? '（未设置：不自动更新）'}`,
  `  字体          ${Object.keys(config.fonts).join(', ') || '（使用内置字体）'}`,
  `  UKey 驱动     ${config.ukeyModules.map((m) => m.name).join(', ') || '（未设置：只能用证书文件签批）'}`,
  `  策略          ${JSON.stringify(config.policies)}`,
];

const command = {
  async run(argv: string[]): Promise<number> {
    const [action, file, ...rest] = argv;
    if (action === 'sample' && file === undefined) {
      console.log(JSON.stringify(SAMPLE_DEPLOYMENT, null, 2));
      return 0;
    }
    if (action !== 'check' || rest.length > 0) {
      console.error(USAGE);
      return 2;
    }
    const candidates = file !== undefined ? [file] : deploymentCandidates({ platform: process.platform, execPath: process.execPath, env: process.env });
    try {
      const loaded = await loadDeployment(candidates);
      if (loaded.source === undefined) {
        console.error(file !== undefined ? `xietong deployment: no such file: ${file}` : `xietong deployment: no deployment.json found (looked at ${candidates.join(', ')})`);
        return 1;
      }
      for (const line of describeConfig(loaded.source, loaded.config)) console.log(line);
      return 0;
    } catch (error) {
      if (!(error instanceof DeploymentConfigError)) throw error;
      console.error(`部署配置文件 ${error.file} 无效：`);
      for (const problem of error.problems) console.error(`  - ${problem}`);
      return 1;
    }
  },
};

export default command;
