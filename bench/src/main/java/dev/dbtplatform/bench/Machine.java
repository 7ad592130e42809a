package dev.dbtplatform.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The facts of the machine and software a run measured on, for BENCHMARKS.md. */
record Machine(int cores, long memoryBytes, String os, String jvm, long maxHeapBytes, double loadAverage) {
  private static final Pattern JAR_VERSION = Pattern.compile("-(\\d[^/]*)\\.jar$");

  static Machine current() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Machine(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")",
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory(), systemLoadAverage());
  }

  /** The 1-minute system load average: other work on the machine shows here, and skews absolute figures. */
  static double systemLoadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The version of the library a class comes from, read off its jar's name ("?" from a class folder). */
  static String versionOf(Class<?> type) {
    try {
      String location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
      Matcher m = JAR_VERSION.matcher(location);
      return m.find() ? m.group(1) : "?";
    } catch (Exception e) {
      return "?";
    }
  }
}
