/** Deployment configuration, personal settings and remembered window state: schemas and the policy rule. */
export * from './deploymentConfig';
export * from './windowState';
export * from './settings.contract';
