package dev.dbtplatform.local.node;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Deleting folder trees a pod wrote into, including read-only files and folders; links are not followed. */
public final class FileTrees {
  private FileTrees() {}

  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        makeWritable(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        if (exc instanceof AccessDeniedException) {
          makeWritable(file);
          delete(file);
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void delete(Path path) throws IOException {
    try {
      Files.deleteIfExists(path);
    } catch (AccessDeniedException e) {
      Path parent = path.getParent();
      if (parent != null) {
        makeWritable(parent);
      }
      Files.deleteIfExists(path);
    }
  }

  private static void makeWritable(Path dir) {
    try {
      if (Files.isSymbolicLink(dir)) {
        return;
      }
      Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
      if (perms.add(PosixFilePermission.OWNER_WRITE) | perms.add(PosixFilePermission.OWNER_EXECUTE)
          | perms.add(PosixFilePermission.OWNER_READ)) {
        Files.setPosixFilePermissions(dir, perms);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // best effort
    }
  }
}
