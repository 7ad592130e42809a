package dev.dbtplatform.api.storage;

import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes what the log flush of a run left in the object store: every object under the run's
 * prefix, one ListObjectsV2 page at a time, each page removed with one DeleteObjects request (at
 * most 1,000 keys, S3's limit for both). Kept apart from {@link RunFiles}, which only ever reads.
 *
 * <p>Errors are those of {@link RunFiles}: {@link ObjectStoreUnavailableException} when trying again
 * later may help, {@link ObjectStoreException} otherwise; a key the store refused to delete is an
 * {@link ObjectStoreException} too, after the rest of its page is gone.
 */
public final class RunObjectsRemover implements AutoCloseable {
  private final S3Client s3;
  private final String endpoint;
  private final int pageSize;

  public RunObjectsRemover(ObjectStoreSettings settings) {
    this(settings, RunFiles.MAX_LIST_PAGE_SIZE);
  }

  /** @param pageSize keys per page; small in tests, to make pagination happen */
  RunObjectsRemover(ObjectStoreSettings settings, int pageSize) {
    if (pageSize < 1 || pageSize > RunFiles.MAX_LIST_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be 1 to " + RunFiles.MAX_LIST_PAGE_SIZE + ", got " + pageSize);
    }
    this.s3 = InteractiveS3Client.build(settings);
    this.endpoint = settings.endpointDescription();
    this.pageSize = pageSize;
  }

  /**
   * Deletes every object under the run prefix; nothing under it is no error.
   *
   * @param runPrefix as stored with the run: "{base}accounts/…/runs/{run}/{uid}/"
   * @return how many objects were deleted
   */
  public long deleteRun(String bucket, String runPrefix) {
    requireRunPrefix(bucket, runPrefix);
    long deleted = 0;
    try {
      // Deleting a page does not disturb the listing: the next page starts after the last key listed.
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(runPrefix).maxKeys(pageSize))) {
        List<ObjectIdentifier> keys = page.contents().stream()
            .map(object -> ObjectIdentifier.builder().key(object.key()).build())
            .toList();
        if (!keys.isEmpty()) {
          deleted += deletePage(bucket, keys);
        }
      }
    } catch (SdkException e) {
      throw StoreErrors.translate(endpoint, "delete the objects under s3://" + bucket + "/" + runPrefix, e);
    }
    return deleted;
  }

  private int deletePage(String bucket, List<ObjectIdentifier> keys) {
    // quiet: the answer lists only the keys that could not be deleted
    DeleteObjectsResponse response = s3.deleteObjects(delete -> delete.bucket(bucket)
        .delete(d -> d.objects(keys).quiet(true)));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      S3Error first = response.errors().get(0);
      throw new ObjectStoreException("object store at " + endpoint + " refused to delete " + response.errors().size()
          + " of " + keys.size() + " objects, first s3://" + bucket + "/" + first.key() + ": " + first.code()
          + (first.message() == null ? "" : " " + first.message()), null);
    }
    return keys.size();
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * A blank or rootless prefix would name far more than one run (a whole bucket): refused outright.
   */
  private static void requireRunPrefix(String bucket, String runPrefix) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("the bucket is empty");
    }
    if (runPrefix == null || runPrefix.isBlank() || !runPrefix.endsWith("/") || runPrefix.startsWith("/")
        || !runPrefix.contains("/runs/")) {
      throw new IllegalArgumentException("not a run prefix (\"…/runs/{run}/{uid}/\"): \"" + runPrefix + "\"");
    }
  }
}
