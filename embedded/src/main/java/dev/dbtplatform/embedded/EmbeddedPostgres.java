package dev.dbtplatform.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server started from the binaries zonky ships in a jar: the demo warehouse of
 * one-machine mode and the warehouse of tests. It listens on the loopback interface only; roles
 * other than the superuser need their password.
 *
 * <p>With a data directory the databases survive a restart (one-machine mode); without one
 * zonky uses a fresh temporary directory that is deleted on close.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  /** Names are spliced into DDL (which takes no parameters), so only plain ones are accepted. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a throwaway server on a free port; its data is deleted on {@link #close()}. */
  public static EmbeddedPostgres start() {
    return start(null, 0);
  }

  /**
   * @param dataDir where to keep the data, null for a temporary directory deleted on close
   * @param port the port to listen on, 0 for a free one
   */
  public static EmbeddedPostgres start(Path dataDir, int port) {
    try {
      var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
          .setPort(port > 0 ? port : freePort())
          // PostgreSQL's default listen_addresses is "localhost": loopback only.
          .setDataDirectoryCustomizer(EmbeddedPostgres::writeHba);
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      return new EmbeddedPostgres(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return postgres.getPort();
  }

  /** JDBC URL of a database, without credentials. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
  }

  /**
   * Creates a login role with a password and a database it owns, both unless they exist already
   * (so one-machine mode can call it on every start). The password is updated when the role exists.
   */
  public void createDatabase(String database, String user, String password) {
    requireIdentifier(database);
    requireIdentifier(user);
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      String quotedPassword = "'" + password.replace("'", "''") + "'";
      if (exists(s, "select 1 from pg_roles where rolname = '" + user + "'")) {
        s.execute("alter role \"" + user + "\" with login password " + quotedPassword);
      } else {
        s.execute("create role \"" + user + "\" with login password " + quotedPassword);
      }
      if (!exists(s, "select 1 from pg_database where datname = '" + database + "'")) {
        s.execute("create database \"" + database + "\" owner \"" + user + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }

  /**
   * zonky initializes with "trust" for everyone, so any password would do. Only the superuser,
   * which zonky and {@link #createDatabase} connect as, keeps trust (from this machine only);
   * every other role must give its password, as against a real warehouse.
   */
  private static void writeHba(File dataDir) {
    String hba = """
        # Written by dbt-platform's EmbeddedPostgres on every start.
        local all all trust
        host all postgres 127.0.0.1/32 trust
        host all postgres ::1/128 trust
        host all all 127.0.0.1/32 scram-sha-256
        host all all ::1/128 scram-sha-256
        """;
    try {
      Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf", e);
    }
  }

  private static boolean exists(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      return rs.next();
    }
  }

  private static void requireIdentifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain identifier: " + name);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }
}
