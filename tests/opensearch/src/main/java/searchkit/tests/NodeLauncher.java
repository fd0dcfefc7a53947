package searchkit.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;
import org.opensearch.transport.TransportService;

/**
 * Runs one real OpenSearch node for searchkit's tests.
 *
 * <p>Arguments are node settings as {@code key=value} (cluster.name, node.name, path.home,
 * http.port, discovery settings...). The node loads the netty4 transport (real HTTP) and the
 * analysis-common plugin (the tokenizers and filters searchkit's analyzer is built from). Once it
 * is up, the ports it bound are written to {@code <path.home>/ports} as {@code http=PORT} and
 * {@code transport=PORT} lines, so a caller may ask for port 0 and read the real ones. The node
 * stops cleanly on SIGTERM, and with {@code -Dsearchkit.exitOnStdinEof=true} also when its
 * standard input closes, so a test runner that dies cannot leave the node behind.
 */
public final class NodeLauncher {
  private NodeLauncher() {}

  public static void main(String[] args) throws Exception {
    Settings.Builder builder =
        Settings.builder()
            .put("network.host", "127.0.0.1")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .put("http.port", "0")
            .put("transport.port", "0")
            // A nearly full disk must not turn the test indices read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        System.err.println("expected key=value, got: " + arg);
        System.exit(2);
      }
      builder.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Settings settings = builder.build();
    LogConfigurator.registerErrorListener();
    LogConfigurator.setNodeName(settings.get("node.name", "node"));
    LogConfigurator.configureWithoutConfig(settings);

    Node node = new MockNode(settings, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                    node.awaitClose(20, java.util.concurrent.TimeUnit.SECONDS);
                  } catch (Exception e) {
                    e.printStackTrace();
                  } finally {
                    stopped.countDown();
                  }
                }));
    node.start();
    if (Boolean.getBoolean("searchkit.exitOnStdinEof")) {
      Thread watcher =
          new Thread(
              () -> {
                try {
                  while (System.in.read() != -1) {
                    // the parent writes nothing: wait for end of input
                  }
                } catch (java.io.IOException e) {
                  // a broken pipe means the parent is gone too
                }
                System.exit(0);
              },
              "stdin-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }

    int http =
        node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress().getPort();
    int transport =
        node.injector().getInstance(TransportService.class).boundAddress().publishAddress().getPort();
    Path home = Path.of(settings.get("path.home"));
    Path tmp = home.resolve("ports.tmp");
    Files.writeString(
        tmp, "http=" + http + "\ntransport=" + transport + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, home.resolve("ports"), StandardCopyOption.ATOMIC_MOVE);
    stopped.await();
  }
}
