/** The login screen. */
export { LoginScreen } from './LoginScreen';
