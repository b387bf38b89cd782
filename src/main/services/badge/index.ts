export { countByPages, createBadgeService, type BadgeService, type BadgeSources } from './badgeService';
