package dev.dbtplatform.local.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the node's containers wrote, read back from their log files for {@code kubectl logs} (the
 * API stand-in serves pod logs from here). A file holds every run of a container under that pod
 * name, one after the other, as the node appends to it.
 */
public final class ContainerLogs {
  /** What one read holds at most, whatever the caller asks: a Java array's size. */
  private static final long MAX_READ = Integer.MAX_VALUE - 16;

  private final LocalNodeConfig config;

  public ContainerLogs(LocalNodeConfig config) {
    this.config = config;
  }

  /**
   * @param tailBytes the most to return: of a longer log, the end, starting after a line break
   * @return the output, or empty when the container never started (no log file)
   */
  public Optional<String> read(String namespace, String pod, String container, long tailBytes) {
    Path file;
    try {
      file = config.logFile(namespace, pod, container);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      long from = Math.max(0, size - Math.min(tailBytes, MAX_READ));
      // one byte more before a cut: it tells whether the tail already starts at a line start
      long readFrom = from > 0 ? from - 1 : 0;
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - readFrom));
      channel.position(readFrom);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // reads up to the size seen; output written meanwhile comes with the next request
      }
      return Optional.of(text(buffer.array(), buffer.position(), from > 0));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A cut log starts after the first line break of what was read, so that it never begins with half a line. */
  private static String text(byte[] bytes, int length, boolean cut) {
    int start = 0;
    if (cut) {
      while (start < length && bytes[start] != '\n') {
        start++;
      }
      start = Math.min(start + 1, length);
    }
    return new String(bytes, start, length - start, StandardCharsets.UTF_8);
  }
}
