package dev.dbtplatform.local;

import java.nio.file.Path;

/**
 * Where one-machine mode keeps its state and finds what it needs.
 *
 * @param root state folder (databases, objects, volumes, pod logs), `.local` by default
 * @param projectRoot the repository root: samples/ and config/samples/ are read from there
 * @param dbtBin folder with the `dbt` executable (the project's Python virtual environment)
 * @param runtimeClasspath classpath of the run runtime and log flusher processes
 * @param namespace namespace of the sample resources, owned by the demo account
 * @param apiPort port of the dbt Cloud-compatible API on 127.0.0.1; 0 picks a free one
 * @param tlsDir the local certificate authority of the API's HTTPS, `.local-tls` by default: outside
 *     {@code root}, which each `make run` wipes, because whoever trusted its ca.crt once should not
 *     have to again; in the checkout (and ignored by git) so that nothing is written elsewhere
 */
public record LocalPlatformConfig(Path root, Path projectRoot, Path dbtBin, String runtimeClasspath, String namespace,
                                  int apiPort, Path tlsDir) {
  public static final int DEFAULT_API_PORT = 8580;


  public static LocalPlatformConfig defaults(Path projectRoot) {
    Path root = projectRoot.toAbsolutePath().normalize();
    return new LocalPlatformConfig(root.resolve(".local"), root, root.resolve(".venv/bin"),
        System.getProperty("java.class.path"), "default", DEFAULT_API_PORT, root.resolve(".local-tls"));
  }

  public LocalPlatformConfig withRoot(Path value) {
    return new LocalPlatformConfig(value, projectRoot, dbtBin, runtimeClasspath, namespace, apiPort, tlsDir);
  }

  public LocalPlatformConfig withApiPort(int value) {
    return new LocalPlatformConfig(root, projectRoot, dbtBin, runtimeClasspath, namespace, value, tlsDir);
  }

  public LocalPlatformConfig withTlsDir(Path value) {
    return new LocalPlatformConfig(root, projectRoot, dbtBin, runtimeClasspath, namespace, apiPort, value);
  }
}
