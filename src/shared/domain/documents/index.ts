/** Official documents: the model (GB/T 9704 elements), the workflow state machine, font roles. */
export * from './model';
export * from './workflow';
export * from './pendingDraft';
export * from './fontRoles';
export * from './opinion';
export * from './recipients';
export * from './bodyRights';
export * from './bodyStructure';
