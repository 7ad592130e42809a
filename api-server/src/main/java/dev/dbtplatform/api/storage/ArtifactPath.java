package dev.dbtplatform.api.storage;

/**
 * Checks an artifact path that comes from an API caller before it becomes part of an object key.
 *
 * <p>S3 keys are plain strings, but the request path is not: the HTTP stack or an S3-compatible
 * store on a file system may resolve "." and ".." segments, and some stores treat backslashes as
 * separators. Either would let {@code ../../other-run/...} read outside the run's prefix, so such
 * paths are refused instead of encoded.
 */
final class ArtifactPath {
  private ArtifactPath() {}

  /**
   * @return the path, unchanged
   * @throws IllegalArgumentException when it is empty, absolute, has a backslash, a control
   *     character, or an empty, "." or ".." segment
   */
  static String requireSafe(String path) {
    String problem = problem(path);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return path;
  }

  static boolean isSafe(String path) {
    return problem(path) == null;
  }

  /** What is wrong with the path, null when nothing is. */
  private static String problem(String path) {
    if (path == null || path.isEmpty()) {
      return "the artifact path is empty";
    }
    if (path.startsWith("/")) {
      return "the artifact path must be relative to the step's artifacts, got \"" + path + "\"";
    }
    if (path.indexOf('\\') >= 0) {
      return "the artifact path must use \"/\" and no backslash, got \"" + path + "\"";
    }
    if (path.chars().anyMatch(Character::isISOControl)) {
      // not echoed: control characters in an error message can garble logs and terminals
      return "the artifact path contains a control character";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "the artifact path must not have empty, \".\" or \"..\" segments, got \"" + path + "\"";
      }
    }
    return null;
  }
}
