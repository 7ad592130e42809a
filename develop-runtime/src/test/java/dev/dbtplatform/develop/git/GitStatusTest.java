package dev.dbtplatform.develop.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitStatusTest {
  @Test
  void readsPorcelainVersion2() {
    String output = String.join("\0",
        "# branch.oid 1234567890abcdef1234567890abcdef12345678",
        "# branch.head feature/x",
        "# branch.upstream origin/feature/x",
        "# branch.ab +2 -1",
        "1 .M N... 100644 100644 100644 aaaa bbbb models/with space.sql",
        "1 A. N... 000000 100644 100644 0000 cccc models/new.sql",
        "1 .D N... 100644 100644 000000 dddd dddd models/gone.sql",
        "2 R. N... 100644 100644 100644 eeee eeee R100 models/renamed.sql",
        "models/original.sql",
        "u UU N... 100644 100644 100644 100644 ffff gggg hhhh models/conflict.sql",
        "? notes.txt",
        "");
    GitStatus status = GitStatus.parse(output, true);

    assertThat(status.branch()).isEqualTo("feature/x");
    assertThat(status.head()).isEqualTo("1234567890abcdef1234567890abcdef12345678");
    assertThat(status.upstream()).isEqualTo("origin/feature/x");
    assertThat(status.ahead()).isEqualTo(2);
    assertThat(status.behind()).isEqualTo(1);
    assertThat(status.mergeInProgress()).isTrue();
    assertThat(status.files()).containsExactly(
        new GitStatus.FileChange("models/with space.sql", null, null, "M", "modified"),
        new GitStatus.FileChange("models/new.sql", null, "A", null, "added"),
        new GitStatus.FileChange("models/gone.sql", null, null, "D", "deleted"),
        new GitStatus.FileChange("models/renamed.sql", "models/original.sql", "R", null, "renamed"),
        new GitStatus.FileChange("models/conflict.sql", null, "U", "U", "conflicted"),
        new GitStatus.FileChange("notes.txt", null, null, "?", "untracked"));
  }

  @Test
  void aDetachedHeadHasNoBranch() {
    GitStatus status = GitStatus.parse("# branch.oid abc\0# branch.head (detached)\0", false);
    assertThat(status.branch()).isNull();
    assertThat(status.upstream()).isNull();
    assertThat(status.clean()).isTrue();
  }
}
