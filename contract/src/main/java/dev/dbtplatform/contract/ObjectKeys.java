package dev.dbtplatform.contract;

/**
 * Object store keys of a run's logs and artifacts. The run prefix names the account, the
 * namespace, the run and its uid (a run deleted and created again under the same name never
 * overwrites the first one's logs):
 *
 * <pre>
 * {base}accounts/{account}/namespaces/{namespace}/runs/{run}/{uid}/run-summary.json
 * {base}accounts/{account}/namespaces/{namespace}/runs/{run}/{uid}/steps/{n}/logs.txt
 * {base}accounts/{account}/namespaces/{namespace}/runs/{run}/{uid}/steps/{n}/artifacts/{file}
 * </pre>
 */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static final String STEP_LOG_NAME = "logs.txt";

  /**
   * @param base a key prefix shared by everything this platform stores, "" or ending with "/"
   */
  public static String runPrefix(String base, String accountId, String namespace, String runName, String runUid) {
    String normalizedBase = base == null || base.isEmpty() || base.endsWith("/") ? nullToEmpty(base) : base + "/";
    return normalizedBase + "accounts/" + accountId + "/namespaces/" + namespace + "/runs/" + runName + "/" + runUid + "/";
  }

  public static String summary(String runPrefix) {
    return runPrefix + RunVolumeLayout.SUMMARY_FILE;
  }

  public static String stepLog(String runPrefix, int stepIndex) {
    return stepPrefix(runPrefix, stepIndex) + STEP_LOG_NAME;
  }

  public static String stepArtifactsPrefix(String runPrefix, int stepIndex) {
    return stepPrefix(runPrefix, stepIndex) + "artifacts/";
  }

  public static String stepArtifact(String runPrefix, int stepIndex, String fileName) {
    return stepArtifactsPrefix(runPrefix, stepIndex) + fileName;
  }

  private static String stepPrefix(String runPrefix, int stepIndex) {
    return runPrefix + "steps/" + stepIndex + "/";
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
