package dev.dbtplatform.develop.git;

import java.util.ArrayList;
import java.util.List;

/**
 * The checkout's state as {@code git status --porcelain=v2 --branch -z} reports it.
 *
 * @param branch the current branch, null on a detached HEAD
 * @param head the commit checked out, null before the first commit
 * @param upstream the branch it tracks, such as origin/main; null when none
 * @param ahead commits on the branch not on its upstream
 * @param behind commits on the upstream not on the branch
 * @param mergeInProgress a pull stopped on conflicts: resolve and commit, or discard all
 * @param files every changed, untracked or conflicted file
 */
public record GitStatus(String branch, String head, String upstream, int ahead, int behind,
    boolean mergeInProgress, List<FileChange> files) {

  /**
   * @param path relative to the checkout
   * @param origPath where a renamed file came from, else null
   * @param staged the index's status letter (M, A, D, R, C, U), null when unchanged
   * @param unstaged the working tree's status letter, null when unchanged
   * @param state modified, added, deleted, renamed, copied, untracked or conflicted
   */
  public record FileChange(String path, String origPath, String staged, String unstaged, String state) {}

  public boolean clean() {
    return files.isEmpty();
  }

  /** Parses the NUL-separated porcelain v2 output (ignored files are not asked for). */
  static GitStatus parse(String output, boolean mergeInProgress) {
    String branch = null;
    String head = null;
    String upstream = null;
    int ahead = 0;
    int behind = 0;
    List<FileChange> files = new ArrayList<>();
    String[] records = output.split("\0");
    for (int i = 0; i < records.length; i++) {
      String record = records[i];
      if (record.isEmpty()) {
        continue;
      }
      if (record.startsWith("# branch.oid ")) {
        String oid = record.substring("# branch.oid ".length());
        head = oid.equals("(initial)") ? null : oid;
      } else if (record.startsWith("# branch.head ")) {
        String name = record.substring("# branch.head ".length());
        branch = name.equals("(detached)") ? null : name;
      } else if (record.startsWith("# branch.upstream ")) {
        upstream = record.substring("# branch.upstream ".length());
      } else if (record.startsWith("# branch.ab ")) {
        String[] ab = record.substring("# branch.ab ".length()).split(" ");
        ahead = Integer.parseInt(ab[0].substring(1));
        behind = Integer.parseInt(ab[1].substring(1));
      } else if (record.startsWith("1 ")) {
        String[] f = record.split(" ", 9);
        files.add(change(f[8], null, f[1]));
      } else if (record.startsWith("2 ")) {
        // A rename's original path is the next NUL-separated record.
        String[] f = record.split(" ", 10);
        String from = i + 1 < records.length ? records[++i] : null;
        files.add(change(f[9], from, f[1]));
      } else if (record.startsWith("u ")) {
        String[] f = record.split(" ", 11);
        files.add(new FileChange(f[10], null, "U", "U", "conflicted"));
      } else if (record.startsWith("? ")) {
        files.add(new FileChange(record.substring(2), null, null, "?", "untracked"));
      }
    }
    return new GitStatus(branch, head, upstream, ahead, behind, mergeInProgress, List.copyOf(files));
  }

  private static FileChange change(String path, String origPath, String xy) {
    String staged = letter(xy.charAt(0));
    String unstaged = letter(xy.charAt(1));
    return new FileChange(path, origPath, staged, unstaged, state(xy));
  }

  private static String letter(char c) {
    return c == '.' ? null : String.valueOf(c);
  }

  private static String state(String xy) {
    if (xy.indexOf('D') >= 0) {
      return "deleted";
    }
    if (xy.charAt(0) == 'R') {
      return "renamed";
    }
    if (xy.charAt(0) == 'C') {
      return "copied";
    }
    if (xy.charAt(0) == 'A') {
      return "added";
    }
    return "modified";
  }
}
