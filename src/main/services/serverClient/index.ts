/** The sync server's HTTP client for main-process services. */
export * from './serverClient';
