/**
 * What the Electron shell itself says — menus, tray, native dialogs — in the interface language of
 * the settings (`settings:get`'s effective `language`). The renderer's texts live in its i18n
 * resources; errors in src/shared/errors. zh-CN is the default, as everywhere.
 */
import { previewLabelsZh, type PreviewLabels } from '../../shared/api/messaging.contract';

export type ShellLanguage = 'zh-CN' | 'en';

export interface ShellTexts {
  readonly productName: string;
  readonly menu: {
    readonly about: string;
    readonly hide: string;
    readonly hideOthers: string;
    readonly unhide: string;
    readonly quitApp: string;
    readonly file: string;
    readonly exportDiagnostics: string;
    readonly closeWindow: string;
    readonly quit: string;
    readonly edit: string;
    readonly undo: string;
    readonly redo: string;
    readonly cut: string;
    readonly copy: string;
    readonly paste: string;
    readonly pasteAndMatchStyle: string;
    readonly delete: string;
    readonly selectAll: string;
    readonly view: string;
    readonly reload: string;
    readonly devTools: string;
    readonly resetZoom: string;
    readonly zoomIn: string;
    readonly zoomOut: string;
    readonly fullScreen: string;
    readonly window: string;
    readonly minimize: string;
    readonly zoom: string;
    readonly front: string;
    readonly close: string;
    readonly help: string;
    readonly checkForUpdates: string;
  };
  readonly dialogs: {
    readonly ok: string;
    readonly diagnosticsExported: string;
    readonly diagnosticsExportedDetail: (path: string) => string;
    readonly diagnosticsFailed: string;
    readonly updateDownloading: (version: string) => string;
    readonly updateCurrent: (version: string) => string;
    readonly updateFailed: (message: string) => string;
    readonly updateTitle: string;
    readonly updateReady: (version: string) => string;
    readonly updateReadyDetail: string;
    readonly later: string;
    readonly restartNow: string;
    readonly aboutVersion: (app: string, electron: string, chrome: string, node: string) => string;
    readonly aboutSystem: (platform: string, arch: string) => string;
    readonly aboutUnit: (name: string) => string;
    readonly aboutServer: (url: string) => string;
    readonly aboutDeployment: (file: string | undefined) => string;
    readonly aboutUpdates: (active: boolean, reason: string | undefined) => string;
    readonly showInFolder: string;
    readonly deploymentErrorTitle: string;
    readonly cannotStart: string;
  };
  /** The page shown instead of the app when deployment.json is unusable (errorPage.ts). */
  readonly deploymentError: {
    readonly heading: string;
    readonly file: string;
    readonly problems: string;
    readonly whatToDo: string;
  };
  /** A message notification's words: the brackets of its preview, the title of an unknown conversation. */
  readonly message: PreviewLabels & { readonly newMessage: string };
  readonly tray: {
    readonly nothingToDo: string;
    readonly todo: (count: number) => string;
    readonly unread: (count: number) => string;
    readonly open: string;
    readonly quit: string;
    readonly newTodo: (count: number) => string;
  };
  readonly openFile: {
    readonly checks: {
      readonly byteRange: string;
      readonly digest: string;
      readonly signature: string;
      readonly pades: string;
      readonly chain: string;
      readonly validity: string;
      readonly revocation: string;
      readonly modifications: string;
      readonly timestamp: string;
    };
    readonly title: (fileName: string) => string;
    readonly noSignatures: string;
    readonly noSignaturesDetail: (fileName: string) => string;
    readonly unknownSigner: string;
    readonly allValid: (count: number) => string;
    readonly notValid: string;
    readonly ofd: string;
    readonly ofdDetail: string;
    readonly unsupported: string;
    readonly unreadable: string;
    readonly tooLarge: string;
    readonly tooLargeDetail: (path: string) => string;
    readonly noRoots: string;
    readonly noRootsDetail: string;
    readonly cannotVerify: string;
    readonly cannotVerifyDetail: (reason: string) => string;
  };
}

const zhCN: ShellTexts = {
  productName: '协同办公',
  menu: {
    about: '关于 协同办公',
    hide: '隐藏 协同办公',
    hideOthers: '隐藏其他',
    unhide: '全部显示',
    quitApp: '退出 协同办公',
    file: '文件',
    exportDiagnostics: '导出诊断信息…',
    closeWindow: '关闭窗口',
    quit: '退出',
    edit: '编辑',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    pasteAndMatchStyle: '粘贴并匹配样式',
    delete: '删除',
    selectAll: '全选',
    view: '视图',
    reload: '重新加载',
    devTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullScreen: '全屏',
    window: '窗口',
    minimize: '最小化',
    zoom: '缩放',
    front: '前置全部窗口',
    close: '关闭',
    help: '帮助',
    checkForUpdates: '检查更新',
  },
  dialogs: {
    ok: '确定',
    diagnosticsExported: '诊断信息已导出',
    diagnosticsExportedDetail: (path) => `文件：${path}\n其中不含密码、令牌或私钥，可发送给系统管理员。`,
    diagnosticsFailed: '导出诊断信息失败',
    updateDownloading: (version) => `正在下载 协同办公 ${version}，下载完成后会提示您。`,
    updateCurrent: (version) => `当前版本 ${version} 已是最新版本。`,
    updateFailed: (message) => `检查更新失败：${message}`,
    updateTitle: '软件更新',
    updateReady: (version) => `协同办公 ${version} 已下载`,
    updateReadyDetail: '新版本将在退出应用后自动安装。也可以现在重新启动以完成更新（未保存的内容请先保存）。',
    later: '稍后',
    restartNow: '立即重启',
    aboutVersion: (app, electron, chrome, node) => `版本 ${app}（Electron ${electron}，Chromium ${chrome}，Node ${node}）`,
    aboutSystem: (platform, arch) => `系统 ${platform} ${arch}`,
    aboutUnit: (name) => `单位 ${name}`,
    aboutServer: (url) => `服务器 ${url}`,
    aboutDeployment: (file) => `部署配置 ${file ?? '未找到（使用默认设置）'}`,
    aboutUpdates: (active, reason) => `自动更新 ${active ? '已启用' : (reason ?? '未启用')}`,
    showInFolder: '在文件夹中显示',
    deploymentErrorTitle: '协同办公 — 部署配置有误',
    cannotStart: '协同办公无法启动',
  },
  deploymentError: {
    heading: '部署配置有误，协同办公无法启动',
    file: '配置文件：',
    problems: '发现以下问题：',
    whatToDo: '请联系本单位系统管理员修正该文件后重新启动。您的本地数据未受影响。',
  },
  message: { ...previewLabelsZh, newMessage: '新消息' },
  tray: {
    nothingToDo: '没有待办',
    todo: (count) => `待办 ${count} 件`,
    unread: (count) => `未读消息 ${count} 条`,
    open: '打开',
    quit: '退出',
    newTodo: (count) => `新的待办 ${count} 件`,
  },
  openFile: {
    checks: {
      byteRange: '签名范围',
      digest: '文档完整',
      signature: '签名值',
      pades: 'PAdES 格式',
      chain: '证书可信',
      validity: '证书有效期',
      revocation: '未被吊销',
      modifications: '签名后未被修改',
      timestamp: '时间戳',
    },
    title: (fileName) => `签名验证 — ${fileName}`,
    noSignatures: '此文件没有电子签名',
    noSignaturesDetail: (fileName) => `${fileName} 中未找到任何电子签名或电子印章。`,
    unknownSigner: '未知签名人',
    allValid: (count) => `全部 ${count} 个签名有效`,
    notValid: '签名验证未通过：文件可能被修改，或签名人不受信任',
    ofd: '协同办公不能直接显示 OFD 文件',
    ofdDetail: '请在本单位的 OFD 阅读器中打开此文件；系统内流转的公文请在 协同办公 中查看。',
    unsupported: '不支持的文件类型',
    unreadable: '无法读取文件',
    tooLarge: '文件过大，无法验证签名',
    tooLargeDetail: (path) => `${path}（超过 200 MB）`,
    noRoots: '未配置信任的根证书，无法验证签名',
    noRootsDetail: '请系统管理员在部署配置（deployment.json 的 trustedRoots）中加入本单位 CA 的根证书。',
    cannotVerify: '无法验证此文件',
    cannotVerifyDetail: (reason) => `文件不是有效的 PDF，或已损坏（${reason}）。`,
  },
};

const en: ShellTexts = {
  productName: 'XieTong Office',
  menu: {
    about: 'About XieTong Office',
    hide: 'Hide XieTong Office',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    quitApp: 'Quit XieTong Office',
    file: 'File',
    exportDiagnostics: 'Export Diagnostics…',
    closeWindow: 'Close Window',
    quit: 'Quit',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    pasteAndMatchStyle: 'Paste and Match Style',
    delete: 'Delete',
    selectAll: 'Select All',
    view: 'View',
    reload: 'Reload',
    devTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Full Screen',
    window: 'Window',
    minimize: 'Minimize',
    zoom: 'Zoom',
    front: 'Bring All to Front',
    close: 'Close',
    help: 'Help',
    checkForUpdates: 'Check for Updates',
  },
  dialogs: {
    ok: 'OK',
    diagnosticsExported: 'Diagnostics exported',
    diagnosticsExportedDetail: (path) => `File: ${path}\nIt holds no passwords, tokens or private keys and can be sent to the system administrator.`,
    diagnosticsFailed: 'Exporting the diagnostics failed',
    updateDownloading: (version) => `Downloading XieTong Office ${version}; you will be told when it is ready.`,
    updateCurrent: (version) => `Version ${version} is the latest.`,
    updateFailed: (message) => `Checking for updates failed: ${message}`,
    updateTitle: 'Software update',
    updateReady: (version) => `XieTong Office ${version} has been downloaded`,
    updateReadyDetail: 'The new version installs when you quit the app. You can also restart now to finish the update (save your work first).',
    later: 'Later',
    restartNow: 'Restart now',
    aboutVersion: (app, electron, chrome, node) => `Version ${app} (Electron ${electron}, Chromium ${chrome}, Node ${node})`,
    aboutSystem: (platform, arch) => `System ${platform} ${arch}`,
    aboutUnit: (name) => `Unit ${name}`,
    aboutServer: (url) => `Server ${url}`,
    aboutDeployment: (file) => `Deployment configuration ${file ?? 'not found (defaults)'}`,
    aboutUpdates: (active, reason) => `Automatic updates ${active ? 'on' : (reason ?? 'off')}`,
    showInFolder: 'Show in Folder',
    deploymentErrorTitle: 'XieTong Office — deployment configuration is wrong',
    cannotStart: 'XieTong Office cannot start',
  },
  deploymentError: {
    heading: 'The deployment configuration is wrong; XieTong Office cannot start',
    file: 'Configuration file: ',
    problems: 'Problems found:',
    whatToDo: 'Please ask your unit\'s system administrator to correct the file, then start again. Your local data is not affected.',
  },
  message: { file: 'File', image: 'Picture', document: 'Document', voice: 'Voice', newMessage: 'New message' },
  tray: {
    nothingToDo: 'nothing to do',
    todo: (count) => `${count} to do`,
    unread: (count) => `${count} unread ${count === 1 ? 'message' : 'messages'}`,
    open: 'Open',
    quit: 'Quit',
    newTodo: (count) => `${count} new to-do ${count === 1 ? 'item' : 'items'}`,
  },
  openFile: {
    checks: {
      byteRange: 'Signed range',
      digest: 'Document intact',
      signature: 'Signature value',
      pades: 'PAdES format',
      chain: 'Certificate trusted',
      validity: 'Certificate validity',
      revocation: 'Not revoked',
      modifications: 'Not modified after signing',
      timestamp: 'Timestamp',
    },
    title: (fileName) => `Signature check — ${fileName}`,
    noSignatures: 'This file has no electronic signature',
    noSignaturesDetail: (fileName) => `No electronic signature or seal was found in ${fileName}.`,
    unknownSigner: 'Unknown signer',
    allValid: (count) => `All ${count} signatures are valid`,
    notValid: 'The signatures did not verify: the file may have been changed, or a signer is not trusted',
    ofd: 'XieTong Office cannot show OFD files',
    ofdDetail: "Open this file in your unit's OFD reader; documents that flow through the system are viewed in XieTong Office.",
    unsupported: 'Unsupported file type',
    unreadable: 'The file cannot be read',
    tooLarge: 'The file is too large to verify its signatures',
    tooLargeDetail: (path) => `${path} (over 200 MB)`,
    noRoots: 'No trusted root certificate is configured, so signatures cannot be verified',
    noRootsDetail: "Ask the system administrator to add your unit's CA root certificate to the deployment configuration (trustedRoots in deployment.json).",
    cannotVerify: 'This file cannot be verified',
    cannotVerifyDetail: (reason) => `The file is not a valid PDF, or it is damaged (${reason}).`,
  },
};

export const shellTexts: Record<ShellLanguage, ShellTexts> = { 'zh-CN': zhCN, en };
