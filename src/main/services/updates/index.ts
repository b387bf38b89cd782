export { browserUpdates, createUpdatesHandlers, type UpdatesService } from './updatesService';
