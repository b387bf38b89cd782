/** The person's own account: changing the password. */
export { ChangePasswordForm } from './ChangePasswordForm';
export { ForcedPasswordScreen } from './ForcedPasswordScreen';
