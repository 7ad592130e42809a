package dev.dbtplatform.api.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468): the labelled Base64 blocks of certificate and key files. */
final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** One block; its body is decoded only when asked, as encrypted and legacy keys carry headers that are not Base64. */
  record Block(String label, String body) {
    byte[] der() {
      return Base64.getMimeDecoder().decode(body);
    }
  }

  private Pem() {}

  /** The blocks in the order they appear; text between them (openssl's "subject=" lines) is skipped. */
  static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      blocks.add(new Block(m.group(1), m.group(2)));
    }
    return blocks;
  }

  static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
