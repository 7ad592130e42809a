package dev.dbtplatform.develop.git;

import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.files.WorkspacePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the editor does with git: look (status, diff, branches) and change (branch, switch,
 * commit, pull, push, discard). Changes run one at a time, since two git processes writing the
 * index at once fail on its lock; looking takes no lock and asks git not to take one either.
 */
public final class GitService {
  /** Diffs beyond this are cut; nobody reads them in an editor. */
  static final int MAX_DIFF_CHARS = 2 * 1024 * 1024;

  private final GitCli git;
  private final Path checkout;
  private final WorkspacePaths paths;
  private final ReentrantLock changes = new ReentrantLock();

  public GitService(GitCli git, Path checkout, WorkspacePaths paths) {
    this.git = git;
    this.checkout = checkout;
    this.paths = paths;
  }

  /** @param output what git printed, for the user to see */
  public record Outcome(String branch, String head, String output) {}

  /** @param truncated whether the diff was longer than the API returns */
  public record Diff(String path, String diff, boolean truncated) {}

  /** @param sha the new commit */
  public record Commit(String sha, String branch, String message, List<String> files) {}

  public GitStatus status() {
    String out = git.require(GitCli.LOCAL, "git status failed",
        "--no-optional-locks", "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all");
    return GitStatus.parse(out, Files.exists(checkout.resolve(".git").resolve("MERGE_HEAD")));
  }

  /**
   * Everything that differs from the last commit, staged or not, including new files; or one
   * path's part of it.
   */
  public Diff diff(String path) {
    String relative = path == null || path.isBlank() ? null : paths.gitPath(path);
    GitStatus status = status();
    List<String> args = new ArrayList<>(List.of("--no-optional-locks", "diff", "--no-color", "--no-ext-diff"));
    if (status.head() != null) {
      args.add("HEAD");
    } else {
      args.add("--cached"); // no commit yet: everything staged is new
    }
    if (relative != null) {
      args.add("--");
      args.add(relative);
    }
    StringBuilder diff = new StringBuilder(git.require(GitCli.LOCAL, "git diff failed", args.toArray(String[]::new)));
    for (GitStatus.FileChange file : status.files()) {
      if (diff.length() > MAX_DIFF_CHARS) {
        break;
      }
      if (file.state().equals("untracked") && (relative == null || isWithin(file.path(), relative))) {
        diff.append(untrackedDiff(file.path()));
      }
    }
    boolean truncated = diff.length() > MAX_DIFF_CHARS;
    return new Diff(relative, truncated ? diff.substring(0, MAX_DIFF_CHARS) : diff.toString(), truncated);
  }

  /** @param fetch whether to fetch from origin first, to see branches others pushed */
  public GitBranches branches(boolean fetch) {
    if (fetch) {
      git.require(GitCli.NETWORK, "git fetch failed", "fetch", "--prune", "--quiet", "origin");
    }
    GitStatus status = status();
    String out = git.require(GitCli.LOCAL, "git for-each-ref failed", "--no-optional-locks", "for-each-ref",
        "--format=%(refname)%09%(objectname)%09%(upstream:short)%09%(symref)", "refs/heads", "refs/remotes");
    List<GitBranches.Branch> local = new ArrayList<>();
    List<GitBranches.Branch> remote = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length < 4 || !f[3].isEmpty()) {
        continue; // origin/HEAD is a pointer to another branch, not a branch
      }
      String upstream = f[2].isEmpty() ? null : f[2];
      if (f[0].startsWith("refs/heads/")) {
        String name = f[0].substring("refs/heads/".length());
        local.add(new GitBranches.Branch(name, f[1], upstream, name.equals(status.branch())));
      } else if (f[0].startsWith("refs/remotes/")) {
        remote.add(new GitBranches.Branch(f[0].substring("refs/remotes/".length()), f[1], null, false));
      }
    }
    return new GitBranches(status.branch(), status.head(), List.copyOf(local), List.copyOf(remote));
  }

  /**
   * @param from what the branch starts at (a branch, origin/x, a tag or a commit); null for the
   *     current commit
   * @param switchTo whether to check it out; uncommitted changes come along
   */
  public Outcome createBranch(String name, String from, boolean switchTo) {
    String branch = branchName(name);
    if (from != null && (from.isBlank() || from.startsWith("-"))) {
      throw DevelopException.invalid("invalid_ref", "\"from\" must name a branch, tag or commit, not \"" + from + "\".");
    }
    return locked(() -> {
      // No tracking of the start point: the branch's upstream becomes origin/<name> at its first push.
      List<String> args = new ArrayList<>(switchTo
          ? List.of("switch", "--create", branch, "--no-track")
          : List.of("branch", "--no-track", branch));
      if (from != null) {
        args.add(from);
      }
      return outcome(git.require(GitCli.LOCAL, "Cannot create branch " + branch, args.toArray(String[]::new)));
    });
  }

  /** Checks out a local branch, or creates a local one tracking origin's branch of that name. */
  public Outcome switchBranch(String name) {
    String branch = branchName(name);
    return locked(() -> outcome(git.require(GitCli.LOCAL, "Cannot switch to " + branch, "switch", branch)));
  }

  /**
   * Commits all changes (new, changed and deleted files), or only those of the given paths.
   *
   * @throws DevelopException 409 when there is nothing to commit
   */
  public Commit commit(String message, List<String> files) {
    if (message == null || message.isBlank()) {
      throw DevelopException.invalid("message_required", "A commit needs a message.");
    }
    List<String> relative = files == null ? List.of() : files.stream().map(paths::gitPath).toList();
    return locked(() -> {
      List<String> add = new ArrayList<>(List.of("add", "--all", "--"));
      add.addAll(relative.isEmpty() ? List.of(".") : relative);
      git.require(GitCli.LOCAL, "Cannot stage the changes", add.toArray(String[]::new));
      List<String> commit = new ArrayList<>(List.of("commit", "--quiet", "--no-verify", "--message", message));
      if (!relative.isEmpty()) {
        // Only these paths, whatever else is staged.
        commit.add("--");
        commit.addAll(relative);
      }
      List<String> check = new ArrayList<>(List.of("diff", "--cached", "--quiet", "--"));
      check.addAll(relative.isEmpty() ? List.of(".") : relative);
      if (git.run(GitCli.LOCAL, check.toArray(String[]::new)).ok()) {
        throw DevelopException.conflict("nothing_to_commit",
            relative.isEmpty() ? "Nothing to commit: the working tree matches the last commit."
                : "Nothing to commit in " + String.join(", ", relative) + ".");
      }
      git.require(GitCli.LOCAL, "Cannot commit", commit.toArray(String[]::new));
      GitStatus status = status();
      return new Commit(status.head(), status.branch(), message.strip(), relative);
    });
  }

  /** Merges the upstream (or origin's branch of the same name) into the current branch. */
  public Outcome pull() {
    return locked(() -> {
      GitStatus status = status();
      String branch = requireBranch(status, "pull");
      List<String> args = new ArrayList<>(List.of("pull", "--no-rebase", "--no-edit"));
      if (status.upstream() == null) {
        if (!git.run(GitCli.NETWORK, "ls-remote", "--exit-code", "--heads", "origin", branch).ok()) {
          throw DevelopException.conflict("no_upstream",
              "Branch " + branch + " does not exist on origin yet, so there is nothing to pull; push it first.");
        }
        args.addAll(List.of("origin", branch));
      }
      GitCli.Result result = git.run(GitCli.NETWORK, args.toArray(String[]::new));
      if (!result.ok()) {
        throw GitCli.failure("Cannot pull " + branch, result);
      }
      return outcome(result.stdout() + result.stderr());
    });
  }

  /** Pushes the current branch to origin under the same name and makes it the upstream. */
  public Outcome push() {
    return locked(() -> {
      String branch = requireBranch(status(), "push");
      GitCli.Result result = git.run(GitCli.NETWORK, "push", "--set-upstream", "origin", "HEAD:refs/heads/" + branch);
      if (!result.ok()) {
        throw GitCli.failure("Cannot push " + branch, result);
      }
      // push --set-upstream with a refspec sets the upstream only when the names match; make sure.
      git.run(GitCli.LOCAL, "branch", "--set-upstream-to=origin/" + branch, branch);
      return outcome(result.stdout() + result.stderr());
    });
  }

  /**
   * Throws away uncommitted changes: of the given paths (tracked files go back to the last
   * commit, new files are deleted), or of everything, which also ends a merge in progress.
   * Ignored files (target/, dbt_packages/) stay.
   */
  public List<String> discard(List<String> files, boolean all) {
    if (all == (files != null && !files.isEmpty())) {
      throw DevelopException.invalid("discard_what",
          "Say what to discard: {\"paths\": [...]} for some files, or {\"all\": true} for every change.");
    }
    return locked(() -> {
      if (all) {
        boolean hasHead = status().head() != null;
        if (hasHead) {
          git.require(GitCli.LOCAL, "Cannot discard the changes", "reset", "--hard", "--quiet", "HEAD");
        }
        git.require(GitCli.LOCAL, "Cannot delete the new files", "clean", "-d", "--force", "--quiet");
        return List.of(".");
      }
      List<String> relative = files.stream().map(paths::gitPath).toList();
      boolean hasHead = status().head() != null;
      for (String path : relative) {
        if (hasHead) {
          git.run(GitCli.LOCAL, "reset", "--quiet", "HEAD", "--", path); // unstage, also new files
        } else {
          git.run(GitCli.LOCAL, "rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", path);
        }
        boolean tracked = !git.require(GitCli.LOCAL, "git ls-files failed", "ls-files", "--", path).isBlank();
        if (tracked) {
          git.require(GitCli.LOCAL, "Cannot discard the changes of " + path, "checkout", "--", path);
        }
        git.require(GitCli.LOCAL, "Cannot delete the new files in " + path, "clean", "-d", "--force", "--quiet", "--", path);
      }
      return relative;
    });
  }

  private Outcome outcome(String output) {
    GitStatus status = status();
    return new Outcome(status.branch(), status.head(), output.strip());
  }

  private String untrackedDiff(String path) {
    GitCli.Result result = git.run(GitCli.LOCAL, "--no-optional-locks", "diff", "--no-color", "--no-ext-diff",
        "--no-index", "--", "/dev/null", path);
    // --no-index exits with 1 when the files differ, which a new file always does.
    return result.exitCode() <= 1 ? result.stdout() : "";
  }

  private static boolean isWithin(String file, String path) {
    return path.equals(".") || file.equals(path) || file.startsWith(path.endsWith("/") ? path : path + "/");
  }

  private static String requireBranch(GitStatus status, String what) {
    if (status.branch() == null) {
      throw DevelopException.conflict("detached_head",
          "No branch is checked out (the workspace is on commit " + status.head() + "); create a branch to " + what + ".");
    }
    return status.branch();
  }

  /** A branch name git accepts, which is also never taken for an option. */
  private String branchName(String name) {
    if (name == null || name.isBlank()) {
      throw DevelopException.invalid("branch_required", "Give the branch's name.");
    }
    if (name.startsWith("-") || !git.run(GitCli.LOCAL, "check-ref-format", "--branch", name).ok()) {
      throw DevelopException.invalid("invalid_branch_name",
          "\"" + name + "\" is not a valid branch name (no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\', and it may not start with '-').");
    }
    return name;
  }

  private <T> T locked(java.util.function.Supplier<T> change) {
    changes.lock();
    try {
      return change.get();
    } finally {
      changes.unlock();
    }
  }
}
