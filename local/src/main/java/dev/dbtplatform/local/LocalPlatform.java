package dev.dbtplatform.local;

import dev.dbtplatform.api.ApiPlatform;
import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.AccountRepository;
import dev.dbtplatform.api.db.Database;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.TokenRepository;
import dev.dbtplatform.api.db.User;
import dev.dbtplatform.api.db.UserRepository;
import dev.dbtplatform.api.http.ApiServerSettings;
import dev.dbtplatform.api.storage.ObjectStoreSettings;
import dev.dbtplatform.api.tls.LocalCertificateAuthority;
import dev.dbtplatform.api.tls.LocalTls;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.embedded.EmbeddedKubernetes;
import dev.dbtplatform.embedded.EmbeddedPostgres;
import dev.dbtplatform.embedded.EmbeddedS3;
import dev.dbtplatform.local.node.ContainerLogs;
import dev.dbtplatform.local.node.LauncherScripts;
import dev.dbtplatform.local.node.LocalNode;
import dev.dbtplatform.local.node.LocalNodeConfig;
import dev.dbtplatform.operator.DbtPlatformOperator;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole platform in one process: embedded PostgreSQL (the API's database and the demo
 * warehouse), an embedded S3 server, the Kubernetes API stand-in, the operator, the local node
 * that runs its pods as processes, and the API server. The operator and the API server are the
 * same code that runs in a cluster.
 */
public final class LocalPlatform implements AutoCloseable {
  public static final String BUCKET = "dbt-platform";
  public static final String WAREHOUSE_DATABASE = "warehouse";
  public static final String WAREHOUSE_USER = "dbt";
  public static final String WAREHOUSE_SECRET = "warehouse-credentials";
  public static final String OBJECT_STORE_SECRET = "dbt-platform-object-store";
  public static final String API_DATABASE = "dbt_platform";
  public static final String API_USER = "dbt_platform";
  public static final String DEMO_ACCOUNT = "Demo";
  /** The user develop sessions belong to in one-machine mode. */
  public static final String DEMO_USER = "alice";
  /** Her development credentials, as config/samples/08-develop-credentials.yaml names them. */
  public static final String DEVELOP_CREDENTIALS_SECRET = "alice-dev-credentials";
  /** The names the API's certificate is for: where the API listens, by address and by name. */
  static final List<String> API_DNS_NAMES = List.of("localhost");
  static final List<String> API_IP_ADDRESSES = List.of("127.0.0.1");

  /**
   * The API stand-in logs every request through java.util.logging. Held here because
   * java.util.logging keeps loggers only weakly, and would forget the level.
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final LocalPlatformConfig config;
  private final List<AutoCloseable> started = new ArrayList<>();
  private EmbeddedPostgres postgres;
  private EmbeddedS3 s3;
  private EmbeddedKubernetes kubernetes;
  private KubernetesClient client;
  private DbtPlatformOperator operator;
  private String warehousePassword;
  private String sampleRepositoryUrl;
  private ApiPlatform api;
  private ObjectIds apiIds;
  private Account demoAccount;
  private String demoToken;
  private String developerToken;
  private Path caCertificate;

  private LocalPlatform(LocalPlatformConfig config) {
    this.config = config;
  }

  public static LocalPlatform start(LocalPlatformConfig config) {
    LocalPlatform platform = new LocalPlatform(config);
    try {
      platform.startAll();
      return platform;
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  private void startAll() {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    Path root = config.root();
    if (!Files.isExecutable(config.dbtBin().resolve("dbt"))) {
      throw new IllegalStateException("dbt not found in " + config.dbtBin() + ": run `make venv` (make run does it)");
    }
    // keytool takes a second or two: the certificates are made while everything else starts
    CompletableFuture<LocalTls> tls = CompletableFuture.supplyAsync(() ->
        LocalCertificateAuthority.create(config.tlsDir(), API_DNS_NAMES, API_IP_ADDRESSES));
    postgres = track(EmbeddedPostgres.start(root.resolve("postgres"), 0));
    warehousePassword = randomSecret();
    postgres.createDatabase(WAREHOUSE_DATABASE, WAREHOUSE_USER, warehousePassword);

    s3 = track(EmbeddedS3.builder().dataDir(root.resolve("s3")).credentials("local-" + randomSecret().substring(0, 8),
        randomSecret()).start());
    s3.createBucket(BUCKET);

    Path bin = root.resolve("bin");
    LocalNodeConfig nodeConfig = LocalNodeConfig.defaults(root.resolve("node"))
        .withBinDir(bin)
        .withExtraPath(List.of(config.dbtBin()))
        .withJobBackoffBase(Duration.ofSeconds(2))
        .withMaxTerminationGrace(Duration.ofSeconds(30));
    // the node has the pods' output: the API stand-in answers pod log requests from its files
    kubernetes = track(EmbeddedKubernetes.start(new ContainerLogs(nodeConfig)::read));
    client = track(kubernetes.newClient());

    sampleRepositoryUrl = SampleRepository.create(config.projectRoot().resolve("samples/dbt-project"),
        root.resolve("git"), "shop");

    Map<String, String> commands = Map.of(
        "dbt-platform-run", LauncherArchive.RUN_MAIN,
        "dbt-platform-flush", "dev.dbtplatform.flush.FlushMain",
        "dbt-platform-develop", "dev.dbtplatform.develop.DevelopMain",
        "dbt-platform-fetch-state", "dev.dbtplatform.flush.StateFetchMain");
    List<String> jvmOptions = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    LauncherScripts.write(bin, commands, config.runtimeClasspath(), LauncherScripts.currentJava(), jvmOptions);
    // trained while the rest starts; joined before any pod can run, so that every pod uses it
    CompletableFuture<Void> archive = CompletableFuture.runAsync(() -> LauncherArchive.use(bin, commands,
        config.runtimeClasspath(), LauncherScripts.currentJava(), jvmOptions, sampleRepositoryUrl,
        root.resolve("class-archive-training")));
    track(LocalNode.start(kubernetes.newClient(), nodeConfig));

    OperatorConfig operatorConfig = OperatorConfig.defaults()
        .withObjectStore(new OperatorConfig.ObjectStore(s3.endpoint(), s3.region(), BUCKET, true, "",
            OBJECT_STORE_SECRET, null, 30))
        .withTimings(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(2))
        .withMetricsPort(0);
    operator = track(DbtPlatformOperator.start(client, operatorConfig, Clock.systemUTC()));

    createSecrets();
    startApi(joined(tls));
    joined(archive);
  }

  /**
   * The API server on its own database in the embedded PostgreSQL, with a demo account that owns
   * the sample namespace and a token for it. Over HTTPS only, as in a cluster, with a certificate
   * from the local CA: the clients it is for (the Airflow provider, prefect-dbt, dbt-cloud-cli)
   * speak nothing else.
   */
  private void startApi(LocalTls tls) {
    String password = randomSecret();
    postgres.createDatabase(API_DATABASE, API_USER, password);
    Database db = track(Database.open(postgres.jdbcUrl(API_DATABASE), API_USER, password));
    demoAccount = new AccountRepository(db).create(DEMO_ACCOUNT, config.namespace());
    demoToken = new TokenRepository(db).create(demoAccount.id(), "make run").plainToken();
    // develop sessions are a user's: the demo user and a personal token of hers
    User developer = new UserRepository(db).create(demoAccount.id(), DEMO_USER, DEMO_USER + "@example.com");
    developerToken = new TokenRepository(db).createPersonal(developer, "make run").plainToken();
    ObjectStoreSettings store = new ObjectStoreSettings(s3.endpointUri(), s3.region(), s3.accessKey(), s3.secretKey(), true);
    caCertificate = tls.caCertificate();
    api = track(ApiPlatform.start(ApiServerSettings.plain("127.0.0.1", config.apiPort()).withTls(tls.server()), db,
        client, store, Clock.systemUTC()));
    apiIds = new ObjectIds(db);
  }

  private static <T> T joined(CompletableFuture<T> task) {
    try {
      return task.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private void createSecrets() {
    String ns = config.namespace();
    Secret warehouse = new SecretBuilder().withNewMetadata().withName(WAREHOUSE_SECRET).withNamespace(ns).endMetadata()
        .addToStringData("host", postgres.host())
        .addToStringData("port", String.valueOf(postgres.port()))
        .addToStringData("user", WAREHOUSE_USER)
        .addToStringData("password", warehousePassword)
        .addToStringData("dbname", WAREHOUSE_DATABASE)
        .addToStringData("schema", "analytics")
        .build();
    client.resource(warehouse).createOr(r -> r.update());
    // the demo user's own development credentials: the same warehouse, a schema of her own
    Secret developer = new SecretBuilder(warehouse).editMetadata().withName(DEVELOP_CREDENTIALS_SECRET).endMetadata()
        .addToStringData("schema", "dbt_" + DEMO_USER)
        .build();
    client.resource(developer).createOr(r -> r.update());
    Secret objectStore = new SecretBuilder().withNewMetadata().withName(OBJECT_STORE_SECRET).withNamespace(ns).endMetadata()
        .addToStringData(OperatorConfig.ACCESS_KEY_ID_KEY, s3.accessKey())
        .addToStringData(OperatorConfig.SECRET_ACCESS_KEY_KEY, s3.secretKey())
        .build();
    client.resource(objectStore).createOr(r -> r.update());
  }

  /**
   * Applies a file of config/samples/. The sample project is pointed at the local git copy and
   * sample Secrets are skipped: this platform made its own (warehouse and the demo user's
   * development credentials) for the embedded warehouse.
   */
  public HasMetadata applySample(String fileName) {
    Path file = config.projectRoot().resolve("config/samples").resolve(fileName);
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String kind = Serialization.unmarshal(yaml, GenericKubernetesResource.class).getKind();
    HasMetadata resource = switch (kind) {
      case "DbtProject" -> {
        DbtProject project = Serialization.unmarshal(yaml, DbtProject.class);
        project.getSpec().git.url = sampleRepositoryUrl;
        yield project;
      }
      case "DbtEnvironment" -> Serialization.unmarshal(yaml, DbtEnvironment.class);
      case "DbtRun" -> Serialization.unmarshal(yaml, DbtRun.class);
      case "DbtJob" -> Serialization.unmarshal(yaml, DbtJob.class);
      case "DbtDevelopSession" -> Serialization.unmarshal(yaml, DbtDevelopSession.class);
      case "Secret" -> null;
      default -> throw new IllegalArgumentException("one-machine mode does not apply " + kind + " samples");
    };
    if (resource == null) {
      return null;
    }
    resource.getMetadata().setNamespace(config.namespace());
    return client.resource(resource).createOr(r -> r.update());
  }

  public KubernetesClient client() {
    return client;
  }

  public EmbeddedS3 objectStore() {
    return s3;
  }

  public EmbeddedPostgres warehouse() {
    return postgres;
  }

  public String kubernetesUrl() {
    return kubernetes.url();
  }

  public int metricsPort() {
    return operator.metricsPort();
  }

  public String namespace() {
    return config.namespace();
  }

  public String apiUrl() {
    return "https://127.0.0.1:" + api.port();
  }

  /** The certificate (PEM) of the CA that issued the API's: what clients trust to reach {@link #apiUrl()}. */
  public Path caCertificate() {
    return caCertificate;
  }

  public Account demoAccount() {
    return demoAccount;
  }

  /** The sample project's git remote on this machine (a bare repository), as a file: URL. */
  public String sampleRepositoryUrl() {
    return sampleRepositoryUrl;
  }

  /** The demo user's personal token, which develop sessions need; only its hash is stored. */
  public String developerToken() {
    return developerToken;
  }

  /** The API's numeric id of the demo account's DbtEnvironment of that name. */
  public long environmentId(String environmentName) {
    return apiIds.idFor(demoAccount.id(), ObjectIds.Kind.DbtEnvironment, config.namespace(), environmentName);
  }

  /** The demo account's API token, made at start; only its hash is stored. */
  public String demoToken() {
    return demoToken;
  }

  /** The API's numeric id of the demo account's DbtJob of that name. */
  public long jobId(String jobName) {
    return apiIds.idFor(demoAccount.id(), ObjectIds.Kind.DbtJob, config.namespace(), jobName);
  }

  private <T extends AutoCloseable> T track(T component) {
    started.add(component);
    return component;
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Stops everything in reverse order of starting. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("while stopping " + started.get(i).getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    started.clear();
  }
}
