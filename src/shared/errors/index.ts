export * from './text';
export { errorCatalogue } from './catalogue';
