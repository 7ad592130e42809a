package dev.dbtplatform.api.develop;

/**
 * Which requests to a develop runtime keep its session alive. As in dbt Cloud, dbt commands
 * ({@code /dbt/...}) and previews ({@code /preview...}) do; file reads and saves, git and health
 * checks do not, so that an editor left open and autosaving does not keep a pod (and the user's
 * warehouse credentials) up for ever.
 */
public final class RuntimePaths {
  private RuntimePaths() {}

  /** @param path the runtime's path, from its root ({@code /dbt/compile}) */
  public static boolean isActivity(String path) {
    return path.equals("/dbt") || path.startsWith("/dbt/") || path.startsWith("/preview");
  }
}
