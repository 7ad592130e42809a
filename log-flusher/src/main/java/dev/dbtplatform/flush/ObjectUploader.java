package dev.dbtplatform.flush;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads one file to one key, streaming it from disk: files up to the multipart threshold in one
 * PUT, larger ones in parts. Idempotent: a key that already holds an object of the same size and
 * SHA-256 (kept as the {@code x-amz-meta-sha256} user metadata) is left alone.
 */
public final class ObjectUploader {
  public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
  /** S3 takes at most this many parts per upload. */
  static final int MAX_PARTS = 10_000;
  /** User metadata key; S3 sends it as the x-amz-meta-sha256 header. */
  public static final String SHA256_METADATA = "sha256";

  /** What happened to a file. */
  public enum Outcome {
    UPLOADED,
    /** The store already had it, same size and SHA-256. */
    UNCHANGED
  }

  private final S3Client s3;
  private final String bucket;
  private final Retrier retrier;
  private final long multipartThreshold;
  private final long partSize;

  ObjectUploader(S3Client s3, String bucket, Retrier retrier, long multipartThreshold, long partSize) {
    if (partSize < 5L * 1024 * 1024 || multipartThreshold < partSize) {
      throw new IllegalArgumentException("parts must be at least 5 MiB (S3's minimum) and no larger than the threshold");
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.retrier = retrier;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
  }

  /**
   * Fails fast when the bucket is missing or the credentials are refused, before any upload: a
   * store may answer a PUT with its error and close the connection while the body is still on its
   * way, and the client then sees only a broken connection (which is retried). Reads at most one
   * byte of {@code probeKey}; a missing key, an empty object, or AccessDenied (the credentials may
   * be allowed to write but not to read) all pass.
   *
   * @throws FlushFailure when the store refuses or stays unreachable
   */
  public void checkAccess(String probeKey) {
    retrier.call("access check (GET " + probeKey + ")", () -> {
      try {
        s3.getObjectAsBytes(get -> get.bucket(bucket).key(probeKey).range("bytes=0-0"));
      } catch (S3Exception e) {
        String code = S3Errors.errorCode(e);
        boolean missingKey = e.statusCode() == 404 && !"NoSuchBucket".equals(code);
        boolean emptyObject = e.statusCode() == 416;
        if (!(missingKey || emptyObject || "AccessDenied".equals(code))) {
          throw e;
        }
      }
      return null;
    });
  }

  /** @throws FlushFailure when the file cannot be read or the store does not take it */
  public Outcome upload(UploadItem item) {
    String sha256 = digest(item);
    Optional<HeadObjectResponse> existing = retrier.call("HEAD " + item.key(), () -> head(item.key()));
    if (existing.isPresent() && sameContent(existing.get(), item.size(), sha256)) {
      return Outcome.UNCHANGED;
    }
    Map<String, String> metadata = Map.of(SHA256_METADATA, sha256);
    if (item.size() <= multipartThreshold) {
      retrier.call("upload of " + item.key(), () -> s3.putObject(
          put -> put.bucket(bucket).key(item.key()).contentLength(item.size())
              .contentType(contentType(item.key())).metadata(metadata),
          RequestBody.fromFile(item.file())));
    } else {
      uploadInParts(item, metadata, sha256);
    }
    return Outcome.UPLOADED;
  }

  private void uploadInParts(UploadItem item, Map<String, String> metadata, String sha256) {
    String key = item.key();
    String uploadId = retrier.call("start of the multipart upload of " + key, () -> s3.createMultipartUpload(
        create -> create.bucket(bucket).key(key).contentType(contentType(key)).metadata(metadata)).uploadId());
    try {
      long size = item.size();
      long partSize = partSizeFor(size);
      int partCount = (int) ((size + partSize - 1) / partSize);
      List<CompletedPart> parts = new ArrayList<>(partCount);
      for (int partNumber = 1; partNumber <= partCount; partNumber++) {
        long offset = (partNumber - 1) * partSize;
        long length = Math.min(partSize, size - offset);
        int number = partNumber;
        FileRangeStreamProvider body = new FileRangeStreamProvider(item.file(), offset, length);
        try {
          String eTag = retrier.call("upload of part " + number + "/" + partCount + " of " + key, () -> s3.uploadPart(
              part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength(length),
              RequestBody.fromContentProvider(body, length, "application/octet-stream")).eTag());
          parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        } finally {
          body.close();
        }
      }
      try {
        retrier.call("completion of the multipart upload of " + key, () -> s3.completeMultipartUpload(
            complete -> complete.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(upload -> upload.parts(parts))));
      } catch (FlushFailure e) {
        // A completion that went through but whose answer was lost is retried into NoSuchUpload.
        if (!"NoSuchUpload".equals(S3Errors.errorCode(e.getCause())) || !landed(item, sha256)) {
          throw e;
        }
      }
    } catch (RuntimeException e) {
      abortQuietly(key, uploadId, e);
      throw e;
    }
  }

  /** The configured part size, or more for files that would need more than S3's 10,000 parts. */
  long partSizeFor(long size) {
    long mib = 1024 * 1024;
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(partSize, (needed + mib - 1) / mib * mib);
  }

  private boolean landed(UploadItem item, String sha256) {
    Optional<HeadObjectResponse> head = retrier.call("HEAD " + item.key(), () -> head(item.key()));
    return head.isPresent() && sameContent(head.get(), item.size(), sha256);
  }

  private void abortQuietly(String key, String uploadId, RuntimeException failure) {
    try {
      s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The object's metadata, empty when there is none or when the credentials may not read it (a
   * HEAD answers 403 without a body for both a missing s3:GetObject permission and bad
   * credentials: the upload that follows tells which).
   */
  private Optional<HeadObjectResponse> head(String key) {
    try {
      return Optional.of(s3.headObject(head -> head.bucket(bucket).key(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || e.statusCode() == 403) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean sameContent(HeadObjectResponse head, long size, String sha256) {
    return head.contentLength() != null && head.contentLength() == size
        && sha256.equalsIgnoreCase(head.metadata().get(SHA256_METADATA));
  }

  private static String digest(UploadItem item) {
    try {
      return FileDigest.sha256(item.file());
    } catch (IOException e) {
      throw new FlushFailure("cannot read " + item.file() + ": " + e, e);
    }
  }

  static String contentType(String key) {
    if (key.endsWith(".json")) {
      return "application/json";
    }
    if (key.endsWith(".txt") || key.endsWith(".log")) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }
}
