/** 界面文字（简体中文，默认）。键名按界面区域分组；英文版见 en.ts，两者的键必须一致。 */
export const zhCN = {
  app: {
    name: '协同办公',
    tagline: '公文流转 · 审批签发 · 电子印章',
    loading: '正在加载…',
  },
  language: {
    label: '界面语言',
    'zh-CN': '中文',
    en: 'English',
  },
  login: {
    title: '登录',
    subtitle: '请使用本单位分配的账号登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    wrongCredentials: '用户名或密码错误',
    offline: '无法连接服务器，请检查网络后重试',
    unavailable: '服务暂时不可用，请稍后重试',
    required: '请输入用户名和密码',
    signedOut: '您已退出登录',
    footer: '仅限授权人员使用 · 请妥善保管账号和密码',
  },
  connection: {
    label: '连接状态',
    online: '在线',
    offline: '离线',
    connecting: '连接中',
    offlineHint: '服务器暂时无法连接，恢复后将自动同步',
  },
  shell: {
    navigation: '主导航',
    userLabel: '当前用户',
    signOut: '退出登录',
    signingOut: '正在退出…',
    changePassword: '修改密码',
    passwordChanged: '密码已修改',
  },
  password: {
    title: '修改密码',
    forcedTitle: '请设置新密码',
    forcedIntro: '您正在使用管理员提供的一次性密码。为保护账号安全，请先设置您自己的密码。',
    current: '当前密码',
    next: '新密码',
    confirm: '确认新密码',
    rules: '至少 8 位，不能全是数字，不能与当前密码相同。',
    submit: '保存新密码',
    submitting: '正在保存…',
    cancel: '取消',
    required: '请填写全部字段',
    mismatch: '两次输入的新密码不一致',
    tooShort: '新密码至少 8 位',
    digitsOnly: '新密码不能全是数字',
    same: '新密码不能与当前密码相同',
  },
  sections: {
    todo: { label: '待办', description: '等待您办理的公文。', empty: '当前没有待办公文。有公文送达您时，会在这里按紧急程度列出。' },
    done: { label: '已办', description: '您经手办理过的公文。', empty: '您还没有办理过公文。办理完成的公文会保存在这里，便于查阅和追溯。' },
    outgoing: { label: '发文', description: '本单位起草、审核、签发和分发的公文。', empty: '暂无发文。起草的公文经审核、签发、编号和用印后，从这里分发给收文单位。' },
    incoming: { label: '收文', description: '外单位来文的登记、拟办、批示、分办与传阅。', empty: '暂无收文。在“交换”中签收的来文会在这里登记办理。' },
    exchange: { label: '交换', description: '与其他单位之间的公文交换。', empty: '暂无交换文件。其他单位发来的公文在这里签收，本单位发出的公文可在这里查看送达情况。' },
    messages: { label: '消息', description: '与同事之间的即时消息和通知。', empty: '暂无消息。与同事的会话和系统通知会显示在这里。' },
    seals: { label: '印章', description: '本单位的电子印章和您的签名证书。', empty: '暂无可用印章。管理员为本单位配置电子印章并为您签发证书后，会显示在这里。' },
  },
} as const;

/** The shape every catalogue must have. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof zhCN>;
