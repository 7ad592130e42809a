package dev.dbtplatform.crd;

/**
 * Where a DbtDevelopSession is. Stopped is not final: the next request resumes the session on the
 * same workspace. Failed is for a spec that cannot work until it is edited.
 */
public enum DevelopPhase {
  Pending,
  Starting,
  Ready,
  Stopped,
  Failed
}
