package dev.dbtplatform.develop.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbtplatform.develop.DevelopException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspacePathsTest {
  @TempDir
  Path dir;

  @Test
  void pathsHaveOneSpelling() {
    WorkspacePaths paths = new WorkspacePaths(dir);
    assertThat(paths.clean("models/orders.sql", false)).isEqualTo("models/orders.sql");
    assertThat(paths.clean("./models//staging/./x.sql/", false)).isEqualTo("models/staging/x.sql");
    assertThat(paths.clean("", true)).isEmpty();
    assertThat(paths.gitPath(".")).isEqualTo(".");
    assertThat(paths.clean("models/..hidden..name.sql", false)).isEqualTo("models/..hidden..name.sql");
    assertThat(paths.clean("models/ünïcode näme.sql", false)).isEqualTo("models/ünïcode näme.sql");
  }

  @Test
  void pathsThatCouldLeaveAreRefused() {
    WorkspacePaths paths = new WorkspacePaths(dir);
    for (String path : new String[] {"..", "../x", "a/../../x", "a/..", "/etc/passwd", "~/x", "a\\b", "a\0b", "a\nb",
        ".git", ".git/config", "sub/.git/hooks/pre-commit", ".GIT/config"}) {
      assertThatThrownBy(() -> paths.clean(path, true)).as(path).isInstanceOf(DevelopException.class)
          .satisfies(e -> assertThat(((DevelopException) e).kind()).isEqualTo(DevelopException.Kind.INVALID));
    }
    assertThatThrownBy(() -> paths.clean("", false)).isInstanceOf(DevelopException.class);
    assertThatThrownBy(() -> paths.clean("./", false)).isInstanceOf(DevelopException.class);
    assertThatThrownBy(() -> paths.clean(null, true)).isInstanceOf(DevelopException.class);
  }

  @Test
  void linksAreFollowedOnlyWhileTheyStayInside() throws Exception {
    Path root = Files.createDirectories(dir.resolve("checkout"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createDirectories(root.resolve("models"));
    Files.createSymbolicLink(root.resolve("out"), outside);
    Files.createSymbolicLink(root.resolve("in"), root.resolve("models"));
    WorkspacePaths paths = new WorkspacePaths(root);

    assertThat(paths.resolve("in/new.sql")).isEqualTo(root.toRealPath().resolve("models/new.sql"));
    assertThat(paths.resolve("models/not/yet/there.sql")).isEqualTo(root.toRealPath().resolve("models/not/yet/there.sql"));
    assertThatThrownBy(() -> paths.resolve("out/x.sql")).isInstanceOf(DevelopException.class);
    assertThatThrownBy(() -> paths.resolve("out")).isInstanceOf(DevelopException.class);
    // The link itself may be deleted or moved: it is inside, wherever it points.
    assertThat(paths.resolveEntry("out")).isEqualTo(root.toRealPath().resolve("out"));
    assertThat(paths.relative(root.toRealPath().resolve("models/a.sql"))).isEqualTo("models/a.sql");
  }
}
