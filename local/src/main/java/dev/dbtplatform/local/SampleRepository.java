package dev.dbtplatform.local;

import dev.dbtplatform.local.node.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git remote for the sample project: a bare repository made from samples/dbt-project with
 * one commit on {@code main}, which run pods clone exactly as they would clone a hosted repository.
 */
public final class SampleRepository {
  private SampleRepository() {}

  /** (Re)creates {@code <gitRoot>/<name>.git} from the sample folder and returns its file:// URL. */
  public static String create(Path sampleProject, Path gitRoot, String name) {
    Path work = gitRoot.resolve(name + "-work");
    Path bare = gitRoot.resolve(name + ".git");
    deleteTree(work);
    deleteTree(bare);
    copyTree(sampleProject, work);
    git(work, "init", "-q", "-b", "main");
    git(work, "add", "-A");
    git(work, "-c", "user.name=dbt-platform", "-c", "user.email=dbt-platform@localhost",
        "commit", "-q", "-m", "Sample dbt project");
    git(gitRoot, "clone", "-q", "--bare", work.toString(), bare.toString());
    deleteTree(work);
    return bare.toUri().toString();
  }

  private static void git(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir);
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run git (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(from, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          String name = dir.getFileName().toString();
          // What dbt leaves behind when someone ran it in the sample folder is not project code.
          if (!dir.equals(from) && (name.equals("target") || name.equals("logs") || name.equals("dbt_packages"))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          Files.createDirectories(to.resolve(from.relativize(dir).toString()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from, e);
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
