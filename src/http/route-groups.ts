import type { RouteGroup } from './route-group.ts';
import { openApiRoutes } from './routes/openapi-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { consoleRoutes } from './console/console-routes.ts';

/** The one list of route groups the server mounts (add yours here; see src/http/README.md). */
export const routeGroups: readonly RouteGroup[] = [
  sessionRoutes,
  openApiRoutes,
  consoleRoutes,
];
