/** 委托办理: give, revoke and see delegations while a leader is away. */
export { DelegationPanel, type DelegationPanelProps } from './DelegationPanel';
