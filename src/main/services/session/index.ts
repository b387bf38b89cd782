/** The session service: login, token, sign-out and the connection state. */
export * from './connectionMonitor';
export * from './sessionService';
export * from './sessionStore';
