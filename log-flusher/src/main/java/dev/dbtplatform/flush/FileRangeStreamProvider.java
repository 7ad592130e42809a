package dev.dbtplatform.flush;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A part of a file as a request body: every {@link #newStream()} reads the range again from disk,
 * so the SDK can sign and send it (and send it again) without holding it in memory.
 */
final class FileRangeStreamProvider implements ContentStreamProvider {
  private final Path file;
  private final long offset;
  private final long length;
  private InputStream current;

  FileRangeStreamProvider(Path file, long offset, long length) {
    this.file = file;
    this.offset = offset;
    this.length = length;
  }

  @Override
  public synchronized InputStream newStream() {
    closeCurrent();
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      current = new RangeInputStream(Channels.newInputStream(channel), length);
      return current;
    } catch (IOException e) {
      throw new FlushFailure("cannot read " + file + ": " + e, e);
    }
  }

  @Override
  public String name() {
    return "FileRange";
  }

  /** Closes the last stream handed out. */
  synchronized void close() {
    closeCurrent();
  }

  private void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException ignored) {
        // a read-only file: nothing was lost
      }
      current = null;
    }
  }

  /** At most {@code remaining} bytes of the underlying stream. */
  private static final class RangeInputStream extends FilterInputStream {
    private long remaining;

    RangeInputStream(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int read = super.read(buffer, off, (int) Math.min(len, remaining));
      if (read > 0) {
        remaining -= read;
      }
      return read;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
