package dev.dbtplatform.flush;

import dev.dbtplatform.contract.ObjectKeys;
import dev.dbtplatform.contract.RunVolumeLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what of a run volume is uploaded, and under which key (see {@link RunVolumeLayout} and
 * {@link ObjectKeys}):
 *
 * <ul>
 *   <li>{@code logs/step-N.log} to {@code steps/N/logs.txt}
 *   <li>{@code artifacts/step-N/FILE} (files directly in the folder) to {@code steps/N/artifacts/FILE}
 *   <li>{@code run-summary.json} to {@code run-summary.json}, last, so that its presence in the
 *       store means everything before it is there too
 * </ul>
 *
 * <p>Nothing else: not the git checkout in {@code project/}, not sub-folders of an artifacts folder,
 * and no symbolic link (the run's code wrote the volume; a link could point at anything).
 */
public final class RunVolumeScanner {
  private static final Pattern STEP_LOG = Pattern.compile("step-([1-9][0-9]{0,8})\\.log");
  private static final Pattern STEP_DIR = Pattern.compile("step-([1-9][0-9]{0,8})");

  private RunVolumeScanner() {}

  /**
   * @return the files to upload, in upload order; empty when the workspace does not exist
   * @throws FlushFailure when the volume cannot be read
   */
  public static List<UploadItem> scan(Path workspace, String runPrefix) {
    try {
      List<UploadItem> items = new ArrayList<>();
      for (var log : stepEntries(workspace.resolve(RunVolumeLayout.LOGS_DIR), STEP_LOG, false).entrySet()) {
        items.add(item(log.getValue(), ObjectKeys.stepLog(runPrefix, log.getKey())));
      }
      for (var dir : stepEntries(workspace.resolve(RunVolumeLayout.ARTIFACTS_DIR), STEP_DIR, true).entrySet()) {
        for (Path artifact : regularFiles(dir.getValue())) {
          items.add(item(artifact, ObjectKeys.stepArtifact(runPrefix, dir.getKey(), artifact.getFileName().toString())));
        }
      }
      Path summary = RunVolumeLayout.summary(workspace);
      if (Files.isRegularFile(summary, LinkOption.NOFOLLOW_LINKS)) {
        items.add(item(summary, ObjectKeys.summary(runPrefix)));
      }
      return items;
    } catch (IOException e) {
      throw new FlushFailure("cannot read the run volume at " + workspace + ": " + e, e);
    }
  }

  /** Step index to file or folder, ordered by index. */
  private static TreeMap<Integer, Path> stepEntries(Path dir, Pattern pattern, boolean directories) throws IOException {
    TreeMap<Integer, Path> entries = new TreeMap<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return entries;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        Matcher matcher = pattern.matcher(entry.getFileName().toString());
        boolean kindMatches = directories
            ? Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            : Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
        if (matcher.matches() && kindMatches) {
          entries.put(Integer.parseInt(matcher.group(1)), entry);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return entries;
    }
    return entries;
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          files.add(entry);
        }
      }
    }
    files.sort(Comparator.comparing(path -> path.getFileName().toString()));
    return files;
  }

  private static UploadItem item(Path file, String key) throws IOException {
    return new UploadItem(file, key, Files.size(file));
  }
}
