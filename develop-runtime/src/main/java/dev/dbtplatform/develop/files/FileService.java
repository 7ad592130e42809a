package dev.dbtplatform.develop.files;

import dev.dbtplatform.develop.DevelopException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The editor's view of the checkout: a tree, and files to read, write, create, move and delete. */
public final class FileService {
  /** The largest file the API reads or writes; seeds bigger than this are not edited in a browser. */
  public static final int MAX_FILE_BYTES = 5 * 1024 * 1024;
  /** A tree larger than this is cut; a dbt project has a few thousand files at most. */
  static final int MAX_TREE_ENTRIES = 20_000;
  /** What dbt and git produce in the project folder: not the user's files, and often huge. */
  static final Set<String> GENERATED = Set.of("target", "dbt_packages", "logs");

  private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

  public record Entry(String path, String type, Long size) {}

  /**
   * @param projectDir where the dbt project is inside the checkout, "" for its root
   * @param truncated whether entries were left out because there are more than the API lists
   */
  public record Tree(String projectDir, List<Entry> entries, boolean truncated) {}

  /** @param encoding "utf-8" when the content is the text itself, "base64" for other bytes */
  public record Content(String path, long size, String encoding, String content, Instant modified) {}

  /** @param created whether the file is new */
  public record Written(String path, long size, boolean created) {}

  public record Moved(String from, String to) {}

  private final WorkspacePaths paths;
  private final String projectPath;

  /**
   * @param projectPath the dbt project's folder relative to the checkout ("" for its root), whose
   *     generated folders the tree leaves out
   */
  public FileService(WorkspacePaths paths, String projectPath) {
    this.paths = paths;
    this.projectPath = projectPath;
  }

  /** Files and folders under {@code under} (the whole checkout when blank), sorted by path. */
  public Tree tree(String under) {
    String start = paths.clean(under == null ? "" : under, true);
    Path dir = paths.resolve(start);
    if (!Files.isDirectory(dir)) {
      throw Files.exists(dir) ? DevelopException.invalid("not_a_folder", start + " is a file, not a folder.")
          : DevelopException.notFound("not_found", "There is no folder " + start + ".");
    }
    List<Entry> entries = new ArrayList<>();
    boolean[] truncated = {false};
    Path generatedParent = paths.resolve(projectPath);
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          if (d.equals(dir)) {
            return FileVisitResult.CONTINUE;
          }
          String name = d.getFileName().toString();
          if (name.equals(".git") || (GENERATED.contains(name) && d.getParent().equals(generatedParent))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          return add(new Entry(paths.relative(d), "dir", null));
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          if (attrs.isSymbolicLink()) {
            return add(new Entry(paths.relative(f), "symlink", null));
          }
          return add(new Entry(paths.relative(f), attrs.isDirectory() ? "dir" : "file", attrs.size()));
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          return FileVisitResult.CONTINUE; // deleted meanwhile, or unreadable: leave it out
        }

        private FileVisitResult add(Entry entry) {
          if (entries.size() >= MAX_TREE_ENTRIES) {
            truncated[0] = true;
            return FileVisitResult.TERMINATE;
          }
          entries.add(entry);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.sort(Comparator.comparing(Entry::path));
    return new Tree(projectPath, List.copyOf(entries), truncated[0]);
  }

  public Content read(String path) {
    Path file = existingFile(path);
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw DevelopException.tooLarge("file_too_large",
            path + " is " + size + " bytes; the API opens files of at most " + MAX_FILE_BYTES + " bytes.");
      }
      byte[] bytes = Files.readAllBytes(file);
      String text = utf8(bytes);
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      return text != null
          ? new Content(paths.clean(path, false), bytes.length, "utf-8", text, modified)
          : new Content(paths.clean(path, false), bytes.length, "base64", Base64.getEncoder().encodeToString(bytes), modified);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates or replaces a file, and the folders it is in. */
  public Written write(String path, byte[] content) {
    return write(path, content, false);
  }

  /** Creates a file that must not exist yet. */
  public Written create(String path, byte[] content) {
    return write(path, content, true);
  }

  public Entry createFolder(String path) {
    Path dir = paths.resolve(paths.clean(path, false));
    if (WorkspacePaths.existsNoFollow(dir)) {
      throw DevelopException.conflict("already_exists", paths.clean(path, false) + " already exists.");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Entry(paths.relative(dir), "dir", null);
  }

  /** Renames or moves a file or folder; the target must not exist. */
  public Moved move(String from, String to) {
    Path source = paths.resolveEntry(from);
    Path target = paths.resolveEntry(to);
    if (!WorkspacePaths.existsNoFollow(source)) {
      throw DevelopException.notFound("not_found", "There is no file or folder " + paths.clean(from, false) + ".");
    }
    if (WorkspacePaths.existsNoFollow(target)) {
      throw DevelopException.conflict("already_exists", paths.clean(to, false) + " already exists; delete it first or choose another name.");
    }
    if (target.startsWith(source)) {
      throw DevelopException.invalid("move_into_itself", "A folder cannot be moved into itself.");
    }
    try {
      Files.createDirectories(target.getParent());
      Files.move(source, target);
    } catch (FileAlreadyExistsException e) {
      throw DevelopException.conflict("already_exists", paths.clean(to, false) + " already exists.");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Moved(paths.clean(from, false), paths.clean(to, false));
  }

  /** Deletes a file, a symbolic link (not what it points at) or a folder with everything in it. */
  public String delete(String path) {
    Path entry = paths.resolveEntry(path);
    if (!WorkspacePaths.existsNoFollow(entry)) {
      throw DevelopException.notFound("not_found", "There is no file or folder " + paths.clean(path, false) + ".");
    }
    try {
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(entry);
      } else {
        Files.delete(entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths.clean(path, false);
  }

  private Written write(String path, byte[] content, boolean mustBeNew) {
    String clean = paths.clean(path, false);
    if (content.length > MAX_FILE_BYTES) {
      throw DevelopException.tooLarge("file_too_large",
          "The content is " + content.length + " bytes; files written through the API may be at most " + MAX_FILE_BYTES + " bytes.");
    }
    Path file = paths.resolve(clean);
    boolean exists = Files.exists(file);
    if (exists && mustBeNew) {
      throw DevelopException.conflict("already_exists", clean + " already exists.");
    }
    if (Files.isDirectory(file)) {
      throw DevelopException.conflict("is_a_folder", clean + " is a folder; a file cannot replace it.");
    }
    try {
      Files.createDirectories(file.getParent());
      // Written beside it and moved over it: an editor reading meanwhile sees the old or the new
      // content, never half of it.
      Path temp = Files.createTempFile(file.getParent(), ".saving-", ".tmp");
      try {
        Files.write(temp, content);
        // Keep the mode (an executable script stays one, and git sees no mode change).
        Files.setPosixFilePermissions(temp, exists ? Files.getPosixFilePermissions(file) : NEW_FILE_MODE);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (DirectoryNotEmptyException e) {
      throw DevelopException.conflict("is_a_folder", clean + " is a folder; a file cannot replace it.");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Written(clean, content.length, !exists);
  }

  private Path existingFile(String path) {
    String clean = paths.clean(path, false);
    Path file = paths.resolve(clean);
    if (!Files.exists(file)) {
      throw DevelopException.notFound("not_found", "There is no file " + clean + ".");
    }
    if (!Files.isRegularFile(file)) {
      throw DevelopException.invalid("not_a_file", clean + " is a folder; list it with GET /files/tree?path=" + clean + ".");
    }
    return file;
  }

  /** The bytes as text when they are valid UTF-8, else null. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Deletes a folder's contents without following links out of it. */
  static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
