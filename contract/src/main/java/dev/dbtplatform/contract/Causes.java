package dev.dbtplatform.contract;

/** Walking an exception's chain of causes, safe against a cause that is itself. */
public final class Causes {
  private Causes() {}

  /** The first throwable in the chain, from {@code e} itself on, that is one of the types; null if none. */
  @SafeVarargs
  public static Throwable first(Throwable e, Class<? extends Throwable>... types) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return t;
        }
      }
    }
    return null;
  }

  /** The last cause in the chain: what really went wrong. */
  public static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
