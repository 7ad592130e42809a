package dev.dbtplatform.flush;

import java.nio.file.Path;

/**
 * One file of the run volume and the object key it goes to.
 *
 * @param file the file on the run volume
 * @param key the object key, from {@link dev.dbtplatform.contract.ObjectKeys}
 * @param size the file's size when the volume was scanned
 */
public record UploadItem(Path file, String key, long size) {}
