import { registerCalendarViewRoutes } from '../calendar/calendar-view.ts';
import { registerEventRoutes } from '../calendar/event-routes.ts';
import { registerPlacesRoutes } from '../calendar/places-routes.ts';
import { Router } from '../http/router.ts';
import { registerMailFolderRoutes } from './mail-folder-routes.ts';
import { registerMessageDeltaRoutes } from './message-delta.ts';
import { registerMessageRoutes } from './message-routes.ts';
import type { RouteMeta } from './operation-context.ts';
import { registerSendRoutes } from './send-routes.ts';
import { registerSubscriptionRoutes } from './subscription-routes.ts';
import { registerUserRoutes } from './user-routes.ts';

/** All Graph v1.0 routes; literal segments (`delta`, `sendMail`) are registered before `{id}` patterns. */
export function createGraphRouter(extra: ((router: Router<RouteMeta>) => void)[] = []): Router<RouteMeta> {
  const router = new Router<RouteMeta>();
  registerMessageDeltaRoutes(router);
  registerSendRoutes(router);
  registerMessageRoutes(router);
  registerMailFolderRoutes(router);
  registerUserRoutes(router);
  registerCalendarViewRoutes(router);
  registerEventRoutes(router);
  registerPlacesRoutes(router);
  registerSubscriptionRoutes(router);
  for (const register of extra) register(router);
  return router;
}
