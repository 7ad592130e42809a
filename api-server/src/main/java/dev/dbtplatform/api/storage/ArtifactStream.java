package dev.dbtplatform.api.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * An artifact being read from the object store. The caller streams {@link #content()} to the
 * client and must close it: until then it holds an HTTP connection to the store.
 *
 * @param contentLength in bytes, as stored (a response may go out compressed, so it is no Content-Length)
 * @param contentType guessed from the file extension, e.g. application/json
 */
public record ArtifactStream(InputStream content, long contentLength, String contentType) implements AutoCloseable {
  @Override
  public void close() throws IOException {
    content.close();
  }
}
