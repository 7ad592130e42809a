package dev.dbtplatform.develop.git;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.develop.workspace.Workspace;
import dev.dbtplatform.runtime.GitCheckout;
import dev.dbtplatform.runtime.LogSink;
import dev.dbtplatform.runtime.RunControl;
import dev.dbtplatform.runtime.SecretMasker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git for the workspace, with the project's credentials as the run runtime uses them (an askpass
 * script fed from environment variables of git only; nothing on a command line or in
 * .git/config), and commits authored by the session's user.
 */
public final class GitAccess {
  private static final Logger LOG = LoggerFactory.getLogger(GitAccess.class);
  private static final Pattern USER_AND_PASSWORD = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/@:]*):([^/@]*)@");

  private final DevelopConfig config;
  private final Workspace workspace;
  private final SecretMasker masker;
  private final GitCheckout checkout;
  private final GitCli cli;

  private GitAccess(DevelopConfig config, Workspace workspace, SecretMasker masker, GitCheckout checkout,
      Map<String, String> env) {
    this.config = config;
    this.workspace = workspace;
    this.masker = masker;
    this.checkout = checkout;
    this.cli = new GitCli(workspace.checkout(), env, masker);
  }

  /**
   * @param inherited the environment git inherits
   * @param credentialsDir the mounted git credentials Secret; may not exist
   */
  public static GitAccess create(DevelopConfig config, Workspace workspace, Map<String, String> inherited,
      Path credentialsDir, SecretMasker masker) throws IOException {
    Path credentials = credentialsDir;
    if (!hasCredentials(credentialsDir) && USER_AND_PASSWORD.matcher(config.gitUrl()).find()) {
      // The clone strips the URL's credentials from .git/config; pull and push later still need them.
      credentials = writeUrlCredentials(config.gitUrl(), workspace.privateDir().resolve("git-credentials"));
    }
    PrintStream log = new PrintStream(new LoggingStream(), true, StandardCharsets.UTF_8);
    GitCheckout checkout = new GitCheckout(inherited, credentials, workspace.privateDir(), masker,
        LogSink.stdoutOnly(log, masker), new RunControl());
    Map<String, String> env = new HashMap<>(checkout.environment());
    String email = config.userEmail() == null || config.userEmail().isBlank()
        ? config.user().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-") + "@users.dbt-platform.invalid"
        : config.userEmail();
    env.put("GIT_AUTHOR_NAME", config.user());
    env.put("GIT_AUTHOR_EMAIL", email);
    env.put("GIT_COMMITTER_NAME", config.user());
    env.put("GIT_COMMITTER_EMAIL", email);
    // Paths from the API are file names, never pathspec patterns or magic (":(top)", "*.sql").
    env.put("GIT_LITERAL_PATHSPECS", "1");
    return new GitAccess(config, workspace, masker, checkout, env);
  }

  public GitCli cli() {
    return cli;
  }

  /** Whether the checkout exists: a folder with a .git inside, as a finished clone leaves it. */
  public boolean hasCheckout() {
    return Files.isDirectory(workspace.checkout().resolve(".git"));
  }

  /**
   * Clones the repository at the session's ref into the workspace. The run runtime's checkout
   * clones one branch with no history; a developer needs the others and the history to pull,
   * merge and switch, so the clone is widened afterwards.
   */
  public void cloneRepository() throws IOException, GitCheckout.GitException, GitCheckout.StoppedException {
    GitCheckout.Result result = checkout.checkout(config.gitUrl(), config.gitRef(), workspace.checkout());
    LOG.info("Cloned {} at {}", GitCheckout.withoutUserInfo(config.gitUrl()),
        result.branch() != null ? "branch " + result.branch() : result.sha());
    GitCli.Result widened = cli.run(GitCli.LOCAL, "remote", "set-branches", "origin", "*");
    if (widened.ok()) {
      boolean shallow = "true".equals(cli.run(GitCli.LOCAL, "rev-parse", "--is-shallow-repository").stdout().strip());
      widened = shallow
          ? cli.run(GitCli.NETWORK, "fetch", "--quiet", "--unshallow", "origin")
          : cli.run(GitCli.NETWORK, "fetch", "--quiet", "origin");
    }
    if (!widened.ok()) {
      LOG.warn("Could not fetch the other branches and the history ({}); the checkout works, pull may fail until a fetch works",
          masker.mask(widened.message()));
    }
  }

  private static boolean hasCredentials(Path dir) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      return false;
    }
    for (String key : new String[] {"password", "token"}) {
      Path file = dir.resolve(key);
      if (Files.isRegularFile(file) && !Files.readString(file, StandardCharsets.UTF_8).isBlank()) {
        return true;
      }
    }
    return false;
  }

  private static Path writeUrlCredentials(String url, Path dir) throws IOException {
    Matcher m = USER_AND_PASSWORD.matcher(url);
    if (!m.find()) {
      throw new IllegalArgumentException("no credentials in the URL");
    }
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(dir.resolve("username"), percentDecode(m.group(1)), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("password"), percentDecode(m.group(2)), StandardCharsets.UTF_8);
    return dir;
  }

  /** URL user info is percent-encoded; git decodes it the same way (and, unlike forms, keeps '+'). */
  static String percentDecode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /** The clone's progress lines (already masked) into the server log, one line at a time. */
  private static final class LoggingStream extends java.io.OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        LOG.info(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
