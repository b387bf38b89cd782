export * from './workingDays';
export * from './deadline';
export * from './verdict';
export * from './unitGroups';
export * from './status';
