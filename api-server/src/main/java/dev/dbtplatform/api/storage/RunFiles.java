package dev.dbtplatform.api.storage;

import dev.dbtplatform.contract.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads what the log flush of a finished run left in the object store (see {@link ObjectKeys}):
 * step logs and artifacts, given the run's bucket and run prefix as stored with the run.
 *
 * <p>Something missing is an empty answer, not an error: a run that never reached a step, or whose
 * logs are not flushed yet, simply has none. A store that cannot be reached throws
 * {@link ObjectStoreUnavailableException}; a store that refuses (credentials, missing bucket)
 * throws {@link ObjectStoreException}. Thread-safe; one instance serves the whole API server.
 */
public final class RunFiles implements AutoCloseable {
  /** The most ListObjectsV2 returns per page. */
  static final int MAX_LIST_PAGE_SIZE = 1000;
  /** The largest log tail that fits in one byte array, with the byte before it. */
  static final long MAX_LOG_BYTES = Integer.MAX_VALUE - 16;

  private final S3Client s3;
  private final String endpoint;
  private final int listPageSize;

  public RunFiles(ObjectStoreSettings settings) {
    this(settings, MAX_LIST_PAGE_SIZE);
  }

  /** @param listPageSize keys per ListObjectsV2 page; small in tests, to make pagination happen */
  RunFiles(ObjectStoreSettings settings, int listPageSize) {
    if (listPageSize < 1 || listPageSize > MAX_LIST_PAGE_SIZE) {
      throw new IllegalArgumentException("listPageSize must be 1 to " + MAX_LIST_PAGE_SIZE + ", got " + listPageSize);
    }
    this.s3 = InteractiveS3Client.build(settings);
    this.endpoint = settings.endpointDescription();
    this.listPageSize = listPageSize;
  }

  /**
   * The step's log as text, or its last {@code maxBytes} bytes when it is longer: then the text
   * starts at a line start (or at least a character start), after a line
   * {@code [... N earlier bytes not shown ...]}.
   *
   * @param step 1 for the first step
   * @return empty when the run has no log for this step
   */
  public Optional<String> stepLog(String bucket, String runPrefix, int step, long maxBytes) {
    requireRun(bucket, runPrefix);
    requireStep(step);
    if (maxBytes < 1 || maxBytes > MAX_LOG_BYTES) {
      throw new IllegalArgumentException("maxBytes must be 1 to " + MAX_LOG_BYTES + ", got " + maxBytes);
    }
    String key = ObjectKeys.stepLog(runPrefix, step);
    try {
      return readLog(bucket, key, maxBytes);
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException | IOException e) {
      throw StoreErrors.translate(endpoint, "read " + location(bucket, key), e);
    }
  }

  /**
   * The step's artifacts, as paths relative to its artifacts folder ("manifest.json",
   * "compiled/model.sql"), sorted; empty when it has none.
   */
  public List<String> artifactPaths(String bucket, String runPrefix, int step) {
    requireRun(bucket, runPrefix);
    requireStep(step);
    String artifactsPrefix = ObjectKeys.stepArtifactsPrefix(runPrefix, step);
    List<String> paths = new ArrayList<>();
    for (String key : keysUnder(bucket, artifactsPrefix)) {
      String path = key.substring(artifactsPrefix.length());
      // list only what artifact() serves, so that every listed path can be opened
      if (ArtifactPath.isSafe(path)) {
        paths.add(path);
      }
    }
    paths.sort(Comparator.naturalOrder());
    return paths;
  }

  /** The steps that have at least one artifact, in order; empty when none has. */
  public List<Integer> stepsWithArtifacts(String bucket, String runPrefix) {
    requireRun(bucket, runPrefix);
    // one listing of the whole run (a few objects per step) instead of one listing per step
    TreeSet<Integer> steps = new TreeSet<>();
    for (String key : keysUnder(bucket, runPrefix)) {
      artifactStep(runPrefix, key).ifPresent(steps::add);
    }
    return List.copyOf(steps);
  }

  /**
   * Opens one artifact for streaming; the caller must close it.
   *
   * @param path relative to the step's artifacts folder, as {@link #artifactPaths} lists it
   * @return empty when there is no such artifact
   * @throws IllegalArgumentException when the path is empty, absolute, or has a backslash or a
   *     "." or ".." segment
   */
  public Optional<ArtifactStream> artifact(String bucket, String runPrefix, int step, String path) {
    requireRun(bucket, runPrefix);
    requireStep(step);
    ArtifactPath.requireSafe(path);
    String key = ObjectKeys.stepArtifact(runPrefix, step, path);
    try {
      ResponseInputStream<GetObjectResponse> content = s3.getObject(get -> get.bucket(bucket).key(key));
      Long length = content.response().contentLength();
      return Optional.of(new ArtifactStream(content, length == null ? -1 : length, ArtifactContentType.guess(path)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw StoreErrors.translate(endpoint, "read " + location(bucket, key), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "RunFiles[" + endpoint + "]";
  }

  /**
   * Reads a short log whole. A long one is not downloaded: its first response is dropped once its
   * length is known, and only the tail is fetched with a Range request. Logs are written once by
   * the flush, so the length cannot change between the two requests.
   */
  private Optional<String> readLog(String bucket, String key, long maxBytes) throws IOException {
    ResponseInputStream<GetObjectResponse> whole = s3.getObject(get -> get.bucket(bucket).key(key));
    long size = knownLength(whole, key);
    if (size <= maxBytes) {
      try (whole) {
        return Optional.of(new String(readExactly(whole, (int) size, key), StandardCharsets.UTF_8));
      }
    }
    whole.abort();

    // one byte more than shown: it says whether the tail already starts at a line start
    long windowStart = size - maxBytes - 1;
    int windowLength = (int) maxBytes + 1;
    String range = "bytes=" + windowStart + "-" + (size - 1);
    try (ResponseInputStream<GetObjectResponse> tail = s3.getObject(get -> get.bucket(bucket).key(key).range(range))) {
      if (knownLength(tail, key) != windowLength) {
        throw new ObjectStoreException("object store at " + endpoint + " ignored the Range header reading "
            + key + ": expected " + windowLength + " bytes, got " + tail.response().contentLength(), null);
      }
      return Optional.of(LogTail.render(readExactly(tail, windowLength, key), windowStart));
    }
  }

  private long knownLength(ResponseInputStream<GetObjectResponse> object, String key) {
    Long length = object.response().contentLength();
    if (length == null) {
      object.abort();
      throw new ObjectStoreException("object store at " + endpoint + " sent " + key + " without a Content-Length", null);
    }
    return length;
  }

  /** A connection cut mid-body must not pass for a shorter log. */
  private static byte[] readExactly(InputStream in, int length, String key) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("the connection ended after " + bytes.length + " of " + length + " bytes of " + key);
    }
    return bytes;
  }

  /** Every key under the prefix, all pages. */
  private List<String> keysUnder(String bucket, String prefix) {
    try {
      List<String> keys = new ArrayList<>();
      // the paginator fetches the next page while the loop iterates, so errors surface here too
      for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix).maxKeys(listPageSize))
          .contents()) {
        keys.add(object.key());
      }
      return keys;
    } catch (SdkException e) {
      throw StoreErrors.translate(endpoint, "list " + location(bucket, prefix), e);
    }
  }

  /**
   * The step of an artifact key: "{runPrefix}steps/{n}/artifacts/{path}". The step number is the
   * second segment after the run prefix; checking the key against {@link ObjectKeys} itself keeps
   * logs, the summary and anything else out.
   */
  private static Optional<Integer> artifactStep(String runPrefix, String key) {
    String[] segments = key.substring(runPrefix.length()).split("/", 3);
    if (segments.length < 3 || !segments[1].matches("[1-9][0-9]{0,8}")) {
      return Optional.empty();
    }
    int step = Integer.parseInt(segments[1]);
    String artifactsPrefix = ObjectKeys.stepArtifactsPrefix(runPrefix, step);
    boolean isArtifact = key.startsWith(artifactsPrefix) && ArtifactPath.isSafe(key.substring(artifactsPrefix.length()));
    return isArtifact ? Optional.of(step) : Optional.empty();
  }

  private static String location(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The bucket and run prefix come from the run's record; a malformed one is a bug, not a missing file. */
  private static void requireRun(String bucket, String runPrefix) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("the bucket is empty");
    }
    if (runPrefix == null || runPrefix.isBlank() || !runPrefix.endsWith("/") || runPrefix.startsWith("/")) {
      throw new IllegalArgumentException("the run prefix must end with \"/\" and not start with one"
          + " (as ObjectKeys.runPrefix makes it), got \"" + runPrefix + "\"");
    }
  }

  private static void requireStep(int step) {
    if (step < 1) {
      throw new IllegalArgumentException("steps are numbered from 1, got " + step);
    }
  }
}
