package dev.dbtplatform.api.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The names a server certificate is valid for, checked and written as keytool's {@code -ext san=...}. */
final class SubjectAltNames {
  private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  private final List<String> dnsNames;
  private final List<String> ipAddresses;

  /** Checked here so that nothing unexpected reaches keytool's comma-separated argument. */
  SubjectAltNames(List<String> dnsNames, List<String> ipAddresses) {
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one DNS name or IP address");
    }
    for (String name : dnsNames) {
      if (!DNS_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a DNS name: " + name);
      }
    }
    for (String ip : ipAddresses) {
      if (!IPV4.matcher(ip).matches() && !IPV6.matcher(ip).matches()) {
        throw new IllegalArgumentException("not an IP address: " + ip);
      }
    }
    this.dnsNames = List.copyOf(dnsNames);
    this.ipAddresses = List.copyOf(ipAddresses);
  }

  String keytoolExtension() {
    List<String> entries = new ArrayList<>();
    dnsNames.forEach(n -> entries.add("dns:" + n));
    ipAddresses.forEach(ip -> entries.add("ip:" + ip));
    return "san=" + String.join(",", entries);
  }

  /** The subject's common name: ignored by clients that read the alternative names, which all do now. */
  String commonName() {
    return dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
  }
}
