import type { RouteGroup } from './route-group.ts';
import { openApiRoutes } from './routes/openapi-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { ticketsRoutes } from './routes/tickets-routes.ts';
import { commentsRoutes } from './routes/comments-routes.ts';
import { filesRoutes } from './routes/files-routes.ts';
import { objectsRoutes } from './routes/objects-routes.ts';
import { jobsRoutes } from './routes/jobs-routes.ts';
import { runsRoutes } from './routes/runs-routes.ts';
import { connectionsRoutes } from './routes/connections-routes.ts';
import { notificationsRoutes } from './routes/notifications-routes.ts';
import { consoleRoutes } from './console/console-routes.ts';
import { graphNotificationRoutes } from './routes/graph-notification-routes.ts';

/** The one list of route groups the server mounts (add yours here; see src/http/README.md). */
export const routeGroups: readonly RouteGroup[] = [
  sessionRoutes,
  openApiRoutes,
  ticketsRoutes,
  commentsRoutes,
  filesRoutes,
  objectsRoutes,
  jobsRoutes,
  runsRoutes,
  connectionsRoutes,
  notificationsRoutes,
  consoleRoutes,
  graphNotificationRoutes,
];
