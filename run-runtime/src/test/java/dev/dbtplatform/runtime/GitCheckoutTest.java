package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clones from real repositories: a local bare one (file://) and one served over HTTP with basic auth. */
class GitCheckoutTest {
  @TempDir
  static Path shared;
  static TestSupport.GitRepo repo;

  @TempDir
  Path dir;
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final SecretMasker masker = new SecretMasker();

  @BeforeAll
  static void createRepository() throws Exception {
    repo = TestSupport.GitRepo.create(shared.resolve("repo"));
    TestSupport.git(repo.bare(), "update-server-info");
  }

  @Test
  void defaultBranch() throws Exception {
    GitCheckout.Result result = checkout(repo.url(), null, null);
    assertThat(result).isEqualTo(new GitCheckout.Result(repo.secondSha(), "main"));
    assertThat(TestSupport.git(dir.resolve("project"), "rev-parse", "--is-shallow-repository")).isEqualTo("true");
    assertThat(stdout()).contains("Cloning " + repo.url() + " at the default branch");
  }

  @Test
  void branch() throws Exception {
    assertThat(checkout(repo.url(), "main", null)).isEqualTo(new GitCheckout.Result(repo.secondSha(), "main"));
  }

  @Test
  void tagHasNoBranch() throws Exception {
    assertThat(checkout(repo.url(), "v1", null)).isEqualTo(new GitCheckout.Result(repo.firstSha(), null));
  }

  @Test
  void fullCommitSha() throws Exception {
    assertThat(checkout(repo.url(), repo.firstSha(), null)).isEqualTo(new GitCheckout.Result(repo.firstSha(), null));
    assertThat(Files.readString(dir.resolve("project/README.md"))).doesNotContain(TestSupport.GitRepo.SECOND_COMMIT_LINE);
  }

  @Test
  void abbreviatedCommitSha() throws Exception {
    assertThat(checkout(repo.url(), repo.firstSha().substring(0, 10), null))
        .isEqualTo(new GitCheckout.Result(repo.firstSha(), null));
  }

  @Test
  void missingRefOrCommit() {
    assertThatThrownBy(() -> checkout(repo.url(), "no-such-branch", null))
        .isInstanceOf(GitCheckout.GitException.class).hasMessageContaining("no branch or tag no-such-branch");
    assertThatThrownBy(() -> checkout(repo.url(), "0123456789abcdef0123456789abcdef01234567", null))
        .isInstanceOf(GitCheckout.GitException.class).hasMessageContaining("no commit");
  }

  @Test
  void credentialsGoThroughAskPassAndAreNeverShown() throws Exception {
    String password = "tok-" + System.nanoTime();
    Path credentials = Files.createDirectories(dir.resolve("git-credentials"));
    Files.writeString(credentials.resolve("username"), "alice\n");
    Files.writeString(credentials.resolve("password"), password + "\n");
    try (GitHttpServer server = new GitHttpServer(repo.bare().getParent(), "alice", password)) {
      String url = server.url(repo.bare().getFileName().toString());

      GitCheckout.Result result = checkout(url, "main", credentials);

      assertThat(result).isEqualTo(new GitCheckout.Result(repo.secondSha(), "main"));
      assertThat(server.unauthorized.get()).as("git asked for credentials").isPositive();
      assertThat(server.authorized.get()).isPositive();
      assertThat(stdout()).contains("Using git credentials of user alice").doesNotContain(password);
      assertThat(TestSupport.filesContaining(dir.resolve("project"), password)).isEmpty();
      assertThat(TestSupport.filesContaining(dir.resolve("logs"), password)).isEmpty();
      assertThat(TestSupport.filesContaining(dir.resolve("scratch"), password)).as("askpass script").isEmpty();
    }
  }

  @Test
  void tokenWithoutUsername() throws Exception {
    String token = "ghp_" + System.nanoTime();
    Path credentials = Files.createDirectories(dir.resolve("git-credentials"));
    Files.writeString(credentials.resolve("token"), token);
    try (GitHttpServer server = new GitHttpServer(repo.bare().getParent(), GitCheckout.TOKEN_USERNAME, token)) {
      GitCheckout.Result result = checkout(server.url(repo.bare().getFileName().toString()), repo.firstSha(), credentials);
      assertThat(result.sha()).isEqualTo(repo.firstSha());
      assertThat(stdout()).doesNotContain(token);
    }
  }

  @Test
  void credentialsInTheUrlAreNotKept() throws Exception {
    String password = "pw" + System.nanoTime();
    try (GitHttpServer server = new GitHttpServer(repo.bare().getParent(), "bob", password)) {
      String url = server.url(repo.bare().getFileName().toString()).replace("http://", "http://bob:" + password + "@");
      assertThat(checkout(url, null, null).branch()).isEqualTo("main");
      assertThat(stdout()).doesNotContain(password).contains("Cloning " + GitCheckout.withoutUserInfo(url));
      assertThat(TestSupport.filesContaining(dir.resolve("project"), password)).as(".git/config").isEmpty();
    }
  }

  @Test
  void withoutCredentialsAPrivateRepositoryFailsInsteadOfPrompting() throws Exception {
    try (GitHttpServer server = new GitHttpServer(repo.bare().getParent(), "alice", "secret")) {
      assertThatThrownBy(() -> checkout(server.url(repo.bare().getFileName().toString()), null, dir.resolve("none")))
          .isInstanceOf(GitCheckout.GitException.class);
    }
  }

  @Test
  void urlsAreShownWithoutUserInfo() {
    assertThat(GitCheckout.withoutUserInfo("https://bob:s3cret@github.com/acme/shop.git"))
        .isEqualTo("https://github.com/acme/shop.git");
    assertThat(GitCheckout.userInfoSecret("https://bob:s3cret@github.com/acme/shop.git")).isEqualTo("s3cret");
    assertThat(GitCheckout.userInfoSecret("https://github.com/acme/shop.git")).isNull();
    assertThat(GitCheckout.withoutUserInfo("git@github.com:acme/shop.git")).isEqualTo("git@github.com:acme/shop.git");
  }

  private GitCheckout.Result checkout(String url, String ref, Path credentials) throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    try (LogSink log = LogSink.toFile(dir.resolve("logs/step-1.log"), new PrintStream(stdout, true, StandardCharsets.UTF_8), masker)) {
      GitCheckout git = new GitCheckout(Map.copyOf(System.getenv()), credentials, scratch, masker, log, new RunControl());
      return git.checkout(url, ref, dir.resolve("project"));
    } finally {
      System.out.print(stdout()); // into the surefire report, to debug a failure
    }
  }

  private String stdout() {
    return stdout.toString(StandardCharsets.UTF_8);
  }
}
