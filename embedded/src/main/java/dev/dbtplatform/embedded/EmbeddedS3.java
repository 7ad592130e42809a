package dev.dbtplatform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An in-process S3 server (s3proxy) listening on 127.0.0.1, with AWS signature v4 authentication.
 *
 * <p>With a data directory, objects are kept as plain files under it (s3proxy's {@code filesystem}
 * provider, user metadata in extended attributes), so a one-machine node keeps its logs across
 * restarts; without one, they live in memory ({@code transient}) and vanish with the instance.
 *
 * <p>{@link #stop()} closes the port (the object store is "down") and {@link #restart()} opens it
 * again on the same port with the same data. Note: s3proxy 4.x no longer uses jclouds; its own
 * {@link BlobStore} stands in for jclouds' (the {@code jclouds.filesystem.basedir} property kept
 * its name).
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "access", "secret")) {
 *   s3.createBucket("logs");
 *   // point an S3 client at s3.endpoint(), path-style, region s3.region()
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {
  public static final String REGION = "us-east-1";

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** A stop cuts requests in flight off at once, as a crashed store would. */
  private static final long STOP_TIMEOUT_MILLIS = 0;

  private final Path dataDir;
  private final String accessKey;
  private final String secretKey;
  private final BlobStore blobStore;
  private final int port;
  private S3Proxy proxy;
  private boolean closed;

  private EmbeddedS3(Path dataDir, int requestedPort, String accessKey, String secretKey) {
    this.dataDir = dataDir;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.blobStore = openBlobStore(dataDir);
    try {
      this.proxy = startProxy(requestedPort);
    } catch (RuntimeException e) {
      blobStore.close();
      throw e;
    }
    this.port = proxy.getPort();
  }

  /**
   * Starts a server keeping its objects under {@code dataDir}.
   *
   * @param dataDir created when missing; null keeps the objects in memory
   * @param port 0 to pick a free port
   */
  public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey) {
    return builder().dataDir(dataDir).port(port).credentials(accessKey, secretKey).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** http://127.0.0.1:PORT, without a trailing slash. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public URI endpointUri() {
    return URI.create(endpoint());
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public String region() {
    return REGION;
  }

  /** Where the objects live, null when they live in memory. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Creates the bucket unless it exists. Works while the server is stopped too.
   *
   * @throws IllegalArgumentException when the name is not a valid S3 bucket name (3 to 63 lower-case
   *     letters, digits, dots and hyphens): s3proxy would create it but then answer NoSuchBucket
   */
  public synchronized void createBucket(String name) {
    if (name == null || !BUCKET_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid S3 bucket name: \"" + name + "\"");
    }
    ensureOpen();
    if (!blobStore.containerExists(name)) {
      blobStore.createContainer(name);
    }
  }

  public synchronized boolean bucketExists(String name) {
    ensureOpen();
    return blobStore.containerExists(name);
  }

  /** Whether the port answers. */
  public synchronized boolean isRunning() {
    return proxy != null;
  }

  /** Closes the port: clients get "connection refused" until {@link #restart()}. Idempotent. */
  public synchronized void stop() {
    if (proxy == null) {
      return;
    }
    S3Proxy stopping = proxy;
    proxy = null;
    try {
      stopping.stop();
    } catch (TimeoutException e) {
      // the graceful phase timed out; Jetty stopped the connector and the handlers all the same
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded S3 server on port " + port, e);
    }
  }

  /**
   * Opens the port again, the same one, with the same data. Idempotent.
   *
   * @throws IllegalStateException when another process took the port meanwhile
   */
  public synchronized void restart() {
    ensureOpen();
    if (proxy == null) {
      proxy = startProxy(port);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      blobStore.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedS3[" + endpoint() + (dataDir == null ? ", in memory" : ", " + dataDir) + "]";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the embedded S3 server is closed");
    }
  }

  private static BlobStore openBlobStore(Path dataDir) {
    Properties properties = new Properties();
    if (dataDir == null) {
      return BlobStores.create("transient", properties);
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the S3 data directory " + dataDir, e);
    }
    properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    return BlobStores.create("filesystem", properties);
  }

  private S3Proxy startProxy(int listenPort) {
    try {
      Class.forName("jakarta.servlet.Servlet", false, EmbeddedS3.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("s3proxy needs jakarta.servlet:jakarta.servlet-api (6.0) on the classpath: "
          + "it shades Jetty but not the servlet API", e);
    }
    S3Proxy started = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:" + listenPort))
        .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
        .stopTimeout(STOP_TIMEOUT_MILLIS)
        .jettyMaxThreads(32)
        .build();
    try {
      started.start();
    } catch (Exception e) {
      try {
        started.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("cannot start the embedded S3 server on 127.0.0.1:" + listenPort + ": " + e.getMessage(), e);
    }
    return started;
  }

  /** Options of an {@link EmbeddedS3}; by default in memory, on a free port, with random keys. */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private String accessKey;
    private String secretKey;

    private Builder() {}

    /** Keep objects as files under this directory (created when missing); null for memory. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Keep objects in memory: they vanish with the instance. */
    public Builder inMemory() {
      this.dataDir = null;
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
      this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
      if (accessKey.isEmpty() || secretKey.isEmpty()) {
        throw new IllegalArgumentException("access key and secret key must not be empty");
      }
      return this;
    }

    public EmbeddedS3 start() {
      String access = accessKey != null ? accessKey : "dbt-platform-" + randomHex(8);
      String secret = secretKey != null ? secretKey : randomHex(20);
      return new EmbeddedS3(dataDir, port, access, secret);
    }

    private static String randomHex(int bytes) {
      byte[] random = new byte[bytes];
      new SecureRandom().nextBytes(random);
      return HexFormat.of().formatHex(random);
    }
  }
}
