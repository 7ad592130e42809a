package dev.dbtplatform.api.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read: the CA's key store and its password. Where the file system
 * has no POSIX permissions (Windows), the user's profile folder is what protects them.
 */
final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  /** The folder and any missing parents; the folder itself rwx------ so nothing in it is ever exposed, even while written. */
  static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      restrict(dir, "rwx------");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  static void restrictFile(Path file) {
    try {
      restrict(file, "rw-------");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions of " + file, e);
    }
  }

  /** Writes a secret to a new file that is rw------- from the start. */
  static void writeSecret(Path file, char[] secret) {
    try {
      Files.deleteIfExists(file);
      if (posix()) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(file, new String(secret).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static char[] readSecret(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip().toCharArray();
  }

  private static void restrict(Path path, String permissions) throws IOException {
    if (posix()) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
