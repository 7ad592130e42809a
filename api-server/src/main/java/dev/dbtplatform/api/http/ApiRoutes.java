package dev.dbtplatform.api.http;

import io.javalin.config.RoutesConfig;

/** One group of endpoints, registering its routes on the server. */
interface ApiRoutes {
  void routes(RoutesConfig routes);
}
