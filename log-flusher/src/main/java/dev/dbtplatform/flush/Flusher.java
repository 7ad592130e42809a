package dev.dbtplatform.flush;

import dev.dbtplatform.contract.FlushReport;
import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.RunSummary;
import dev.dbtplatform.contract.RunVolumeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/** Uploads a run volume and says what it uploaded. */
public final class Flusher {
  /** A run summary is a few KiB; anything much larger is not parsed into memory. */
  static final long MAX_SUMMARY_BYTES = 1024 * 1024;

  private final FlushSettings settings;
  private final ObjectUploader uploader;
  private final FlushClock clock;
  private final PrintStream out;
  private final PrintStream err;

  public Flusher(FlushSettings settings, S3Client s3, FlushClock clock, Backoff backoff, PrintStream out, PrintStream err) {
    this.settings = settings;
    this.clock = clock;
    this.out = out;
    this.err = err;
    Retrier retrier = new Retrier(settings.endpointDescription(), settings.bucket(), settings.retryBudget(), backoff, clock, err);
    this.uploader = new ObjectUploader(s3, settings.bucket(), retrier,
        ObjectUploader.DEFAULT_MULTIPART_THRESHOLD, ObjectUploader.DEFAULT_PART_SIZE);
  }

  /** @throws FlushFailure when not everything could be uploaded */
  public FlushReport flush() {
    Path workspace = settings.workspace();
    if (!Files.isDirectory(workspace)) {
      err.println("run volume " + workspace + " does not exist or is not a folder: nothing to upload");
    }
    List<UploadItem> items = RunVolumeScanner.scan(workspace, settings.runPrefix());
    String target = "s3://" + settings.bucket() + "/" + settings.runPrefix();
    out.println("flushing " + items.size() + " files from " + workspace + " to " + target + " at " + settings.endpointDescription());
    if (!items.isEmpty()) {
      uploader.checkAccess(ObjectKeys.summary(settings.runPrefix()));
    }
    int uploaded = 0;
    long bytes = 0;
    for (UploadItem item : items) {
      ObjectUploader.Outcome outcome = uploader.upload(item);
      if (outcome == ObjectUploader.Outcome.UPLOADED) {
        uploaded++;
        out.println("uploaded  " + item.key() + " (" + item.size() + " bytes)");
      } else {
        out.println("unchanged " + item.key() + " (" + item.size() + " bytes, already in the store)");
      }
      bytes += item.size();
    }
    RunSummary summary = readSummary(workspace);
    FlushReport report = new FlushReport(settings.bucket(), settings.runPrefix(), items.size(), bytes, clock.now(), summary);
    out.println("flushed " + items.size() + " objects (" + bytes + " bytes) to " + target + ": "
        + uploaded + " uploaded, " + (items.size() - uploaded) + " already there");
    return report;
  }

  private RunSummary readSummary(Path workspace) {
    Path file = RunVolumeLayout.summary(workspace);
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      if (Files.size(file) > MAX_SUMMARY_BYTES) {
        err.println("run summary " + file + " is larger than " + MAX_SUMMARY_BYTES + " bytes, the report leaves it out");
        return null;
      }
      return RunSummary.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      err.println("run summary " + file + " is unreadable, the report leaves it out: " + e.getMessage());
      return null;
    }
  }
}
