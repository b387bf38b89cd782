/** Rotating log files in the user-data folder and the redaction every log line passes through. */
export { RotatingLog, silentLogger, logFileNames, type Logger, type LogLevel, type RotatingLogOptions } from './rotatingLog';
export { redactSecrets, redactValue, REDACTED } from './redact';
