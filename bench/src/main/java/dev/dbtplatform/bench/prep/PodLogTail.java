package dev.dbtplatform.bench.prep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a container's log file as the local node writes it, and stamps each complete line with
 * the moment this reader first saw it. Polled rather than watched: inotify would add its own delay
 * and the file is small, so a short poll is both cheaper and more exact.
 */
final class PodLogTail {
  /** A line of the log and when it was first read. */
  record Line(String text, Instant seenAt) {}

  private final Path file;
  private long position;
  /** Bytes after the last newline: a line, or a UTF-8 character, may arrive in two writes. */
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  PodLogTail(Path file) {
    this.file = file;
  }

  /** The lines completed since the last call; none while the file does not exist yet. */
  List<Line> poll() throws IOException {
    List<Line> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      return lines;
    }
    byte[] fresh;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length <= position) {
        return lines;
      }
      fresh = new byte[(int) (length - position)];
      in.seek(position);
      in.readFully(fresh);
      position = length;
    }
    Instant now = Instant.now();
    for (byte b : fresh) {
      if (b == '\n') {
        lines.add(new Line(partial.toString(StandardCharsets.UTF_8), now));
        partial.reset();
      } else {
        partial.write(b);
      }
    }
    return lines;
  }
}
