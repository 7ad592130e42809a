package dev.dbtplatform.crd;

/** How generated CRD file names map to the names committed under config/crd/. */
public final class CrdFiles {
  private CrdFiles() {}

  /** dbtruns.dbtplatform.dev-v1.yml becomes dbtruns.dbtplatform.dev.yaml */
  public static String committedName(String generatedName) {
    return generatedName.replace("-v1.yml", ".yaml");
  }

  /** Where the build leaves the generated CRDs on the classpath. */
  public static String classpathResource(String generatedName) {
    return "META-INF/fabric8/" + generatedName;
  }
}
