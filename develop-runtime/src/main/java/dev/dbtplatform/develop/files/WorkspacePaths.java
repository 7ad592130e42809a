package dev.dbtplatform.develop.files;

import dev.dbtplatform.develop.DevelopException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a path from a request into a place inside the checkout, or refuses it. A path is always
 * relative to the checkout, written with forward slashes; it may not be absolute, contain "..",
 * NUL or other control characters, or reach into .git (git is changed through the git endpoints,
 * and a hook or config written there would run code). Symbolic links are followed only as far as
 * they stay inside the checkout.
 */
public final class WorkspacePaths {
  private final Path root;

  /** @param root the checkout; it may not exist yet (it is cloned after the server starts) */
  public WorkspacePaths(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The path in its one accepted spelling ("models/a.sql": no "./", no doubled or trailing
   * slashes), "" for the checkout itself when {@code allowRoot}.
   */
  public String clean(String path, boolean allowRoot) {
    if (path == null) {
      throw DevelopException.invalid("path_required", "Give a path relative to the project's repository, such as models/orders.sql.");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw invalid(path, "it contains a control character (NUL, newline, ...)");
      }
      if (c == '\\') {
        throw invalid(path, "it contains a backslash; separate folders with '/'");
      }
    }
    if (path.startsWith("/") || path.startsWith("~")) {
      throw invalid(path, "it is absolute; paths are relative to the repository's root");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw invalid(path, "it contains '..'; paths cannot leave the repository");
      }
      if (segment.toLowerCase(Locale.ROOT).equals(".git")) {
        throw invalid(path, "it is inside .git; use the git endpoints to change the repository");
      }
      segments.add(segment);
    }
    if (segments.isEmpty() && !allowRoot) {
      throw DevelopException.invalid("path_required", "The path \"" + path + "\" names the repository itself; name a file or folder in it.");
    }
    return String.join("/", segments);
  }

  /** The path for a git command: as {@link #clean}, "." for the whole checkout. */
  public String gitPath(String path) {
    String clean = clean(path, true);
    return clean.isEmpty() ? "." : clean;
  }

  /**
   * Where the path is, following symbolic links (to read or write a file through a link that
   * stays inside). The path itself need not exist.
   */
  public Path resolve(String path) {
    String clean = clean(path, true);
    return confined(root.resolve(clean), path);
  }

  /**
   * Where the entry itself is, without following it when it is a symbolic link: to delete or move
   * the link rather than what it points at.
   */
  public Path resolveEntry(String path) {
    String clean = clean(path, false);
    Path entry = root.resolve(clean);
    return confined(entry.getParent(), path).resolve(entry.getFileName().toString());
  }

  /** The path of a place inside the checkout as the API spells it. */
  public String relative(Path place) {
    return realRoot().relativize(place).toString();
  }

  public Path root() {
    return root;
  }

  /**
   * The real location of {@code place}: the deepest part of it that exists is resolved (links
   * followed) and must be inside the real checkout; the rest does not exist yet, so no link can
   * hide in it.
   */
  private Path confined(Path place, String asGiven) {
    Path realRoot = realRoot();
    Path existing = place;
    while (existing != null && !Files.exists(existing)) {
      if (Files.isSymbolicLink(existing)) {
        // A link to nowhere: writing through it would create its target, wherever that is.
        throw invalid(asGiven, "it is a symbolic link whose target does not exist");
      }
      existing = existing.getParent();
    }
    if (existing == null) {
      throw invalid(asGiven, "the repository does not exist");
    }
    try {
      Path real = existing.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw invalid(asGiven, "a symbolic link in it points outside the repository");
      }
      return real.resolve(existing.relativize(place).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + asGiven, e);
    }
  }

  private Path realRoot() {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      throw new DevelopException(DevelopException.Kind.NOT_READY, "workspace_not_ready",
          "The repository is not checked out yet.", null);
    }
  }

  public static boolean existsNoFollow(Path place) {
    return Files.exists(place, LinkOption.NOFOLLOW_LINKS);
  }

  private static DevelopException invalid(String path, String why) {
    return DevelopException.invalid("invalid_path", "The path \"" + printable(path) + "\" is not allowed: " + why + ".");
  }

  /** The path as it may be quoted in a message: control characters shown, not sent. */
  private static String printable(String path) {
    StringBuilder out = new StringBuilder();
    path.codePoints().limit(300).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
