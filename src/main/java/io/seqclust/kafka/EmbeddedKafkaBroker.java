package io.seqclust.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Kafka's own single-node KRaft broker (broker and controller in one process) on 127.0.0.1, for
 * running the service and its tests with no Docker and no external broker. A data directory that
 * already holds a formatted log is reused, so records survive a restart of the service.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);
    private static final int FREE_PORT_ATTEMPTS = 3;
    private static final ThreadLocal<Boolean> STARTING = new ThreadLocal<>();

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /**
     * Formats {@code dataDir} if it holds no log yet and starts the broker.
     *
     * @param port client port, 0 for a free one
     * @throws IllegalStateException when the broker cannot start, saying why (a port in use, say)
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Optional.empty());
    }

    /**
     * Clients authenticate with SCRAM-SHA-512 and are authorised by ACLs; {@code admin} is a super user,
     * created when the storage is formatted. Over TLS (SASL_SSL) when {@code tls} is given, else over
     * SASL_PLAINTEXT. For testing the service's Kafka security settings against a real broker.
     */
    public record Scram(String admin, String password, Optional<Tls> tls) {
        static final String MECHANISM = "SCRAM-SHA-512";

        String protocol() {
            return tls.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT";
        }

        /** The {@code sasl.jaas.config} of a client logging in as {@code user}. */
        public static String jaasConfig(String user, String password) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }
    }

    /**
     * The broker's TLS identity: a PKCS12 keystore with its key and certificate (valid for 127.0.0.1), and
     * the PEM certificate that clients trust (the broker trusts it too, for its own connections).
     */
    public record Tls(Path keystore, String password, Path trustedPem) {
    }

    /** As {@link #start(Path, int)}, with a SCRAM listener and ACLs when {@code scram} is given. */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, Optional<Scram> scram) {
        if (port != 0 && !bindable(port)) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use");
        }
        // Free ports are found by binding and releasing them, so another process may take one before the
        // broker binds it: then the start is tried again on other ports.
        int attempts = port == 0 ? FREE_PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            int clientPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            while (controllerPort == clientPort) {
                controllerPort = freePort();
            }
            try {
                return start(dataDir, clientPort, controllerPort, scram);
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    throw new IllegalStateException("the embedded Kafka broker did not start on 127.0.0.1:"
                            + clientPort + " (controller " + controllerPort + "): " + rootMessage(e), e);
                }
                LOG.warnf("the embedded Kafka broker did not start on ports %d/%d (%s); trying other ports",
                        clientPort, controllerPort, rootMessage(e));
            }
        }
    }

    static EmbeddedKafkaBroker start(Path dataDir, int clientPort, int controllerPort, Optional<Scram> scram) {
        long t0 = System.nanoTime();
        Properties props = brokerProperties(dataDir, clientPort, controllerPort);
        scram.ifPresent(s -> secure(props, clientPort, controllerPort, s));
        try {
            Files.createDirectories(dataDir);
            format(dataDir, props, scram);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's data directory " + dataDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        sayFatalFaults();
        STARTING.set(true);
        try {
            server.startup();
        } catch (RuntimeException e) {
            // a half-started server keeps its controller, threads and log locks: release them before a retry
            server.shutdown();
            server.awaitShutdown();
            throw e;
        } finally {
            STARTING.remove();
        }
        String bootstrap = "127.0.0.1:" + clientPort;
        LOG.infof("embedded Kafka broker listening on %s (data in %s), started in %.1f s",
                bootstrap, dataDir.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
        return new EmbeddedKafkaBroker(server, bootstrap, dataDir);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping the embedded Kafka broker");
        server.shutdown();
        server.awaitShutdown();
        LOG.info("embedded Kafka broker stopped");
    }

    static Properties brokerProperties(Path dataDir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // a single node: every internal topic, transactions' included, has one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    /** The client listener becomes SASL_PLAINTEXT or SASL_SSL with SCRAM-SHA-512, and the standard authorizer applies ACLs. */
    private static void secure(Properties p, int clientPort, int controllerPort, Scram scram) {
        String protocol = scram.protocol();
        p.put("listeners", protocol + "://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", protocol + "://127.0.0.1:" + clientPort);
        p.put("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", protocol);
        p.put("sasl.enabled.mechanisms", Scram.MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", Scram.MECHANISM);
        p.put("listener.name." + protocol.toLowerCase(java.util.Locale.ROOT) + ".scram-sha-512.sasl.jaas.config",
                Scram.jaasConfig(scram.admin(), scram.password()));
        scram.tls().ifPresent(tls -> {
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", tls.keystore().toString());
            p.put("ssl.keystore.password", tls.password());
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", tls.trustedPem().toString());
        });
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the controller listener is plaintext on loopback: its principal is ANONYMOUS
        p.put("super.users", "User:" + scram.admin() + ";User:ANONYMOUS");
    }

    private static void format(Path dataDir, Properties props, Optional<Scram> scram) throws IOException {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = Files.createTempFile("seqclust-kraft", ".properties");
        try {
            try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                props.store(w, "seqclust embedded broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> args = new ArrayList<>(List.of("format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", configFile.toString(), "--ignore-formatted"));
            scram.ifPresent(s -> args.addAll(List.of("--add-scram",
                    Scram.MECHANISM + "=[name=" + s.admin() + ",password=" + s.password() + "]")));
            int rc = StorageTool.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("formatting the embedded broker's storage failed (" + rc + "): "
                        + out.toString(StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(configFile);
        }
    }

    /**
     * Kafka ends the process on a fatal fault ({@code Exit.halt}), and logs why through a logger that, before
     * Quarkus has started, writes nothing: the service would vanish with exit code 1 and no word. A fault
     * while this thread starts the broker (its controller losing its port, say) is thrown to the caller
     * instead; a later one still ends the process, after a line on standard error.
     */
    private static void sayFatalFaults() {
        Exit.setHaltProcedure((code, message) -> {
            failDuringStart(code, message);
            System.err.println("seqclust: the embedded Kafka broker hit a fatal fault and halts the process (code "
                    + code + (message == null ? "" : ": " + message) + ")");
            Runtime.getRuntime().halt(code);
        });
        Exit.setExitProcedure((code, message) -> {
            failDuringStart(code, message);
            System.err.println("seqclust: the embedded Kafka broker ends the process (code "
                    + code + (message == null ? "" : ": " + message) + ")");
            System.exit(code);
        });
    }

    private static void failDuringStart(int code, String message) {
        if (Boolean.TRUE.equals(STARTING.get())) {
            throw new IllegalStateException("a fatal fault while starting (Kafka's exit code " + code
                    + (message == null ? "" : ": " + message) + ")");
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + cause;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded broker", e);
        }
    }
}
