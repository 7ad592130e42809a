package dev.dbtplatform.develop.git;

import java.util.List;

/**
 * @param current the branch checked out, null on a detached HEAD
 * @param head the commit checked out
 * @param local the local branches
 * @param remote the remote-tracking branches (origin/...), as of the last fetch
 */
public record GitBranches(String current, String head, List<Branch> local, List<Branch> remote) {

  /**
   * @param name main, or origin/main for a remote-tracking branch
   * @param sha the commit it points at
   * @param upstream what a local branch tracks, null when nothing
   * @param current whether it is checked out
   */
  public record Branch(String name, String sha, String upstream, boolean current) {}
}
