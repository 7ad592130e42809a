package dev.dbtplatform.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clones the project's repository with the real git at a branch, tag or commit.
 *
 * <p>Credentials from the git credentials folder reach git through GIT_ASKPASS: a small script
 * that prints them from environment variables of the git process only. They never appear on a
 * command line (visible in /proc), in the checkout's .git/config or in the logs.
 */
public final class GitCheckout {
  static final String USERNAME_VAR = "DBT_PLATFORM_GIT_USERNAME";
  static final String PASSWORD_VAR = "DBT_PLATFORM_GIT_PASSWORD";
  /** Used with a token when no username is given; GitHub documents it, other hosts accept any name. */
  static final String TOKEN_USERNAME = "x-access-token";

  private static final Pattern USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@");
  private static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-fA-F]{7,40}");
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");

  /** @param sha the commit checked out; @param branch its branch, null for a tag or a commit */
  public record Result(String sha, String branch) {}

  /** Git failed; the message says how, its output is in the step log. */
  public static final class GitException extends Exception {
    GitException(String message) {
      super(message);
    }
  }

  /** The run was stopped (timeout, SIGTERM) while git ran. */
  public static final class StoppedException extends Exception {
    final RunControl.Stop stop;

    StoppedException(RunControl.Stop stop) {
      super("stopped: " + stop);
      this.stop = stop;
    }
  }

  private final Map<String, String> env;
  private final SecretMasker masker;
  private final LogSink log;
  private final RunControl control;

  /**
   * @param baseEnv the environment git inherits
   * @param credentialsDir folder with {@code username} and {@code password} or {@code token}; may not exist
   * @param scratchDir a private folder outside the workspace for the askpass script
   */
  public GitCheckout(Map<String, String> baseEnv, Path credentialsDir, Path scratchDir, SecretMasker masker,
      LogSink log, RunControl control) throws IOException {
    this.masker = masker;
    this.log = log;
    this.control = control;
    this.env = new HashMap<>(baseEnv);
    // Never wait for a person to type a password.
    env.put("GIT_TERMINAL_PROMPT", "0");
    Credentials credentials = Credentials.read(credentialsDir);
    if (credentials != null) {
      masker.add(credentials.password());
      env.put(USERNAME_VAR, credentials.username());
      env.put(PASSWORD_VAR, credentials.password());
      env.put("GIT_ASKPASS", writeAskPass(scratchDir).toString());
      log.info("Using git credentials of user " + credentials.username());
    }
  }

  /**
   * The environment git runs with: the inherited one, no prompts, and the askpass script with the
   * credentials when there are any. For later git commands on the same checkout (fetch, push).
   */
  public Map<String, String> environment() {
    return Map.copyOf(env);
  }

  public Result checkout(String url, String ref, Path dir) throws IOException, GitException, StoppedException {
    masker.add(userInfoSecret(url)); // git error messages may quote the URL
    String shownUrl = withoutUserInfo(url);
    log.info("Cloning " + shownUrl + " at " + (ref == null || ref.isBlank() ? "the default branch" : ref));
    deleteRecursively(dir);
    Files.createDirectories(dir.getParent());
    Path parent = dir.getParent();
    String name = dir.getFileName().toString();

    if (ref == null || ref.isBlank()) {
      requireSuccess(git(parent, "clone", "--depth", "1", "--", url, name), "cannot clone " + shownUrl);
    } else if (FULL_SHA.matcher(ref).matches()) {
      checkoutCommit(url, ref, dir);
    } else if (!git(parent, "clone", "--depth", "1", "--branch", ref, "--", url, name)) {
      // Not a branch or tag: maybe an abbreviated commit, which clone --branch cannot check out.
      if (!COMMIT_SHA.matcher(ref).matches()) {
        throw new GitException("no branch or tag " + ref + " in " + shownUrl);
      }
      log.info(ref + " is not a branch or tag, looking for a commit");
      checkoutCommit(url, ref, dir);
    }

    if (!shownUrl.equals(url)) {
      // The checkout is uploaded with the workspace: its .git/config must not keep a token.
      git(dir, "remote", "set-url", "origin", shownUrl);
    }
    String sha = ProcessRunner.capture(List.of("git", "rev-parse", "HEAD"), dir, env);
    // symbolic-ref fails on a detached HEAD (tag or commit): then there is no branch.
    String branch = ProcessRunner.capture(List.of("git", "symbolic-ref", "--quiet", "--short", "HEAD"), dir, env);
    if (sha == null) {
      throw new GitException("cannot read the checked out commit");
    }
    log.info("Checked out " + sha + (branch == null ? " (detached)" : " on branch " + branch));
    return new Result(sha, branch);
  }

  private void checkoutCommit(String url, String sha, Path dir) throws IOException, GitException, StoppedException {
    deleteRecursively(dir);
    Files.createDirectories(dir);
    requireSuccess(git(dir, "init", "--quiet"), "git init failed");
    requireSuccess(git(dir, "remote", "add", "origin", url), "git remote add failed");
    // Most servers serve a full sha directly; abbreviated ones need the whole history.
    boolean fetched = FULL_SHA.matcher(sha).matches() && git(dir, "fetch", "--depth", "1", "origin", sha);
    if (!fetched) {
      log.info("Fetching the full history to find " + sha);
      requireSuccess(git(dir, "fetch", "--tags", "origin", "+refs/heads/*:refs/remotes/origin/*"),
          "cannot fetch " + withoutUserInfo(url));
    }
    String commit = ProcessRunner.capture(List.of("git", "rev-parse", "--verify", "--quiet", sha + "^{commit}"), dir, env);
    if (commit == null) {
      throw new GitException("no commit " + sha + " in " + withoutUserInfo(url));
    }
    requireSuccess(git(dir, "checkout", "--quiet", "--detach", commit), "cannot check out " + commit);
  }

  /** Runs git with its output in the step log. @return whether it succeeded */
  private boolean git(Path dir, String... args) throws IOException, StoppedException {
    List<String> command = new ArrayList<>();
    command.add("git");
    // No credential helper: a token must not be cached or stored anywhere by git.
    command.add("-c");
    command.add("credential.helper=");
    command.add("-c");
    command.add("advice.detachedHead=false");
    command.addAll(List.of(args));
    ProcessRunner.Result result = ProcessRunner.run(command, dir, env, log, control);
    if (result.stoppedBy() != null) {
      throw new StoppedException(result.stoppedBy());
    }
    return result.exitCode() == 0;
  }

  private static void requireSuccess(boolean ok, String message) throws GitException {
    if (!ok) {
      throw new GitException(message);
    }
  }

  /** The URL as it may be shown: {@code https://user:token@host/x} becomes {@code https://host/x}. */
  public static String withoutUserInfo(String url) {
    return url == null ? null : USERINFO.matcher(url).replaceFirst("$1");
  }

  /** The password or token a URL carries in its user info, null if none. */
  public static String userInfoSecret(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = USERINFO.matcher(url);
    if (!m.find()) {
      return null;
    }
    String userInfo = m.group(2);
    int colon = userInfo.indexOf(':');
    return colon >= 0 ? userInfo.substring(colon + 1) : null;
  }

  private static Path writeAskPass(Path scratchDir) throws IOException {
    Path script = scratchDir.resolve("git-askpass.sh");
    // git calls it with a prompt: "Username for 'https://host': " or "Password for '...': ".
    String text = """
        #!/bin/sh
        case "$1" in
          Username*) printf '%s\\n' "$DBT_PLATFORM_GIT_USERNAME" ;;
          *) printf '%s\\n' "$DBT_PLATFORM_GIT_PASSWORD" ;;
        esac
        """;
    Files.writeString(script, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The username and password (or token) of the git credentials Secret. */
  record Credentials(String username, String password) {
    static Credentials read(Path dir) throws IOException {
      if (dir == null || !Files.isDirectory(dir)) {
        return null;
      }
      String username = readKey(dir, "username");
      String password = readKey(dir, "password");
      String token = readKey(dir, "token");
      String secret = token != null ? token : password;
      if (secret == null) {
        return null;
      }
      return new Credentials(username != null ? username : TOKEN_USERNAME, secret);
    }

    private static String readKey(Path dir, String key) throws IOException {
      Path file = dir.resolve(key);
      if (!Files.isRegularFile(file)) {
        return null;
      }
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      return value.isEmpty() ? null : value;
    }
  }
}
