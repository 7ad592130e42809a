package dev.dbtplatform.flush;

import dev.dbtplatform.contract.RunVolumeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Puts a deferred run's manifest.json on the run volume, where the runtime finds it and runs dbt
 * with {@code --defer --state}. A run's manifest is the one its last step that wrote one left:
 * every dbt command rewrites it, so the last one describes the run's final state.
 */
public final class StateFetcher {
  /** A step's manifest, relative to the run prefix (see ObjectKeys.stepArtifact). */
  private static final Pattern STEP_MANIFEST = Pattern.compile("steps/(\\d+)/artifacts/manifest\\.json");

  private final FlushSettings settings;
  private final S3Client s3;
  private final Retrier retrier;
  private final PrintStream out;

  public StateFetcher(FlushSettings settings, S3Client s3, FlushClock clock, Backoff backoff, PrintStream out, PrintStream err) {
    this.settings = settings;
    this.s3 = s3;
    this.out = out;
    this.retrier = new Retrier(settings.endpointDescription(), settings.bucket(), settings.retryBudget(), backoff, clock, err);
  }

  /**
   * @return what was fetched, for the run's log
   * @throws FlushFailure when the store fails for longer than the retry budget, or the volume does
   * @throws MissingStateException when the deferred run saved no manifest
   */
  public String fetch() {
    String key = newestManifest().orElseThrow(() -> new MissingStateException("no manifest.json under s3://"
        + settings.bucket() + "/" + settings.runPrefix() + " (the deferred run's artifacts were deleted or it wrote none)"));
    Path target = RunVolumeLayout.deferredManifest(settings.workspace());
    Path partial = target.resolveSibling("manifest.json.partial");
    try {
      Files.createDirectories(target.getParent());
      retrier.call("download of " + key, () -> {
        deleteIfExists(partial);
        return s3.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(key).build(),
            ResponseTransformer.toFile(partial));
      });
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      String fetched = "manifest.json of s3://" + settings.bucket() + "/" + key + " (" + Files.size(target) + " bytes)";
      out.println("fetched " + fetched);
      return fetched;
    } catch (IOException e) {
      throw new FlushFailure("cannot write the deferred manifest to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The key of the manifest of the run's last step that saved one. */
  private Optional<String> newestManifest() {
    String stepsPrefix = settings.runPrefix() + "steps/";
    String best = null;
    int bestStep = -1;
    String token = null;
    do {
      ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(stepsPrefix);
      if (token != null) {
        request.continuationToken(token);
      }
      ListObjectsV2Response page = retrier.call("listing of " + stepsPrefix, () -> s3.listObjectsV2(request.build()));
      for (S3Object object : page.contents()) {
        Matcher m = STEP_MANIFEST.matcher(object.key().substring(settings.runPrefix().length()));
        if (m.matches() && Integer.parseInt(m.group(1)) > bestStep) {
          bestStep = Integer.parseInt(m.group(1));
          best = object.key();
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return Optional.ofNullable(best);
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The deferred run has no manifest in the store. */
  public static final class MissingStateException extends RuntimeException {
    MissingStateException(String message) {
      super(message);
    }
  }
}
