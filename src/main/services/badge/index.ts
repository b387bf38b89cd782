export { countByPages, createBadgeService, type BadgeService, type BadgeSources, type SourceFigure } from './badgeService';
