import type { Messages } from './zh-CN';

/** English interface text; the keys mirror zh-CN.ts (the type makes a missing key a compile error). */
export const en: Messages = {
  app: {
    name: 'XieTong Office',
    tagline: 'Documents · Approval · Electronic seals',
    loading: 'Loading…',
  },
  language: {
    label: 'Language',
    'zh-CN': '中文',
    en: 'English',
  },
  login: {
    title: 'Sign in',
    subtitle: 'Use the account your unit assigned to you',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    wrongCredentials: 'Wrong username or password',
    offline: 'Cannot reach the server. Check the network and try again.',
    unavailable: 'The service is unavailable. Please try again later.',
    required: 'Enter your username and password',
    signedOut: 'You have signed out',
    footer: 'For authorised personnel only · Keep your credentials safe',
  },
  connection: {
    label: 'Connection',
    online: 'Online',
    offline: 'Offline',
    connecting: 'Connecting',
    offlineHint: 'The server cannot be reached; changes will sync when it is back',
  },
  shell: {
    navigation: 'Main navigation',
    userLabel: 'Signed in as',
    signOut: 'Sign out',
    signingOut: 'Signing out…',
    mustChangePassword: 'You are using a one-time password. Please change it soon.',
  },
  sections: {
    todo: { label: 'To do', description: 'Documents waiting for you.', empty: 'Nothing to do. Documents sent to you will be listed here by urgency.' },
    done: { label: 'Done', description: 'Documents you have handled.', empty: 'You have not handled any documents yet. Finished ones are kept here for reference.' },
    outgoing: { label: 'Outgoing', description: 'Documents your unit drafts, reviews, signs off and dispatches.', empty: 'No outgoing documents. Drafts are dispatched from here once reviewed, signed off, numbered and sealed.' },
    incoming: { label: 'Incoming', description: 'Registering, proposing, instructing and circulating documents from other units.', empty: 'No incoming documents. Documents received under Exchange are registered here.' },
    exchange: { label: 'Exchange', description: 'Document exchange with other units.', empty: 'Nothing in exchange. Receive documents from other units here and follow the delivery of yours.' },
    messages: { label: 'Messages', description: 'Instant messages and notices.', empty: 'No messages. Conversations with colleagues and system notices appear here.' },
    seals: { label: 'Seals', description: 'Your unit’s electronic seals and your signing certificate.', empty: 'No seals available. They appear here once an administrator sets up your unit’s seal and issues your certificate.' },
  },
};
