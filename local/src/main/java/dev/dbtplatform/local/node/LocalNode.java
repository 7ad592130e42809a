package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet for one-machine mode: runs the Pods of a Kubernetes API (the embedded mock, which has no
 * scheduler or kubelet) as local processes and reports their status back as a kubelet would.
 *
 * <ul>
 *   <li>Pods: a new pod (no spec.nodeName) is bound to {@link LocalNodeConfig#nodeName()}, then run by
 *       a {@link PodWorker}: Pending/ContainerCreating, Running, Succeeded/Failed with exit codes and
 *       termination messages, all through the status subresource. Commands are found on a PATH led
 *       by {@link LocalNodeConfig#binDir()}; volumes and container paths are mapped to local folders
 *       as {@link PodFilesystem} describes; output goes to {@code <root>/pods/<ns>/<pod>/<container>.log}.</li>
 *   <li>Each pod runs at most once: workers are keyed by UID, so duplicate, resync and update events
 *       never start a second process.</li>
 *   <li>Deletion (the informer's DELETE event, or a deletionTimestamp when finalizers hold the pod):
 *       SIGTERM, the grace period, then SIGKILL to the whole process tree.</li>
 *   <li>Restart: a pod found Running on this node's name that this instance did not start (the node
 *       was restarted against the same API, and processes do not survive that) is marked Failed with
 *       reason NodeLost. A pod bound here but still Pending is started.</li>
 *   <li>Claims: see {@link ClaimProvisioner}; Jobs: see {@link LocalJobController}, started here unless
 *       {@link LocalNodeConfig#runJobController()} is false.</li>
 *   <li>Closing stops every process (SIGTERM, at most 10 s, SIGKILL) without writing statuses; a JVM
 *       shutdown hook kills the process trees if the node was not closed. The client stays open: it
 *       is the caller's.</li>
 * </ul>
 *
 * <p>Ignored, since a local process has none of it: the image, securityContext, resources (except
 * through the downward API), probes (a running container is ready), readOnly mounts (not enforced),
 * service links and the service account token. Processes run as the JVM's user, with the JVM's
 * environment underneath the pod's.
 */
public final class LocalNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
  private static final Duration MAX_CLOSE_GRACE = Duration.ofSeconds(10);

  private final LocalNodeConfig config;
  private final KubernetesClient client;
  private final ScheduledThreadPoolExecutor scheduler;
  private final NodeContext context;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final ResourceEventHandler<Pod> podHandler;
  private final ClaimProvisioner claims;
  private List<SharedIndexInformer<Pod>> podInformers = List.of();
  private LocalJobController jobController;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private LocalNode(KubernetesClient client, LocalNodeConfig config) {
    this.config = config;
    this.client = client;
    this.scheduler = new ScheduledThreadPoolExecutor(4, Informers.daemonThreads("local-node"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.context = new NodeContext(config, client, scheduler, ConfigLookup.of(client), System.getenv(), this::workerFinished);
    this.podHandler = Informers.handler(this::podEvent, this::podDeleted);
    this.claims = new ClaimProvisioner(client, config, this::claimInUse, this::claimAvailable);
    this.shutdownHook = new Thread(this::killAll, "local-node-shutdown");
  }

  /** Starts watching pods, claims and (unless disabled) Jobs; returns once the informers have synced. */
  public static LocalNode start(KubernetesClient client, LocalNodeConfig config) {
    try {
      Files.createDirectories(config.root());
      Files.createDirectories(config.binDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the local node's folders under " + config.root(), e);
    }
    LocalNode node = new LocalNode(client, config);
    try {
      Runtime.getRuntime().addShutdownHook(node.shutdownHook);
      node.claims.start();
      node.podInformers = Informers.start(client.pods(), config, true, node.podHandler);
      if (config.runJobController()) {
        node.jobController = LocalJobController.start(client, config);
      }
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    LOG.info("local node {} runs pods under {} ({})", config.nodeName(), config.root(),
        config.namespaces().isEmpty() ? "all namespaces" : "namespaces " + config.namespaces());
    return node;
  }

  public LocalNodeConfig config() {
    return config;
  }

  /** The Job controller this node started, if any. */
  public java.util.Optional<LocalJobController> jobController() {
    return java.util.Optional.ofNullable(jobController);
  }

  /** How many pods this node has running or starting. */
  public int activePods() {
    return (int) workers.values().stream().filter(w -> !w.isFinished()).count();
  }

  /** The informer's handler; package-private so tests can replay events. */
  ResourceEventHandler<Pod> podHandler() {
    return podHandler;
  }

  /** Decides, for every add, update and resync event, whether the pod is new to this node. */
  synchronized void podEvent(Pod pod) {
    if (closed || !config.selects(pod)) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (uid == null || pod.getSpec() == null) {
      return;
    }
    if (nodeName != null && !nodeName.isEmpty() && !nodeName.equals(config.nodeName())) {
      return;
    }
    PodWorker worker = workers.get(uid);
    if (worker != null) {
      scheduler.execute(() -> worker.observe(pod));
      return;
    }
    if (!seen.add(uid)) {
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    if (config.nodeName().equals(nodeName) && "Running".equals(phase)) {
      scheduler.execute(() -> markNodeLost(pod));
      return;
    }
    PodWorker created = new PodWorker(context, pod);
    workers.put(uid, created);
    LOG.info("pod {}/{} ({}) accepted", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
    scheduler.execute(created::start);
  }

  synchronized void podDeleted(Pod pod) {
    String uid = pod.getMetadata().getUid();
    seen.add(uid);
    PodWorker worker = workers.get(uid);
    if (worker != null) {
      scheduler.execute(() -> {
        worker.deleted(pod);
        if (worker.isFinished()) {
          workers.remove(uid);
        }
      });
    }
  }

  private void markNodeLost(Pod pod) {
    if (closed) {
      return;
    }
    LOG.warn("pod {}/{} was Running on {} before this node started: marking it Failed (NodeLost)",
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), config.nodeName());
    try {
      context.statusWriter.write(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          pod.getMetadata().getUid(), PodStatusMapper.nodeLost(pod, Instant.now()));
    } catch (KubernetesClientException e) {
      LOG.warn("cannot mark pod {}/{} NodeLost: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
    }
  }

  private void workerFinished(PodWorker worker) {
    Pod pod = worker.pod();
    claims.podStopped(worker.namespace, PodFilesystem.claimNames(pod));
    if (worker.isDeleted()) {
      workers.remove(worker.uid);
    }
  }

  private boolean claimInUse(String ns, String claim) {
    return workers.values().stream().anyMatch(w -> w.usesClaim(ns, claim));
  }

  private void claimAvailable(String ns, String claim) {
    for (PodWorker w : workers.values()) {
      if (w.waitsForClaim(ns, claim)) {
        scheduler.execute(w::start);
      }
    }
  }

  private void killAll() {
    for (PodWorker w : workers.values()) {
      for (PodProcess p : w.processes()) {
        p.killTree();
      }
    }
  }

  /** Stops watching, stops every pod process (SIGTERM, grace of at most 10 s, SIGKILL); statuses are left as they are. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    context.close();
    Informers.stop(podInformers);
    claims.close();
    if (jobController != null) {
      jobController.close();
    }
    Duration grace = config.grace(null);
    if (grace.compareTo(MAX_CLOSE_GRACE) > 0) {
      grace = MAX_CLOSE_GRACE;
    }
    List<PodProcess> running = new ArrayList<>();
    for (PodWorker w : workers.values()) {
      running.addAll(w.shutdown(grace));
    }
    if (!running.isEmpty()) {
      LOG.info("local node: stopping {} process(es)", running.size());
      try {
        CompletableFuture.allOf(running.stream().map(PodProcess::exit).toArray(CompletableFuture[]::new))
            .get(grace.toMillis() + 3000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        running.forEach(PodProcess::killTree);
      }
    }
    scheduler.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already
    }
  }
}
