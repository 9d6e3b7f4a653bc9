export { registerAnalyticsRoutes, type AnalyticsDeps } from './analytics-routes';
